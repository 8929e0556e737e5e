/** A time range in the video, seconds. */
export interface TimeRange {
  readonly start: number;
  readonly end: number;
}

/** Names of the checks `qc` runs. */
export type QcCheckName =
  | "streams"
  | "codec"
  | "resolution"
  | "fps"
  | "duration"
  | "loudness"
  | "true-peak"
  | "black"
  | "silence"
  | "captions-range"
  | "captions-coverage"
  | "decode";

/** One check of a {@link QcReport}. */
export interface QcCheck {
  readonly name: QcCheckName;
  readonly passed: boolean;
  /** What was measured, e.g. "-16.2 LUFS" or "1280x720". */
  readonly measured: string;
  /** What the timeline expects, e.g. "-16 ±1 LUFS". */
  readonly expected: string;
  /** Where in the video the problem is, when it has a place. */
  readonly timestamps: readonly TimeRange[];
}

/** Result of a quality check of one rendered file. */
export interface QcReport {
  readonly file: string;
  readonly passed: boolean;
  readonly checks: readonly QcCheck[];
}
