import { isUtf8 } from "node:buffer";
import chardet from "chardet";
import iconv from "iconv-lite";
import { IngestError } from "../ingest-error.ts";

/** Text decoded from bytes, with the encoding that was used. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: string;
}

/**
 * Decodes a text file: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise strict UTF-8, then a detected
 * legacy encoding (Windows-1252 for Latin-1 files). Rejects binary data with `ingest.binary_content`.
 */
export function decodeText(bytes: Uint8Array, fileName: string): DecodedText {
  let decoded: DecodedText;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    decoded = { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "utf-8" };
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    decoded = { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    decoded = { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be" };
  } else {
    const bomless16 = sniffUtf16(bytes);
    if (bomless16) {
      decoded = { text: new TextDecoder(bomless16).decode(bytes), encoding: bomless16 };
    } else {
      // isUtf8 validates in native code, much faster than a fatal TextDecoder on a whole novel.
      decoded = isUtf8(bytes)
        ? {
            text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"),
            encoding: "utf-8",
          }
        : decodeLegacy(bytes);
    }
  }
  if (looksBinary(decoded.text)) {
    throw new IngestError(
      "ingest.binary_content",
      fileName,
      "the file holds binary data, not text; export the book as plain text (UTF-8), EPUB, PDF, DOCX, Fountain or FDX",
      { details: { encoding: decoded.encoding } },
    );
  }
  return decoded;
}

function decodeLegacy(bytes: Uint8Array): DecodedText {
  const sample = bytes.subarray(0, 65_536);
  const guess = chardet.detect(sample);
  // ISO-8859-1 is almost always really Windows-1252 (curly quotes in 0x80–0x9F).
  let encoding = guess && guess !== "UTF-8" && iconv.encodingExists(guess) ? guess : "windows-1252";
  if (/^iso-8859-1$/i.test(encoding)) encoding = "windows-1252";
  return {
    text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding),
    encoding,
  };
}

/** UTF-16 without a BOM shows up as a NUL in every other byte of ASCII text. */
function sniffUtf16(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.6 && evenZeros < pairs * 0.05) return "utf-16le";
  if (evenZeros > pairs * 0.6 && oddZeros < pairs * 0.05) return "utf-16be";
  return null;
}

/** Control characters other than tab/newline/form feed, or replacement characters, mean binary. */
function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 65_536);
  if (n === 0) return false;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (
      (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) ||
      c === 0xfffd ||
      (c >= 0x7f && c < 0xa0 && c !== 0x85)
    ) {
      bad++;
    }
  }
  return bad > Math.max(2, n * 0.01);
}
