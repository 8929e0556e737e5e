import { Inflate } from "fflate";
import type { Deadline } from "../deadline.ts";
import { IngestError } from "../ingest-error.ts";
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from "./zip-limits.ts";

/** One entry of a ZIP's central directory. */
interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly encrypted: boolean;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

/** A ZIP archive read lazily: entries are inflated only when asked for, under {@link ZipLimits}. */
export interface ZipArchive {
  readonly entries: readonly ZipEntry[];
  has(name: string): boolean;
  /** The entry's bytes; throws `ingest.corrupt_zip` when it is missing or damaged. */
  read(name: string): Uint8Array;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const CHUNK = 16 * 1024;

/**
 * Opens a ZIP from its central directory, checking every declared size against the limits before
 * anything is inflated, and rejecting entry names that could escape a folder (`..`, absolute paths).
 */
export function openZip(
  bytes: Uint8Array,
  fileName: string,
  deadline: Deadline,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): ZipArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (problem: string) =>
    new IngestError(
      "ingest.corrupt_zip",
      fileName,
      `the ZIP archive is damaged (${problem}); download or export the file again`,
    );
  const bomb = (problem: string, details: Record<string, unknown>) =>
    new IngestError(
      "ingest.zip_bomb",
      fileName,
      `the archive looks like a ZIP bomb (${problem}); LitinkAI refuses to unpack it`,
      {
        details,
      },
    );

  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt("no end-of-central-directory record; the file may be truncated");
  const count = view.getUint16(eocd + 10, true);
  const directorySize = view.getUint32(eocd + 12, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw corrupt("ZIP64 archives are not supported");
  if (count > limits.maxEntries)
    throw bomb(`${count} entries`, { entries: count, maxEntries: limits.maxEntries });
  if (directoryOffset + directorySize > eocd)
    throw corrupt("the central directory points past the end of the file");

  const entries: ZipEntry[] = [];
  const byName = new Map<string, ZipEntry>();
  const utf8 = new TextDecoder("utf-8");
  const latin1 = new TextDecoder("latin1");
  let totalDeclared = 0;
  let offset = directoryOffset;
  for (let i = 0; i < count; i++) {
    deadline.tick();
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== CENTRAL)
      throw corrupt("a central directory entry is damaged");
    const flags = view.getUint16(offset + 8, true);
    const method = view.getUint16(offset + 10, true);
    const compressedSize = view.getUint32(offset + 20, true);
    const size = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const localHeaderOffset = view.getUint32(offset + 42, true);
    if (offset + 46 + nameLength > bytes.length) throw corrupt("an entry name runs past the end of the file");
    const rawName = bytes.subarray(offset + 46, offset + 46 + nameLength);
    const name = (flags & 0x800 ? utf8 : latin1).decode(rawName);
    offset += 46 + nameLength + extraLength + commentLength;
    if (isUnsafeName(name)) {
      throw new IngestError(
        "ingest.unsafe_path",
        fileName,
        `the archive holds an entry with an unsafe path (${JSON.stringify(name.slice(0, 100))}); LitinkAI refuses archives whose entries could escape their folder`,
        { details: { entry: name.slice(0, 200) } },
      );
    }
    if (size > limits.maxEntryBytes) {
      throw bomb(`entry ${name} declares ${size} bytes`, {
        entry: name,
        size,
        maxEntryBytes: limits.maxEntryBytes,
      });
    }
    if (size > limits.ratioFloorBytes && size / Math.max(1, compressedSize) > limits.maxRatio) {
      throw bomb(`entry ${name} compresses ${Math.round(size / Math.max(1, compressedSize))}:1`, {
        entry: name,
        size,
        compressedSize,
        maxRatio: limits.maxRatio,
      });
    }
    totalDeclared += size;
    if (totalDeclared > limits.maxTotalBytes) {
      throw bomb(`entries declare more than ${limits.maxTotalBytes} bytes in total`, {
        maxTotalBytes: limits.maxTotalBytes,
      });
    }
    const entry: ZipEntry = {
      name,
      method,
      encrypted: (flags & 1) === 1,
      compressedSize,
      size,
      localHeaderOffset,
    };
    entries.push(entry);
    if (!byName.has(name)) byName.set(name, entry);
  }

  let totalRead = 0;
  return {
    entries,
    has: (name) => byName.has(name),
    read(name) {
      const entry = byName.get(name);
      if (!entry) throw corrupt(`entry ${name} is missing`);
      if (entry.encrypted) {
        throw new IngestError(
          "ingest.drm_protected",
          fileName,
          `the archive entry ${name} is encrypted; LitinkAI can only read unencrypted, DRM-free files`,
        );
      }
      const at = entry.localHeaderOffset;
      if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL)
        throw corrupt(`the local header of ${name} is damaged`);
      const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
      const end = start + entry.compressedSize;
      if (end > bytes.length) throw corrupt(`entry ${name} is truncated`);
      const data = bytes.subarray(start, end);
      let out: Uint8Array;
      if (entry.method === 0) {
        out = data;
      } else if (entry.method === 8) {
        out = inflateBounded(
          data,
          entry.size,
          deadline,
          () =>
            bomb(`entry ${name} inflates past its declared ${entry.size} bytes`, {
              entry: name,
              size: entry.size,
            }),
          () => corrupt(`entry ${name} does not inflate`),
        );
      } else {
        throw corrupt(`entry ${name} uses unsupported compression method ${entry.method}`);
      }
      if (out.length !== entry.size)
        throw corrupt(`entry ${name} has ${out.length} bytes, not the ${entry.size} it declares`);
      totalRead += out.length;
      if (totalRead > limits.maxTotalBytes) {
        throw bomb(`more than ${limits.maxTotalBytes} bytes unpacked`, {
          maxTotalBytes: limits.maxTotalBytes,
        });
      }
      return out;
    },
  };
}

/** Inflates in small steps and stops as soon as the output exceeds what the entry declared. */
function inflateBounded(
  data: Uint8Array,
  declared: number,
  deadline: Deadline,
  tooBig: () => IngestError,
  damaged: () => IngestError,
): Uint8Array {
  const out = new Uint8Array(declared);
  let written = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    if (overflow) return;
    if (written + chunk.length > declared) {
      overflow = true;
      return;
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    for (let i = 0; i < data.length || i === 0; i += CHUNK) {
      deadline.check();
      inflater.push(data.subarray(i, Math.min(i + CHUNK, data.length)), i + CHUNK >= data.length);
      if (overflow) throw tooBig();
    }
  } catch (error) {
    if (error instanceof IngestError) throw error;
    throw damaged();
  }
  return written === declared ? out : out.subarray(0, written);
}

function isUnsafeName(name: string): boolean {
  if (name.includes("\0")) return true;
  if (/^[/\\]/.test(name) || /^[a-zA-Z]:/.test(name)) return true;
  return name.split(/[/\\]/).some((segment) => segment === "..");
}
