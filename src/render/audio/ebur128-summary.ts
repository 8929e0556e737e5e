/** The last ebur128 summary in `stderr`: integrated loudness (LUFS) and true peak (dBTP). */
export function parseEbur128Summary(stderr: string): {
  integrated: number | undefined;
  truePeak: number | undefined;
} {
  const summary = stderr.lastIndexOf("Summary:");
  const tail = summary >= 0 ? stderr.slice(summary) : "";
  const integrated = /Integrated loudness:\s*\n\s*I:\s*(-?[\d.]+|-inf)\s*LUFS/.exec(tail)?.[1];
  const peak = /True peak:\s*\n\s*Peak:\s*(-?[\d.]+|-inf)\s*dBFS/.exec(tail)?.[1];
  const decibels = (text: string | undefined): number | undefined =>
    text === undefined ? undefined : text === "-inf" ? Number.NEGATIVE_INFINITY : Number(text);
  return { integrated: decibels(integrated), truePeak: decibels(peak) };
}
