import type { AudioChunkPiece } from "./audio-chunk-plan.ts";
import { SAMPLE_RATE, TO_MIX_FORMAT } from "./sample-rate.ts";
import { sumStereoFilters } from "./sum-filter.ts";

/** Inputs of {@link buildAudioChunkCommand}. */
export interface AudioChunkSpec {
  readonly pieces: readonly AudioChunkPiece[];
  /** Exact length of the chunk in samples. */
  readonly samples: number;
  /** Raw 48 kHz stereo float file (`f32le`), so chunks join by concatenating bytes. */
  readonly outputPath: string;
}

/**
 * FFmpeg arguments that render one chunk of the narration track: every piece cut from its file by
 * sample (after resampling to 48 kHz, so the cuts of one file line up exactly), laid on silence at
 * its place with `concat` (no level change), overlapping pieces put on separate lanes that are
 * added exactly. The chunk is measured in the same pass by `ebur128=peak=true`, whose lines give
 * the 400 ms block loudness every 100 ms and whose summary gives the true peak.
 */
export function buildAudioChunkCommand(spec: AudioChunkSpec): string[] {
  const { pieces, samples } = spec;
  const inputs = pieces.flatMap((piece) => ["-i", piece.path]);
  const graph: string[] = [];
  const lanes = laneOf(pieces);
  const silence = (label: string, length: number): void => {
    graph.push(`anullsrc=r=${SAMPLE_RATE}:cl=stereo,atrim=end_sample=${length},${TO_MIX_FORMAT}[${label}]`);
  };
  const laneLabels = lanes.map((lane, laneIndex) => {
    const parts: string[] = [];
    let cursor = 0;
    for (const { piece, index } of lane) {
      if (piece.delay > cursor) {
        const gap = `g${index}`;
        silence(gap, piece.delay - cursor);
        parts.push(gap);
      }
      const length = piece.fileEnd - piece.fileStart;
      // Padding keeps the place of what follows even when the file is shorter than announced.
      graph.push(
        `[${index}:a]${TO_MIX_FORMAT},atrim=start_sample=${piece.fileStart}:end_sample=${piece.fileEnd},asetpts=N/SR/TB,volume=${piece.volume},apad=whole_len=${length},atrim=end_sample=${length}[p${index}]`,
      );
      parts.push(`p${index}`);
      cursor = piece.delay + length;
    }
    if (cursor < samples || parts.length === 0) {
      const tail = `t${laneIndex}`;
      silence(tail, samples - cursor);
      parts.push(tail);
    }
    const label = `lane${laneIndex}`;
    graph.push(
      parts.length === 1
        ? `[${parts[0]}]anull[${label}]`
        : `${parts.map((part) => `[${part}]`).join("")}concat=n=${parts.length}:v=0:a=1[${label}]`,
    );
    return label;
  });
  graph.push(
    ...sumStereoFilters(laneLabels, "voice"),
    `[voice]atrim=end_sample=${samples},asplit=2[out][meter]`,
    "[meter]ebur128=peak=true,anullsink",
  );
  return [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-y",
    ...inputs,
    "-filter_complex",
    graph.join(";"),
    "-map",
    "[out]",
    "-c:a",
    "pcm_f32le",
    "-ar",
    String(SAMPLE_RATE),
    "-ac",
    "2",
    "-f",
    "f32le",
    spec.outputPath,
  ];
}

/** Pieces on lanes where none overlaps another (pieces in input order keep their input index). */
function laneOf(pieces: readonly AudioChunkPiece[]): { piece: AudioChunkPiece; index: number }[][] {
  const lanes: { piece: AudioChunkPiece; index: number }[][] = [];
  const ends: number[] = [];
  const ordered = pieces
    .map((piece, index) => ({ piece, index }))
    .sort((a, b) => a.piece.delay - b.piece.delay);
  for (const entry of ordered) {
    const free = ends.findIndex((end) => end <= entry.piece.delay);
    const end = entry.piece.delay + entry.piece.fileEnd - entry.piece.fileStart;
    if (free >= 0) {
      lanes[free]?.push(entry);
      ends[free] = end;
    } else {
      lanes.push([entry]);
      ends.push(end);
    }
  }
  if (lanes.length === 0) lanes.push([]);
  return lanes;
}
