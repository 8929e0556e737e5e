/** Caps that keep a hostile ZIP (EPUB, DOCX) from exhausting memory or time. */
export interface ZipLimits {
  /** Most entries an archive may list. */
  readonly maxEntries: number;
  /** Most bytes all entries may inflate to, declared or actual. */
  readonly maxTotalBytes: number;
  /** Most bytes one entry may inflate to. */
  readonly maxEntryBytes: number;
  /** Highest uncompressed/compressed ratio for entries over {@link ZipLimits.ratioFloorBytes}. */
  readonly maxRatio: number;
  /** Entries smaller than this are exempt from the ratio check (tiny files compress oddly). */
  readonly ratioFloorBytes: number;
}

/** Generous for real books (a 1,000-page EPUB inflates to ~10 MB), tight for bombs. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 512 * 1024 * 1024,
  maxEntryBytes: 128 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};
