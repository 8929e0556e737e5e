import type { TimeRange } from "./qc-report.ts";

/** Sorted, merged copy of `ranges` (overlapping or touching ranges become one). */
export function mergeRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges.filter((range) => range.end > range.start).sort((a, b) => a.start - b.start);
  const merged: TimeRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, range.end) };
    else merged.push({ ...range });
  }
  return merged;
}

/** Total seconds covered by `ranges` (after merging). */
export function totalLength(ranges: readonly TimeRange[]): number {
  return mergeRanges(ranges).reduce((sum, range) => sum + (range.end - range.start), 0);
}

/** The parts of `a` that `b` also covers. */
export function intersectRanges(a: readonly TimeRange[], b: readonly TimeRange[]): TimeRange[] {
  const result: TimeRange[] = [];
  for (const left of mergeRanges(a)) {
    for (const right of mergeRanges(b)) {
      const start = Math.max(left.start, right.start);
      const end = Math.min(left.end, right.end);
      if (end > start) result.push({ start, end });
    }
  }
  return result;
}
