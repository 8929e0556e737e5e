import path from "node:path";
import type { OutputSettings, Overlay } from "../timeline.ts";
import type { SegmentPlan } from "../timeline-layout.ts";
import {
  type ClipSource,
  clipSourceFilter,
  drawtext,
  fontFile,
  type WorkFile,
} from "./clip-source-filter.ts";
import { escapeFilterValue, ffmpegColour, round } from "./filter-escape.ts";
import { videoEncoderArgs } from "./quality-settings.ts";
import { BLACK_FRAME_FILTER } from "./segment-analysis.ts";

/** Everything a segment render needs besides the timeline's clip. */
export interface SegmentCommandSpec {
  readonly plan: SegmentPlan;
  readonly output: OutputSettings;
  readonly watermark?: Overlay | undefined;
  readonly logo?: Overlay | undefined;
  /** ASS script of the captions inside this segment (segment-local times), when burned in. */
  readonly ass?: string | undefined;
  readonly fontsDir: string;
  readonly workDir: string;
  readonly outputPath: string;
}

/** An FFmpeg invocation: its arguments and the work files to write first. */
export interface FfmpegCommand {
  readonly args: string[];
  readonly files: WorkFile[];
}

/**
 * The FFmpeg command that renders one segment: the clip (and, for a crossfade, the previous clip's
 * tail blended into its head), fades through black, watermark and logo, burned-in captions, encoded
 * with the shared segment codec settings and no audio.
 */
export function buildSegmentCommand(spec: SegmentCommandSpec): FfmpegCommand {
  const { plan, output, fontsDir, workDir } = spec;
  const { width, height, fps } = output;
  const inputArgs: string[] = [];
  const files: WorkFile[] = [];
  const graph: string[] = [];
  let inputs = 0;
  const add = (source: ClipSource): void => {
    inputArgs.push(...source.inputArgs);
    inputs += source.inputCount;
    files.push(...source.files);
    graph.push(source.filter);
  };
  const context = { width, height, fps, fontsDir, workDir };
  const ownFrames = plan.clipFrames;
  add(clipSourceFilter(plan.clip, { ...context, frames: ownFrames, firstInput: inputs, label: "cur" }));
  let current = "cur";
  if (plan.previous && plan.crossfadeFrames > 0) {
    add(
      clipSourceFilter(plan.previous, {
        ...context,
        frames: plan.previousFrames,
        firstInput: inputs,
        label: "prev",
      }),
    );
    graph.push(crossfadeFilter("prev", "cur", "mixed", plan.previousFrames, plan.crossfadeFrames));
    current = "mixed";
  }
  // The crossfade that leads into the next clip lives in the next segment: cut it off here.
  const fades: string[] = [`trim=end_frame=${plan.frames}`, "setpts=PTS-STARTPTS"];
  if (plan.fadeInFrames > 0) fades.push(`fade=t=in:s=0:n=${plan.fadeInFrames}`);
  if (plan.fadeOutFrames > 0)
    fades.push(`fade=t=out:s=${plan.frames - plan.fadeOutFrames}:n=${plan.fadeOutFrames}`);
  graph.push(`[${current}]${fades.join(",")}[cut]`);
  current = "cut";
  for (const [name, overlay] of [
    ["watermark", spec.watermark],
    ["logo", spec.logo],
  ] as const) {
    if (!overlay) continue;
    const result = overlayFilter(overlay, current, name, { width, height, fontsDir, workDir, input: inputs });
    if (overlay.type === "image") {
      inputArgs.push("-i", overlay.path);
      inputs += 1;
    }
    files.push(...result.files);
    graph.push(result.filter);
    current = name;
  }
  if (spec.ass) {
    const assPath = path.join(workDir, "captions.ass");
    files.push({ path: assPath, content: spec.ass });
    graph.push(
      `[${current}]ass=filename=${escapeFilterValue(assPath)}:fontsdir=${escapeFilterValue(fontsDir)}:original_size=${width}x${height}[captioned]`,
    );
    current = "captioned";
  }
  // blackframe passes frames through and logs the black ones: the segment's analysis for QC.
  graph.push(`[${current}]format=yuv420p,${BLACK_FRAME_FILTER}[out]`);
  const args = [
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "level+info",
    "-y",
    ...inputArgs,
    "-filter_complex",
    graph.join(";"),
    "-map",
    "[out]",
    "-an",
    ...videoEncoderArgs(output.quality, fps),
    "-frames:v",
    String(plan.frames),
    "-progress",
    "pipe:1",
    "-f",
    "mp4",
    spec.outputPath,
  ];
  return { args, files };
}

