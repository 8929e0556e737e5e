/** A narration placed on the video, in samples of the mix. */
export interface NarrationSpan {
  readonly path: string;
  /** Sample of the video where it starts playing. */
  readonly start: number;
  /** Sample of the file where playback starts (its `from`). */
  readonly from: number;
  /** Samples played. */
  readonly samples: number;
  readonly volume: number;
}

/** The part of one narration that plays inside one chunk. */
export interface AudioChunkPiece {
  readonly path: string;
  /** First and end (exclusive) sample of the file, at 48 kHz. */
  readonly fileStart: number;
  readonly fileEnd: number;
  /** Sample of the chunk where the piece starts. */
  readonly delay: number;
  readonly volume: number;
}

/** One chunk of the audio track: the samples under one segment and the narration in them. */
export interface AudioChunkPlan {
  readonly index: number;
  /** First sample on the video, and length in samples. */
  readonly start: number;
  readonly samples: number;
  readonly pieces: readonly AudioChunkPiece[];
}

/**
 * Cuts the narration of a video into chunks at `boundaries` (sample positions of the segment
 * starts, then the end). A narration crossing a boundary is split there, each part taken from the
 * file by sample, so the chunks concatenated play it exactly as one piece; one file cut across
 * clips with matching `from`/`length` reads as contiguous sample ranges too.
 */
export function planAudioChunks(
  boundaries: readonly number[],
  narrations: readonly NarrationSpan[],
): AudioChunkPlan[] {
  const chunks: AudioChunkPlan[] = [];
  for (let index = 0; index + 1 < boundaries.length; index += 1) {
    const start = boundaries[index] ?? 0;
    const end = boundaries[index + 1] ?? start;
    const pieces: AudioChunkPiece[] = [];
    for (const narration of narrations) {
      const from = Math.max(start, narration.start);
      const to = Math.min(end, narration.start + narration.samples);
      if (to <= from) continue;
      pieces.push({
        path: narration.path,
        fileStart: narration.from + (from - narration.start),
        fileEnd: narration.from + (to - narration.start),
        delay: from - start,
        volume: narration.volume,
      });
    }
    chunks.push({ index, start, samples: end - start, pieces });
  }
  return chunks;
}
