import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type IngestErrorCode, type IngestOptions, ingestBytes, ingestFile } from "./index.ts";
import { makeDocx } from "./test-support/make-docx.ts";
import { makeEpub, type TestEpubOptions } from "./test-support/make-epub.ts";
import { makePdf } from "./test-support/make-pdf.ts";
import { makeZip } from "./test-support/make-zip.ts";

const text = (value: string) => new TextEncoder().encode(value);
const chapter = {
  file: "one.xhtml",
  tocTitle: "One",
  body: "<h1>One</h1><p>It was a dark and stormy night; the rain fell in torrents.</p>",
};
const epub = (options: Partial<TestEpubOptions> = {}) =>
  makeEpub({ version: 3, documents: [chapter], ...options });
const lol = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>`;
const xxe = `<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`;

/** Overwrites a 32-bit little-endian field of the central-directory entry named `name`. */
function patchCentral(zip: Uint8Array, name: string, fieldOffset: number, value: number): Uint8Array {
  const copy = new Uint8Array(zip);
  const view = new DataView(copy.buffer);
  const wanted = text(name);
  for (let i = 0; i < copy.length - 46; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const length = view.getUint16(i + 28, true);
    const entryName = copy.subarray(i + 46, i + 46 + length);
    if (length === wanted.length && entryName.every((b, j) => b === wanted[j])) {
      view.setUint32(i + fieldOffset, value, true);
      return copy;
    }
  }
  throw new Error(`no central entry ${name}`);
}

function patchEntryCount(zip: Uint8Array, count: number): Uint8Array {
  const copy = new Uint8Array(zip);
  const view = new DataView(copy.buffer);
  for (let i = copy.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      view.setUint16(i + 8, count, true);
      view.setUint16(i + 10, count, true);
      return copy;
    }
  }
  throw new Error("no EOCD");
}

const zeros = new Uint8Array(40 * 1024 * 1024);
const randomJunk = (() => {
  const bytes = new Uint8Array(4096);
  let x = 12345;
  for (let i = 0; i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = x & 0xff;
  }
  return bytes;
})();

const corpus: ReadonlyArray<{
  name: string;
  file: string;
  bytes: () => Uint8Array;
  code: IngestErrorCode;
  options?: IngestOptions;
}> = [
  { name: "empty file", file: "empty.txt", bytes: () => new Uint8Array(0), code: "ingest.empty_file" },
  {
    name: "only white space",
    file: "blank.txt",
    bytes: () => text(" \n\n\t \r\n"),
    code: "ingest.empty_file",
  },
  {
    name: "binary junk named .txt",
    file: "junk.txt",
    bytes: () => randomJunk,
    code: "ingest.binary_content",
  },
  {
    name: "PNG named .epub",
    file: "cover.epub",
    bytes: () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
    code: "ingest.unsupported_format",
  },
  {
    name: "legacy .doc",
    file: "old.doc",
    bytes: () => new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
    code: "ingest.unsupported_format",
  },
  {
    name: "Kindle .mobi",
    file: "book.mobi",
    bytes: () => new Uint8Array([...new Uint8Array(60), ...text("BOOKMOBI"), 0, 0]),
    code: "ingest.unsupported_format",
  },
  {
    name: "ZIP that is neither EPUB nor DOCX",
    file: "photos.zip",
    bytes: () => makeZip({ "a.jpg": "x" }),
    code: "ingest.unsupported_format",
  },
  {
    name: ".epub that is not a ZIP",
    file: "fake.epub",
    bytes: () => text("just some text pretending"),
    code: "ingest.corrupt_zip",
  },
  {
    name: "truncated ZIP",
    file: "cut.epub",
    bytes: () => epub().subarray(0, 300),
    code: "ingest.corrupt_zip",
  },
  {
    name: "ZIP with corrupt deflate data",
    file: "bitrot.epub",
    bytes: () => {
      const zip = new Uint8Array(epub());
      const view = new DataView(zip.buffer);
      for (let i = 0; i < zip.length - 4; i++) if (view.getUint32(i, true) === 0x02014b50) break;
      for (let i = 120; i < 400; i++) zip[i] = zip[i]! ^ 0x5a;
      return zip;
    },
    code: "ingest.corrupt_zip",
  },
  {
    name: "EPUB without container.xml",
    file: "nocontainer.epub",
    bytes: () => epub({ omit: ["META-INF/container.xml"] }),
    code: "ingest.epub_missing_container",
  },
  {
    name: "EPUB whose OPF is missing",
    file: "noopf.epub",
    bytes: () => epub({ omit: ["OEBPS/content.opf"] }),
    code: "ingest.epub_missing_opf",
  },
  {
    name: "EPUB with an empty spine",
    file: "nospine.epub",
    bytes: () =>
      epub({
        override: { "OEBPS/content.opf": `<package version="3.0"><metadata/><manifest/><spine/></package>` },
      }),
    code: "ingest.epub_broken_spine",
  },
  {
    name: "EPUB spine naming a missing item",
    file: "badref.epub",
    bytes: () =>
      epub({
        override: {
          "OEBPS/content.opf": `<package version="3.0"><metadata/><manifest><item id="a" href="one.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="ghost"/></spine></package>`,
        },
      }),
    code: "ingest.epub_broken_spine",
  },
  {
    name: "DRM: encryption.xml encrypting content",
    file: "drm.epub",
    bytes: () =>
      epub({
        override: {
          "META-INF/encryption.xml": `<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="OEBPS/one.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>`,
        },
      }),
    code: "ingest.drm_protected",
  },
  {
    name: "DRM: rights.xml",
    file: "adobe.epub",
    bytes: () => epub({ override: { "META-INF/rights.xml": "<rights/>" } }),
    code: "ingest.drm_protected",
  },
  {
    name: "ZIP bomb: extreme compression ratio",
    file: "bomb.epub",
    bytes: () => epub({ override: { "OEBPS/zeros.bin": zeros } }),
    code: "ingest.zip_bomb",
  },
  {
    name: "ZIP bomb: entry inflating past its declared size",
    file: "liar.epub",
    bytes: () =>
      patchCentral(
        epub({ override: { "OEBPS/one.xhtml": `<html><body><p>${"word ".repeat(5000)}</p></body></html>` } }),
        "OEBPS/one.xhtml",
        24,
        100,
      ),
    code: "ingest.zip_bomb",
  },
  {
    name: "ZIP bomb: too many entries",
    file: "many.epub",
    bytes: () => patchEntryCount(epub(), 60_000),
    code: "ingest.zip_bomb",
  },
  {
    name: "ZIP bomb inside a DOCX",
    file: "bomb.docx",
    bytes: () => makeDocx([{ text: "hi" }], {}, { "word/media/zeros.bin": zeros }),
    code: "ingest.zip_bomb",
  },
  {
    name: "entry name with ..",
    file: "escape.epub",
    bytes: () => epub({ override: { "../../evil.xhtml": "<p>x</p>" } }),
    code: "ingest.unsafe_path",
  },
  {
    name: "absolute entry name",
    file: "absolute.epub",
    bytes: () => epub({ override: { "/etc/passwd": "root" } }),
    code: "ingest.unsafe_path",
  },
  {
    name: "billion laughs in a chapter",
    file: "laughs.epub",
    bytes: () =>
      epub({
        override: { "OEBPS/one.xhtml": `<?xml version="1.0"?>${lol}<html><body><p>&lol2;</p></body></html>` },
      }),
    code: "ingest.xml_entities",
  },
  {
    name: "XXE in container.xml",
    file: "xxe.epub",
    bytes: () =>
      epub({
        override: {
          "META-INF/container.xml": `<?xml version="1.0"?>${xxe}<container><rootfiles><rootfile full-path="&xxe;"/></rootfiles></container>`,
        },
      }),
    code: "ingest.xml_entities",
  },
  {
    name: "billion laughs in an FDX",
    file: "laughs.fdx",
    bytes: () => text(`<?xml version="1.0"?>${lol}<FinalDraft><Content/></FinalDraft>`),
    code: "ingest.xml_entities",
  },
  {
    name: "XXE in a DOCX",
    file: "xxe.docx",
    bytes: () =>
      makeDocx(
        [],
        {},
        {
          "word/document.xml": `<?xml version="1.0"?>${xxe}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>`,
        },
      ),
    code: "ingest.xml_entities",
  },
  {
    name: "password-protected PDF",
    file: "locked.pdf",
    bytes: () => makePdf({ pages: [["Secret text on a page."]], encrypted: true }),
    code: "ingest.pdf_encrypted",
  },
  {
    name: "scanned PDF without a text layer",
    file: "scan.pdf",
    bytes: () => makePdf({ pages: [[], []], noText: true }),
    code: "ingest.pdf_no_text_layer",
  },
  {
    name: "corrupt PDF",
    file: "broken.pdf",
    bytes: () => text(`%PDF-1.7\n${"garbage ".repeat(50)}`),
    code: "ingest.pdf_corrupt",
  },
  {
    name: ".pdf without a PDF header",
    file: "notreally.pdf",
    bytes: () => text("hello"),
    code: "ingest.pdf_corrupt",
  },
  {
    name: "over the size limit",
    file: "big.txt",
    bytes: () => text("word ".repeat(1000)),
    code: "ingest.too_large",
    options: { maxBytes: 1000 },
  },
  {
    name: "over the time budget",
    file: "slow.txt",
    bytes: () => text(`${"CHAPTER I\n\nSome words here. ".repeat(20_000)}`),
    code: "ingest.timeout",
    options: { timeBudgetMs: 1 },
  },
  {
    name: "cancelled",
    file: "cancelled.txt",
    bytes: () => text("Some text."),
    code: "ingest.aborted",
    options: { signal: AbortSignal.abort() },
  },
];

