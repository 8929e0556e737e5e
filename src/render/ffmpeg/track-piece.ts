import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { AAC_ENCODER_ARGS, adtsPackets, keptPackets, SAMPLE_RATE, type TrackPiece } from "../audio/index.ts";
import { hitCacheFile } from "../cache/touch-cache-entry.ts";
import { type PieceAnalysis, parsePieceAnalysis, pieceAnalysisArgs } from "../qc/piece-analysis.ts";
import { runFfmpeg } from "./run-ffmpeg.ts";
import { segmentKey } from "./segment-cache.ts";

/** A finished piece of the AAC track: its kept packets (ADTS) and QC's measurement of them. */
export interface TrackPieceResult {
  readonly piece: TrackPiece;
  /** ADTS packets decoding to the piece's samples; the pieces' files joined byte for byte are the track. */
  readonly path: string;
  readonly analysis: PieceAnalysis;
  readonly reused: boolean;
}

/** What {@link renderTrackPiece} needs. */
export interface TrackPieceContext {
  readonly ffmpegPath: string;
  readonly ffmpegVersion: string;
  /** Folder of the piece files (`<key>.aac` and the measurement `<key>.json` beside it). */
  readonly folder: string;
  /** Scratch folder for the encoder's input and whole output. */
  readonly workDir: string;
  readonly signal?: AbortSignal | undefined;
}

const PieceAnalysisSchema = z.object({
  blocks: z.array(z.number().nullable()),
  peaks: z.array(z.number().nullable()),
  truePeak: z.number().nullable(),
  silence: z.array(z.object({ start: z.number(), end: z.number() })),
  errors: z.array(z.string()),
});

/**
 * Encodes one piece of the track (or takes it from the cache): `input` (raw 48 kHz stereo float
 * samples `inputStart..inputEnd` of the narration) through `filter` (the loudness gain) to AAC, keeps
 * the packets that decode to `start..end`, and measures them for QC from the same encode. The key is
 * the hash of the very samples encoded, the filter and the piece's shape (not its place), so a piece
 * whose samples an edit did not touch is reused even when an earlier one changed length.
 */
export async function renderTrackPiece(
  piece: TrackPiece,
  input: Buffer,
  filter: string,
  context: TrackPieceContext,
): Promise<TrackPieceResult> {
  const samples = createHash("sha256").update(input).digest("hex");
  const key = segmentKey(
    {
      kind: "aac-piece/1",
      // The piece's shape, not its place: a piece moved along the track by an edit is the same piece.
      shape: {
        before: piece.start - piece.inputStart,
        length: piece.end - piece.start,
        audible: piece.audibleEnd - piece.start,
        after: piece.inputEnd - piece.end,
      },
      samples,
      filter,
      encoder: AAC_ENCODER_ARGS,
    },
    context.ffmpegVersion,
  );
  const aac = path.join(context.folder, `${key}.aac`);
  const json = path.join(context.folder, `${key}.json`);
  const stored = await readAnalysis(json);
  // A hit is marked as used for the cache pruner; a piece pruned meanwhile is made again.
  if (stored && (await hitCacheFile(aac))) {
    return { piece, path: aac, analysis: stored, reused: true };
  }
  const label = `audio piece ${piece.index}`;
  const scratch = await mkdtemp(path.join(context.workDir, `piece-${piece.index}-`));
  try {
    const pcm = path.join(scratch, "input.pcm");
    const encoded = path.join(scratch, "encoded.aac");
    await writeFile(pcm, input);
    await runFfmpeg(
      context.ffmpegPath,
      [
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-y",
        ...["-f", "f32le", "-ar", String(SAMPLE_RATE), "-ac", "2", "-channel_layout", "stereo", "-i", pcm],
        "-af",
        filter,
        ...AAC_ENCODER_ARGS,
        "-f",
        "adts",
        encoded,
      ],
      { signal: context.signal, label: `${label} encode`, outputs: [encoded] },
    );
    const packets = keptPackets(adtsPackets(await readFile(encoded), label), piece, label);
    const { stderr } = await runFfmpeg(context.ffmpegPath, pieceAnalysisArgs(encoded, piece), {
      signal: context.signal,
      label: `${label} qc`,
    });
    const analysis = parsePieceAnalysis(stderr, piece);
    await mkdir(context.folder, { recursive: true });
    const unique = `${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}`;
    const partial = path.join(context.folder, `${key}.${unique}.partial`);
    try {
      await writeFile(partial, Buffer.concat(packets));
      await rename(partial, aac);
      await writeFile(`${partial}.json`, JSON.stringify(analysis));
      // The measurement is written last: its presence marks a finished piece.
      await rename(`${partial}.json`, json);
    } finally {
      await Promise.all([rm(partial, { force: true }), rm(`${partial}.json`, { force: true })]);
    }
    return { piece, path: aac, analysis, reused: false };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readAnalysis(file: string): Promise<PieceAnalysis | undefined> {
  try {
    return PieceAnalysisSchema.parse(JSON.parse(await readFile(file, "utf8")));
  } catch {
    return undefined;
  }
}
