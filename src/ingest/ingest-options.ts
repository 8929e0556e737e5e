/** Limits and cancellation for one ingest call. */
export interface IngestOptions {
  /**
   * Largest file accepted, in bytes.
   * @defaultValue 50 MiB
   */
  readonly maxBytes?: number;
  /**
   * Wall-clock budget for parsing one file, in milliseconds.
   * @defaultValue 30 000
   */
  readonly timeBudgetMs?: number;
  /** Aborts the ingest early (e.g. the user cancelled the upload). */
  readonly signal?: AbortSignal;
}

/** Default largest file accepted: 50 MiB. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
/** Default parsing budget per file: 30 s. */
export const DEFAULT_TIME_BUDGET_MS = 30_000;
