/**
 * 32-bit FNV-1a of a text: a small, stable, non-cryptographic string hash (the same on every machine
 * and Node version), for picking a voice by name or naming and ordering shots by their words.
 *
 * @example fnv1a("") // 2166136261
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
