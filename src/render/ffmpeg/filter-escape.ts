/**
 * Escapes a value for use as a filter option inside a `-filter_complex` graph: first the option level
 * (`\`, `'`, `:`), then the graph level (`\`, `'`, `[`, `]`, `,`, `;`), as FFmpeg's filter syntax
 * documentation describes.
 *
 * @example escapeFilterValue("/tmp/a:b.ass") // returns /tmp/a\\:b.ass
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (character) => `\\${character}`);
  return optionLevel.replace(/[\\'[\],;]/g, (character) => `\\${character}`);
}

/** `#rrggbb[aa]` as FFmpeg's `0xRRGGBB[@alpha]` colour syntax. */
export function ffmpegColour(hex: string, opacity?: number): string {
  const rgb = hex.slice(1, 7).toUpperCase();
  const alphaHex = hex.length === 9 ? Number.parseInt(hex.slice(7, 9), 16) / 255 : 1;
  const alpha = (opacity ?? 1) * alphaHex;
  return alpha < 1 ? `0x${rgb}@${round(alpha, 3)}` : `0x${rgb}`;
}

/** Rounds to `digits` decimals and prints without trailing zeros. */
export function round(value: number, digits = 6): string {
  return String(Number(value.toFixed(digits)));
}
