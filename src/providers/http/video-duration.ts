/**
 * Reads an MP4/MOV duration from its `mvhd` box (duration / timescale), in seconds, or undefined when the
 * box is not found in the first bytes scanned.
 */
export function videoDurationSeconds(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 4; offset + 28 <= bytes.length; offset++) {
    if (
      bytes[offset] !== 0x6d ||
      bytes[offset + 1] !== 0x76 ||
      bytes[offset + 2] !== 0x68 ||
      bytes[offset + 3] !== 0x64
    ) {
      continue; // "mvhd"
    }
    const version = bytes[offset + 4];
    if (version === 1) {
      if (offset + 40 > bytes.length) return undefined;
      const timescale = view.getUint32(offset + 24);
      const duration = Number(view.getBigUint64(offset + 28));
      return timescale > 0 ? duration / timescale : undefined;
    }
    const timescale = view.getUint32(offset + 16);
    const duration = view.getUint32(offset + 20);
    return timescale > 0 ? duration / timescale : undefined;
  }
  return undefined;
}

/** Reads a PNG's width and height from its IHDR chunk, or undefined for anything else. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24 || bytes[0] !== 0x89 || String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") {
    return undefined;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
