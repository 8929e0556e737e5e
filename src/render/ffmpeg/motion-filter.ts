import type { Easing, Motion } from "../timeline.ts";
import { round } from "./filter-escape.ts";

/** Start and end of a Ken Burns move: zoom factor and window position as fractions of the free room. */
export interface MotionPath {
  readonly zoomFrom: number;
  readonly zoomTo: number;
  readonly xFrom: number;
  readonly xTo: number;
  readonly yFrom: number;
  readonly yTo: number;
}

/** Turns a {@link Motion} into start and end zoom and window positions around `focus`. */
export function motionPath(motion: Motion, focus: { x: number; y: number }): MotionPath {
  const amount = motion.amount;
  switch (motion.type) {
    case "none":
      return { zoomFrom: 1, zoomTo: 1, xFrom: 0.5, xTo: 0.5, yFrom: 0.5, yTo: 0.5 };
    case "zoom-in":
      return { zoomFrom: 1, zoomTo: 1 + amount, xFrom: focus.x, xTo: focus.x, yFrom: focus.y, yTo: focus.y };
    case "zoom-out":
      return { zoomFrom: 1 + amount, zoomTo: 1, xFrom: focus.x, xTo: focus.x, yFrom: focus.y, yTo: focus.y };
    case "pan": {
      const dx = motion.direction.includes("left") ? -1 : motion.direction.includes("right") ? 1 : 0;
      const dy = motion.direction.startsWith("up") ? -1 : motion.direction.startsWith("down") ? 1 : 0;
      // The window moves across the whole free room; the zoom gives it `amount` of room to move in.
      return {
        zoomFrom: 1 + amount,
        zoomTo: 1 + amount,
        xFrom: 0.5 - dx / 2,
        xTo: 0.5 + dx / 2,
        yFrom: 0.5 - dy / 2,
        yTo: 0.5 + dy / 2,
      };
    }
    default: {
      const unreachable: never = motion.type;
      throw new Error(`unknown motion ${String(unreachable)}`);
    }
  }
}

/** The part of a motion path a clip plays (fractions 0..1). */
type MotionRange = NonNullable<Motion["range"]>;

/**
 * FFmpeg expression for eased progress 0..1 over `frames` output frames (`on` = output frame).
 * Without a range the clip plays the whole path, its last frame on the end. With a range it plays
 * `range.from` up to (not including) `range.to`, one step per frame, so the next clip, starting at
 * that `to`, continues the move without repeating a frame; the easing applies to the whole path.
 */
export function easingExpression(easing: Easing, frames: number, range?: MotionRange): string {
  const p = range
    ? `(${round(range.from, 9)}+${round(range.to - range.from, 9)}*on/${frames})`
    : frames > 1
      ? `(on/${frames - 1})`
      : "0";
  switch (easing) {
    case "linear":
      return p;
    case "ease-in":
      return `(${p}*${p})`;
    case "ease-out":
      return `(${p}*(2-${p}))`;
    case "ease-in-out":
      return `(${p}*${p}*(3-2*${p}))`;
    default: {
      const unreachable: never = easing;
      throw new Error(`unknown easing ${String(unreachable)}`);
    }
  }
}

/**
 * A `zoompan` filter that animates one still into `frames` frames of `width`x`height` at `fps`.
 * Feed it a picture already fitted to the output aspect (and upscaled, so the integer window
 * positions zoompan uses move smoothly). A `motion.range` plays only that part of the move.
 */
export function zoompanFilter(
  motion: Motion,
  focus: { x: number; y: number },
  frames: number,
  width: number,
  height: number,
  fps: number,
): string {
  const path = motionPath(motion, focus);
  const e = easingExpression(motion.easing, frames, motion.range);
  const lerp = (from: number, to: number): string =>
    from === to ? round(from) : `(${round(from)}+(${round(to - from)})*${e})`;
  const zoom = lerp(path.zoomFrom, path.zoomTo);
  const x = `(iw-iw/zoom)*${lerp(path.xFrom, path.xTo)}`;
  const y = `(ih-ih/zoom)*${lerp(path.yFrom, path.yTo)}`;
  return `zoompan=z='${zoom}':x='${x}':y='${y}':d=${frames}:s=${width}x${height}:fps=${fps}`;
}
