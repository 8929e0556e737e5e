import { strToU8, zipSync } from "fflate";

/** Files of a test archive: path → text or bytes. `mimetype`, when present, is stored first and uncompressed. */
export type ZipFiles = Readonly<Record<string, string | Uint8Array>>;

/** Builds a ZIP in memory (EPUB-style: an uncompressed `mimetype` first). */
export function makeZip(files: ZipFiles): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  const ordered = Object.keys(files).sort((a, b) => (a === "mimetype" ? -1 : b === "mimetype" ? 1 : 0));
  for (const name of ordered) {
    const value = files[name]!;
    entries[name] = [
      typeof value === "string" ? strToU8(value) : value,
      { level: name === "mimetype" ? 0 : 6 },
    ];
  }
  return zipSync(entries);
}