/**
 * Blends the last `frames` frames of `previous` (which has `previousFrames` frames) into the first
 * `frames` frames of `current`, then continues with the rest of `current`.
 */
export function crossfadeFilter(
  previous: string,
  current: string,
  output: string,
  previousFrames: number,
  frames: number,
): string {
  const weight = `((N+1)/${frames + 1})`;
  return [
    `[${previous}]trim=start_frame=${previousFrames - frames},setpts=PTS-STARTPTS[${output}_tail]`,
    `[${current}]split=2[${output}_head_in][${output}_rest_in]`,
    `[${output}_head_in]trim=end_frame=${frames},setpts=PTS-STARTPTS[${output}_head]`,
    `[${output}_rest_in]trim=start_frame=${frames},setpts=PTS-STARTPTS[${output}_rest]`,
    `[${output}_tail][${output}_head]blend=all_expr='A*(1-${weight})+B*${weight}'[${output}_blend]`,
    `[${output}_blend][${output}_rest]concat=n=2:v=1:a=0[${output}]`,
  ].join(";");
}

/** Where an overlay of size w x h goes inside W x H, as overlay/drawtext x and y expressions. */
function placement(
  position: Overlay["position"],
  margin: number,
  widthName: string,
  heightName: string,
): { x: string; y: string } {
  switch (position) {
    case "top-left":
      return { x: `${margin}`, y: `${margin}` };
    case "top-right":
      return { x: `W-${widthName}-${margin}`, y: `${margin}` };
    case "bottom-left":
      return { x: `${margin}`, y: `H-${heightName}-${margin}` };
    case "bottom-right":
      return { x: `W-${widthName}-${margin}`, y: `H-${heightName}-${margin}` };
    case "center":
      return { x: `(W-${widthName})/2`, y: `(H-${heightName})/2` };
    default: {
      const unreachable: never = position;
      throw new Error(`unknown position ${String(unreachable)}`);
    }
  }
}

function overlayFilter(
  overlay: Overlay,
  input: string,
  output: string,
  context: { width: number; height: number; fontsDir: string; workDir: string; input: number },
): { filter: string; files: WorkFile[] } {
  const margin = Math.round(Math.min(context.width, context.height) * 0.03);
  if (overlay.type === "text") {
    const textFile = path.join(context.workDir, `${output}.txt`);
    const where = placement(overlay.position, margin, "text_w", "text_h");
    const filter = `[${input}]${drawtext({
      font: fontFile("DejaVuSans-Bold.ttf", context.fontsDir),
      textFile,
      size: Math.max(8, Math.round(overlay.size * context.height)),
      colour: ffmpegColour(overlay.colour, overlay.opacity),
      x: where.x.replace(/W/g, "w").replace(/H/g, "h"),
      y: where.y.replace(/W/g, "w").replace(/H/g, "h"),
    })}[${output}]`;
    return { filter, files: [{ path: textFile, content: overlay.text }] };
  }
  const overlayWidth = Math.max(2, Math.round((overlay.width * context.width) / 2) * 2);
  const where = placement(overlay.position, margin, "w", "h");
  const filter = [
    `[${context.input}:v]scale=${overlayWidth}:-2,format=rgba,colorchannelmixer=aa=${round(overlay.opacity, 3)}[${output}_image]`,
    `[${input}][${output}_image]overlay=x='${where.x}':y='${where.y}':eof_action=repeat[${output}]`,
  ].join(";");
  return { filter, files: [] };
}
