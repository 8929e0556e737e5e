import type { Fit } from "../timeline.ts";
import { round } from "./filter-escape.ts";

/** Focus point for crops, fractions of width and height. */
export interface Focus {
  readonly x: number;
  readonly y: number;
}

/**
 * Filter graph text that fits `input` into a `width`x`height` frame and labels it `output`:
 * "crop" fills and crops around the focus point, "contain" letterboxes on black, "blur" puts the
 * whole picture over a blurred, cropped copy of itself (blurred at a quarter size to stay cheap).
 */
export function fitFilter(
  input: string,
  output: string,
  fit: Fit,
  width: number,
  height: number,
  focus: Focus = { x: 0.5, y: 0.5 },
): string {
  const cover = `scale=${width}:${height}:force_original_aspect_ratio=increase`;
  const contain = `scale=${width}:${height}:force_original_aspect_ratio=decrease`;
  switch (fit) {
    case "crop":
      return `[${input}]${cover},crop=${width}:${height}:'(iw-ow)*${round(focus.x, 4)}':'(ih-oh)*${round(focus.y, 4)}',setsar=1[${output}]`;
    case "contain":
      return `[${input}]${contain},pad=${width}:${height}:'(ow-iw)/2':'(oh-ih)/2':color=black,setsar=1[${output}]`;
    case "blur": {
      const smallWidth = Math.max(2, Math.round(width / 8) * 2);
      const smallHeight = Math.max(2, Math.round(height / 8) * 2);
      const radius = Math.max(1, Math.round(Math.min(smallWidth, smallHeight) / 20));
      return [
        `[${input}]split=2[${output}_bg_in][${output}_fg_in]`,
        `[${output}_bg_in]scale=${smallWidth}:${smallHeight}:force_original_aspect_ratio=increase,crop=${smallWidth}:${smallHeight},boxblur=${radius}:2,scale=${width}:${height},setsar=1[${output}_bg]`,
        `[${output}_fg_in]${contain},setsar=1[${output}_fg]`,
        `[${output}_bg][${output}_fg]overlay='(W-w)/2':'(H-h)/2'[${output}]`,
      ].join(";");
    }
    default: {
      const unreachable: never = fit;
      throw new Error(`unknown fit ${String(unreachable)}`);
    }
  }
}
