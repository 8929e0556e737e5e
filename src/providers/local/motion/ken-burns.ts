/** The camera moves the local image-to-video model can make on a still. */
export const KEN_BURNS_MOVES = ["zoom_in", "zoom_out", "pan_right", "pan_left"] as const;

/** One camera move. */
export type KenBurnsMove = (typeof KEN_BURNS_MOVES)[number];

/** What {@link kenBurnsFilter} needs. */
export interface KenBurnsSpec {
  readonly move: KenBurnsMove;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly frames: number;
  /** How far the zoom goes (1.1 = 10 % closer). @defaultValue 1.1 */
  readonly zoom?: number | undefined;
}

/**
 * Picks the move for a prompt: an explicit "zoom in", "zoom out", "pan left", "pan right" (or "push in",
 * "pull back") wins, else the seed chooses, so the same request always moves the same way.
 */
export function chooseMove(prompt: string | undefined, seed: number): KenBurnsMove {
  const text = prompt?.toLowerCase() ?? "";
  if (/\b(?:zoom(?:s|ing)? out|pull(?:s|ing)? (?:back|out)|dolly out)\b/.test(text)) return "zoom_out";
  if (/\b(?:zoom(?:s|ing)? in|push(?:es|ing)? in|dolly in|closer)\b/.test(text)) return "zoom_in";
  if (/\bpan(?:s|ning)? left\b/.test(text)) return "pan_left";
  if (/\bpan(?:s|ning)? right\b|\bpan(?:s|ning)?\b/.test(text)) return "pan_right";
  return KEN_BURNS_MOVES[(seed >>> 0) % KEN_BURNS_MOVES.length]!;
}

/**
 * The FFmpeg filter graph (FFmpeg 4.1 compatible) of a Ken Burns move on one still: the still is cropped
 * to the output aspect at twice the output size (so zoompan's whole-pixel steps do not judder), then
 * zoompan (anchored at the bottom edge) produces exactly `frames` frames at `fps` with the zoom or pan eased from start to end.
 */
export function kenBurnsFilter(spec: KenBurnsSpec): string {
  const { width: w, height: h, fps, frames } = spec;
  const zoom = spec.zoom ?? 1.1;
  const span = Math.max(1, frames - 1);
  // Smoothstep easing of the progress on/span, 0 → 1.
  const t = `(3*pow(on/${span},2)-2*pow(on/${span},3))`;
  const centerX = "iw/2-(iw/zoom/2)";
  // Anchored at the bottom edge, so the key line set at the bottom of a local illustration stays in view.
  const bottomY = "ih-ih/zoom";
  let z: string;
  let x: string;
  switch (spec.move) {
    case "zoom_in":
      z = `1+${zoom - 1}*${t}`;
      x = centerX;
      break;
    case "zoom_out":
      z = `${zoom}-${zoom - 1}*${t}`;
      x = centerX;
      break;
    case "pan_right":
      z = String(zoom);
      x = `(iw-iw/zoom)*${t}`;
      break;
    case "pan_left":
      z = String(zoom);
      x = `(iw-iw/zoom)*(1-${t})`;
      break;
  }
  return [
    `scale=${w * 2}:${h * 2}:force_original_aspect_ratio=increase`,
    `crop=${w * 2}:${h * 2}`,
    `zoompan=z='${z}':x='${x}':y='${bottomY}':d=${frames}:s=${w}x${h}:fps=${fps}`,
    "setsar=1",
    "format=yuv420p",
  ].join(",");
}
