import { LitinkError } from "../../errors/index.ts";

/** Samples in one AAC-LC frame (one packet). */
export const AAC_FRAME = 1024;
/**
 * Samples of the track encoded before a piece's first kept packet and after its last. The frame at a
 * splice overlaps its neighbour by half a window, so both encoders must have seen the same signal
 * around it and have made the same window decisions: two frames were measured to be enough, one was
 * not. The cuts sit in pauses, so four frames (85 ms) usually read only silence of the neighbour.
 */
const ROLL = 4 * AAC_FRAME;

/**
 * One piece of the finished AAC track: the packets that decode to samples `start..end` (multiples of
 * {@link AAC_FRAME}), kept from an encode of the track's samples `inputStart..inputEnd`.
 */
export interface TrackPiece {
  readonly index: number;
  readonly start: number;
  readonly end: number;
  /** Samples of the track fed to the encoder (the piece and a little around it, clamped to the track). */
  readonly inputStart: number;
  readonly inputEnd: number;
  /** End of the piece's own samples inside the track (`end` except for the last piece). */
  readonly audibleEnd: number;
}

/**
 * The AAC sample nearest `sample`: pieces of the track start on AAC frames, so each one can be
 * encoded on its own and spliced packet for packet.
 */
export function nearestAacFrame(sample: number): number {
  return Math.round(sample / AAC_FRAME) * AAC_FRAME;
}

/**
 * The pieces of a track of `total` samples whose chunks start at `starts` (multiples of
 * {@link AAC_FRAME}, ascending, the first 0): one piece per chunk, the last running to the end of
 * the frame that holds the track's last sample.
 */
export function planTrackPieces(starts: readonly number[], total: number): TrackPiece[] {
  const pieces: TrackPiece[] = [];
  starts.forEach((start, index) => {
    if (start % AAC_FRAME !== 0) {
      throw new LitinkError(
        "render.bad_aac",
        `track piece ${index} starts at sample ${start}, not on an AAC frame`,
      );
    }
    const next = starts[index + 1];
    const end = next ?? Math.ceil(total / AAC_FRAME) * AAC_FRAME;
    if (end <= start) return;
    pieces.push({
      index: pieces.length,
      start,
      end,
      inputStart: Math.max(0, start - ROLL),
      inputEnd: Math.min(total, end + ROLL),
      audibleEnd: Math.min(total, end),
    });
  });
  return pieces;
}

/**
 * The packets of an ADTS stream (FFmpeg's `-f adts`), each with its 7- or 9-byte header. Throws when
 * the stream is not whole ADTS (lost sync, a truncated packet).
 */
export function adtsPackets(stream: Uint8Array, label: string): Uint8Array[] {
  const packets: Uint8Array[] = [];
  let offset = 0;
  while (offset < stream.length) {
    const header = stream.subarray(offset, offset + 7);
    const synced = header.length === 7 && header[0] === 0xff && ((header[1] ?? 0) & 0xf6) === 0xf0;
    const length = synced
      ? (((header[3] ?? 0) & 0x03) << 11) | ((header[4] ?? 0) << 3) | ((header[5] ?? 0) >> 5)
      : 0;
    if (!synced || length < 7 || offset + length > stream.length) {
      throw new LitinkError(
        "render.bad_aac",
        `${label}: the AAC encoder's output is not a whole ADTS stream (at byte ${offset} of ${stream.length})`,
      );
    }
    packets.push(stream.subarray(offset, offset + length));
    offset += length;
  }
  return packets;
}

/**
 * The packets of `piece` kept from an encode of its input: FFmpeg's AAC encoder starts one frame
 * early (its priming packet, presented at -1024), so packet `n` decodes to the samples from
 * `inputStart - 1024 + 1024 n`. The first piece keeps the priming packet too, so the joined stream
 * starts as a single encode would (the container's edit list skips it).
 */
export function keptPackets(packets: readonly Uint8Array[], piece: TrackPiece, label: string): Uint8Array[] {
  const first = piece.start === 0 ? -AAC_FRAME : piece.start;
  const from = (first - piece.inputStart + AAC_FRAME) / AAC_FRAME;
  const count = (piece.end - first) / AAC_FRAME;
  if (packets.length < from + count) {
    throw new LitinkError(
      "render.bad_aac",
      `${label}: the AAC encoder gave ${packets.length} packets for samples ${piece.inputStart}..${piece.inputEnd}; ` +
        `packets ${from}..${from + count - 1} were needed`,
    );
  }
  return packets.slice(from, from + count);
}
