import path from "node:path";
import type { Clip } from "../timeline.ts";
import { escapeFilterValue, ffmpegColour, round } from "./filter-escape.ts";
import { fitFilter } from "./fit-filter.ts";
import { zoompanFilter } from "./motion-filter.ts";

/** A text file a filter reads (drawtext `textfile=`), written before FFmpeg runs. */
export interface WorkFile {
  readonly path: string;
  readonly content: string;
}

/** What one clip contributes to a segment graph. */
export interface ClipSource {
  /** Input arguments (`-loop`, `-i`, …) in order; the first input gets index `firstInput`. */
  readonly inputArgs: string[];
  readonly inputCount: number;
  /** Graph text producing `[label]`: `frames` frames of width x height, yuv420p, SAR 1. */
  readonly filter: string;
  readonly files: WorkFile[];
}

/** Sizes and places a clip source needs. */
export interface ClipSourceContext {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly frames: number;
  readonly firstInput: number;
  readonly label: string;
  readonly fontsDir: string;
  readonly workDir: string;
}

/** Upscale factor before zoompan, so its whole-pixel window steps look smooth. */
const MOTION_OVERSCAN = 2;

/** Builds the inputs and filter text that render `clip` as `frames` frames labelled `context.label`. */
export function clipSourceFilter(clip: Clip, context: ClipSourceContext): ClipSource {
  const { width, height, fps, frames, firstInput, label } = context;
  const finish = `format=yuv420p,setsar=1,trim=end_frame=${frames},setpts=PTS-STARTPTS[${label}]`;
  switch (clip.type) {
    case "image": {
      const moving = clip.motion.type !== "none";
      const scale = moving ? MOTION_OVERSCAN : 1;
      const fitted = fitFilter(
        `${firstInput}:v`,
        `${label}_fit`,
        clip.fit,
        width * scale,
        height * scale,
        clip.focus,
      );
      const animate = moving
        ? zoompanFilter(clip.motion, clip.focus, frames, width, height, fps)
        : `loop=loop=${frames - 1}:size=1:start=0,setpts=N/(${fps}*TB)`;
      return {
        inputArgs: ["-i", clip.path],
        inputCount: 1,
        filter: `${fitted};[${label}_fit]${animate},${finish}`,
        files: [],
      };
    }
    case "video": {
      const loop = clip.fill === "loop" ? ["-stream_loop", "-1"] : [];
      const end = clip.trimEnd !== undefined ? `:end=${round(clip.trimEnd)}` : "";
      const trimmed = `[${firstInput}:v]trim=start=${round(clip.trimStart)}${end},setpts=PTS-STARTPTS,fps=${fps}[${label}_src]`;
      const fitted = fitFilter(`${label}_src`, `${label}_fit`, clip.fit, width, height, clip.focus);
      const hold =
        clip.fill === "freeze" ? `tpad=stop_mode=clone:stop_duration=${round(frames / fps + 1)},` : "";
      return {
        inputArgs: [...loop, "-i", clip.path],
        inputCount: 1,
        filter: `${trimmed};${fitted};[${label}_fit]${hold}${finish}`,
        files: [],
      };
    }
    case "colour": {
      const base = `color=c=${ffmpegColour(clip.colour)}:s=${width}x${height}:r=${fps}`;
      if (!clip.to) return { inputArgs: [], inputCount: 0, filter: `${base},${finish}`, files: [] };
      return {
        inputArgs: [],
        inputCount: 0,
        filter: `${base},trim=end_frame=1,format=rgb24,${gradientGeq(clip.colour, clip.to, clip.direction)},loop=loop=${frames - 1}:size=1:start=0,setpts=N/(${fps}*TB),${finish}`,
        files: [],
      };
    }
    case "title": {
      const font = fontFile(clip.font, context.fontsDir);
      const size = Math.max(8, Math.round(clip.size * height));
      const titleFile = path.join(context.workDir, `${label}-title.txt`);
      const files: WorkFile[] = [{ path: titleFile, content: clip.text }];
      const offset = clip.subtitle ? `-${Math.round(size * 0.6)}` : "";
      const draw = [
        drawtext({
          font,
          textFile: titleFile,
          size,
          colour: ffmpegColour(clip.colour),
          x: "(w-text_w)/2",
          y: `(h-text_h)/2${offset}`,
        }),
      ];
      if (clip.subtitle) {
        const subtitleFile = path.join(context.workDir, `${label}-subtitle.txt`);
        files.push({ path: subtitleFile, content: clip.subtitle });
        const subtitleSize = Math.max(8, Math.round(size * 0.5));
        draw.push(
          drawtext({
            font,
            textFile: subtitleFile,
            size: subtitleSize,
            colour: ffmpegColour(clip.colour, 0.85),
            x: "(w-text_w)/2",
            y: `(h/2)+${Math.round(size * 0.8)}`,
          }),
        );
      }
      return {
        inputArgs: [],
        inputCount: 0,
        filter: `color=c=${ffmpegColour(clip.background)}:s=${width}x${height}:r=${fps},${draw.join(",")},${finish}`,
        files,
      };
    }
    default: {
      const unreachable: never = clip;
      throw new Error(`unknown clip ${JSON.stringify(unreachable)}`);
    }
  }
}

/** A `drawtext` filter reading its text from a file, with expansion off so `%` is literal. */
export function drawtext(options: {
  font: string;
  textFile: string;
  size: number;
  colour: string;
  x: string;
  y: string;
}): string {
  return `drawtext=fontfile=${escapeFilterValue(options.font)}:textfile=${escapeFilterValue(options.textFile)}:expansion=none:fontsize=${options.size}:fontcolor=${options.colour}:x='${options.x}':y='${options.y}':line_spacing=${Math.round(options.size * 0.2)}`;
}

/** A font file: an absolute path as given, else a file name inside the bundled fonts folder. */
export function fontFile(font: string, fontsDir: string): string {
  return path.isAbsolute(font) ? font : path.join(fontsDir, font);
}

function gradientGeq(from: string, to: string, direction: "vertical" | "horizontal"): string {
  const channel = (hex: string, offset: number): number => Number.parseInt(hex.slice(offset, offset + 2), 16);
  const along = direction === "vertical" ? "Y/H" : "X/W";
  const expression = (offset: number): string => {
    const a = channel(from, offset);
    const b = channel(to, offset);
    return `'${a}+(${b - a})*${along}'`;
  };
  return `geq=r=${expression(1)}:g=${expression(3)}:b=${expression(5)}`;
}
