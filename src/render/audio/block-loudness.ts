/** BS.1770 absolute gate, LUFS: blocks below it are silence. */
const ABSOLUTE_GATE = -70;
/** BS.1770 relative gate, LU below the absolute-gated loudness. */
const RELATIVE_GATE = -10;

/** An `ebur128` frame line (one per 100 ms): its momentary loudness, the last 400 ms block. */
const FRAME_LINE = /\bt:\s*[\d.]+\s+TARGET:.*?\bM:\s*(-?[\d.]+|-inf)\s/;

/**
 * The momentary loudness (LUFS) that an `ebur128` frame line reports, or undefined for other lines.
 * ebur128 logs one every 100 ms: the loudness of the 400 ms gating block ending there (-120.7 until
 * the first 400 ms are in).
 */
export function momentaryLoudnessOf(line: string): number | undefined {
  const match = FRAME_LINE.exec(line);
  if (!match) return undefined;
  return match[1] === "-inf" ? Number.NEGATIVE_INFINITY : Number(match[1]);
}

/**
 * Integrated loudness (LUFS) of a programme from its 400 ms gating blocks (overlapping by 75%),
 * gated as ITU-R BS.1770 says: blocks under -70 LUFS are dropped, then blocks more than 10 LU under
 * the loudness of the rest. -Infinity when every block is gated out (silence).
 *
 * @example gatedLoudness([-20, -20, -80]) // -20
 */
export function gatedLoudness(blocks: readonly number[]): number {
  const audible = blocks.filter((loudness) => loudness >= ABSOLUTE_GATE);
  if (audible.length === 0) return Number.NEGATIVE_INFINITY;
  const threshold = meanLoudness(audible) + RELATIVE_GATE;
  return meanLoudness(audible.filter((loudness) => loudness >= threshold));
}

/** Loudness of the mean energy of blocks (LUFS = -0.691 + 10 log10 of the mean square). */
function meanLoudness(blocks: readonly number[]): number {
  const energy = blocks.reduce((sum, loudness) => sum + 10 ** ((loudness + 0.691) / 10), 0);
  return -0.691 + 10 * Math.log10(energy / blocks.length);
}
