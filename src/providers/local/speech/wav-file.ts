/** The facts of a PCM WAV file that speech timing needs. */
export interface WavInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** Byte offset of the first sample. */
  readonly dataOffset: number;
  /** Bytes of sample data. */
  readonly dataLength: number;
  /** Length in seconds, from the data chunk's size. */
  readonly durationSeconds: number;
}

/**
 * Reads a RIFF/WAVE header (chunk by chunk, so extra chunks are skipped). Throws on anything that is not
 * 8/16-bit PCM WAV. A data size of 0 or 0xFFFFFFFF (streamed output) is taken as "to the end of the file".
 */
export function readWavInfo(wav: Uint8Array): WavInfo {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const tag = (at: number): string => String.fromCharCode(...wav.subarray(at, at + 4));
  if (wav.byteLength < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new Error("not a RIFF/WAVE file");
  let format: { channels: number; sampleRate: number; bitsPerSample: number } | undefined;
  let offset = 12;
  while (offset + 8 <= wav.byteLength) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") {
      const audioFormat = view.getUint16(body, true);
      if (audioFormat !== 1) throw new Error(`WAV audio format ${audioFormat} is not PCM`);
      format = {
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      if (!format) throw new Error("WAV data chunk before its fmt chunk");
      const available = wav.byteLength - body;
      const dataLength = size === 0 || size === 0xffffffff || size > available ? available : size;
      const bytesPerSecond = format.sampleRate * format.channels * (format.bitsPerSample / 8);
      return { ...format, dataOffset: body, dataLength, durationSeconds: dataLength / bytesPerSecond };
    }
    offset = body + size + (size % 2);
  }
  throw new Error("WAV file has no data chunk");
}

/** The samples of a 16-bit WAV's first channel, as numbers in [-32768, 32767]. */
export function readMonoSamples(wav: Uint8Array, info: WavInfo): Int16Array {
  if (info.bitsPerSample !== 16) throw new Error(`expected 16-bit samples, got ${info.bitsPerSample}-bit`);
  const frames = Math.floor(info.dataLength / (2 * info.channels));
  const view = new DataView(wav.buffer, wav.byteOffset + info.dataOffset, frames * 2 * info.channels);
  const samples = new Int16Array(frames);
  for (let frame = 0; frame < frames; frame += 1)
    samples[frame] = view.getInt16(frame * 2 * info.channels, true);
  return samples;
}

/** A 16-bit mono PCM WAV file holding `samples`. */
export function writeMonoWav(samples: Int16Array, sampleRate: number): Uint8Array {
  const wav = new Uint8Array(44 + samples.length * 2);
  const view = new DataView(wav.buffer);
  const tag = (at: number, text: string): void => {
    for (let index = 0; index < 4; index += 1) wav[at + index] = text.charCodeAt(index);
  };
  tag(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  tag(8, "WAVE");
  tag(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  tag(36, "data");
  view.setUint32(40, samples.length * 2, true);
  for (const [index, sample] of samples.entries()) view.setInt16(44 + index * 2, sample, true);
  return wav;
}