describe("hostile and malformed input", () => {
  it("has at least 25 cases", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
  });

  for (const { name, file, bytes, code, options } of corpus) {
    it(`${name} → ${code}`, async () => {
      const error = await ingestBytes(bytes(), file, options).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({
        code,
        userFacing: true,
        details: expect.objectContaining({ fileName: file }),
      });
      expect((error as Error).message.startsWith(`${file}: `)).toBe(true);
    });
  }

  it.each([
    ["spaces.txt", () => text(`a${" ".repeat(2_000_000)}b\n\n${"\n".repeat(2_000_000)}c`)],
    ["links.md", () => text(`# A\n\n# B\n\n${"![".repeat(500_000)}`)],
    ["tags.md", () => text(`# A\n\n# B\n\n${"<".repeat(1_000_000)}`)],
    [
      "quotes.epub",
      () => epub({ override: { "OEBPS/one.xhtml": `<html><body>${"<a '".repeat(100_000)}</body></html>` } }),
    ],
    ["dashes.fountain", () => text(`INT. ${"- -- ".repeat(200_000)}\n\nINT. B - DAY\n`)],
    ["stars.fountain", () => text(`INT. A - DAY\n\nINT. B - DAY\n\n${"*a".repeat(500_000)}\n`)],
  ] as const)("pathological %s parses or stops at the time budget, never hangs", async (file, bytes) => {
    const result = await ingestBytes(bytes(), file, { timeBudgetMs: 5_000 }).then(
      (document) => document.kind,
      (error: unknown) => (error as { code?: string }).code,
    );
    expect(["book", "screenplay", "ingest.timeout"]).toContain(result);
  });

  it("fonts obfuscated under encryption.xml are not DRM", async () => {
    const bytes = epub({
      override: {
        "META-INF/encryption.xml": `<encryption><EncryptedData><EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/><CipherData><CipherReference URI="OEBPS/font.otf"/></CipherData></EncryptedData></encryption>`,
      },
    });
    const document = await ingestBytes(bytes, "fonts.epub");
    expect(document.kind).toBe("book");
  });

  it("deeply nested markup neither overflows the stack nor loses the text", async () => {
    const nested = `${"<div>".repeat(50_000)}<p>Deep inside.</p>${"</div>".repeat(50_000)}`;
    const document = await ingestBytes(
      epub({ override: { "OEBPS/one.xhtml": `<html><body>${nested}</body></html>` } }),
      "deep.epub",
    );
    expect(document.kind === "book" && document.chapters[0]!.paragraphs).toContain("Deep inside.");
  });

  it("a missing path is a user-facing file_not_found, and nothing is left in the temp folder", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "litink-ingest-"));
    try {
      await expect(ingestFile(path.join(folder, "nope.epub"))).rejects.toMatchObject({
        code: "ingest.file_not_found",
        userFacing: true,
      });
      writeFileSync(path.join(folder, "bomb.epub"), epub({ override: { "OEBPS/zeros.bin": zeros } }));
      await expect(ingestFile(path.join(folder, "bomb.epub"))).rejects.toMatchObject({
        code: "ingest.zip_bomb",
      });
      expect(readdirSync(folder)).toEqual(["bomb.epub"]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
