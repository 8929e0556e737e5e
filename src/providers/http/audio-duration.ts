/**
 * Reads the duration of an MP3 (from its Xing/Info frame count, else from the first frame's bitrate) or
 * a WAV (from its header), in seconds. Returns undefined for anything else or anything unreadable.
 */
export function audioDurationSeconds(bytes: Uint8Array): number | undefined {
  if (isWav(bytes)) return wavDuration(bytes);
  return mp3Duration(bytes);
}

function isWav(bytes: Uint8Array): boolean {
  return ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WAVE";
}

function wavDuration(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  let byteRate: number | undefined;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    if (id === "fmt " && offset + 16 <= bytes.length) byteRate = view.getUint32(offset + 16, true);
    if (id === "data") {
      if (!byteRate) return undefined;
      const available = Math.min(size, bytes.length - offset - 8);
      return available / byteRate;
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

const BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000],
  2: [22050, 24000, 16000],
  0: [11025, 12000, 8000],
};

function mp3Duration(bytes: Uint8Array): number | undefined {
  let offset = 0;
  if (ascii(bytes, 0, 3) === "ID3" && bytes.length >= 10) {
    const size =
      ((bytes[6]! & 0x7f) << 21) |
      ((bytes[7]! & 0x7f) << 14) |
      ((bytes[8]! & 0x7f) << 7) |
      (bytes[9]! & 0x7f);
    offset = 10 + size;
  }
  while (offset + 4 <= bytes.length && !(bytes[offset] === 0xff && (bytes[offset + 1]! & 0xe0) === 0xe0))
    offset++;
  if (offset + 4 > bytes.length) return undefined;
  const versionBits = (bytes[offset + 1]! >> 3) & 0x03;
  const layerBits = (bytes[offset + 1]! >> 1) & 0x03;
  if (layerBits !== 1 || versionBits === 1) return undefined; // Layer III only
  const bitrateIndex = bytes[offset + 2]! >> 4;
  const sampleRate = SAMPLE_RATES[versionBits]?.[(bytes[offset + 2]! >> 2) & 0x03];
  const kbps = (versionBits === 3 ? BITRATES_V1_L3 : BITRATES_V2_L3)[bitrateIndex];
  if (!sampleRate || !kbps) return undefined;
  const samplesPerFrame = versionBits === 3 ? 1152 : 576;
  const mono = bytes[offset + 3]! >> 6 === 3;
  const sideInfo = versionBits === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
  const tag = ascii(bytes, offset + 4 + sideInfo, 4);
  if (tag === "Xing" || tag === "Info") {
    const flagsAt = offset + 4 + sideInfo + 4;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (flagsAt + 8 <= bytes.length && (view.getUint32(flagsAt) & 0x1) === 1) {
      return (view.getUint32(flagsAt + 4) * samplesPerFrame) / sampleRate;
    }
  }
  return ((bytes.length - offset) * 8) / (kbps * 1000);
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}
