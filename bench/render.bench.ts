/**
 * `npm run bench:render`: LitinkAI's renderer against the fastest hand-written FFmpeg command for the
 * same video, in alternation in one process.
 *
 * - (a) litink: a 60-second 1280x720 30 fps timeline of six 10-second Ken Burns stills with narration,
 *   rendered by createFfmpegRenderer into an empty segment cache (segments, audio mix, two-pass
 *   loudnorm, concat, thumbnail).
 * - (b) ffmpeg: one command with the same six stills and narrations: scale, zoompan, concat, libx264
 *   veryfast CRF 23, AAC. This is the limit we measure against.
 * - re-render: after a full render, one scene's motion changes and the same renderer renders again
 *   (one segment re-encoded, the rest reused), as a fraction of the full render.
 * - narration edit: then one scene's narration volume changes and the renderer renders again (no
 *   segment, one audio chunk re-made, then the final audio pass: join, gain, AAC).
 * - qc: the full render checked by `qc` from its segments' analyses plus an audio-only pass, and by
 *   the full decode (`litink qc FILE`).
 *
 * Prints medians, the ratio (a)/(b) (target <= 1.05), the realtime factor of (a) and the re-render
 * fraction (target <= 0.25). The last line is one JSON object: litink_s, ffmpeg_s, ratio,
 * realtime_factor, rerender_fraction, narration_edit_s, qc_segments_s, qc_full_s. `BENCH_RENDER_RUNS` sets the runs per side (default 3).
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { resolveFfmpeg } from "../src/media/index.ts";
import { runFfmpeg } from "../src/render/ffmpeg/index.ts";
import {
  createFfmpegRenderer,
  parseTimeline,
  qc,
  type SegmentResult,
  type TimelineInput,
} from "../src/render/index.ts";

const RUNS = Number(process.env.BENCH_RENDER_RUNS ?? 3);
const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 30;
const SCENES = 6;
const SCENE_SECONDS = 10;
const FRAMES = SCENE_SECONDS * FPS;

const binaries = await resolveFfmpeg();
const ffmpeg = binaries.ffmpeg.path;
const folder = await mkdtemp(path.join(os.tmpdir(), "litink-bench-render-"));
const quiet = ["-hide_banner", "-nostdin", "-y", "-v", "error"];

async function makeInputs(): Promise<{ images: string[]; narrations: string[] }> {
  const images: string[] = [];
  const narrations: string[] = [];
  for (let index = 0; index < SCENES; index += 1) {
    const image = path.join(folder, `scene-${index}.jpg`);
    const narration = path.join(folder, `scene-${index}.wav`);
    const source =
      index % 2 === 0
        ? `mandelbrot=s=1920x1080:start_scale=${1.5 / (index + 1)}:end_scale=1:start_x=-0.75:start_y=0.1`
        : `testsrc2=s=1920x1080`;
    await runFfmpeg(ffmpeg, [...quiet, "-f", "lavfi", "-i", source, "-frames:v", "1", "-q:v", "3", image]);
    const tone = `0.3*sin(2*PI*${180 + 20 * index}*t)*abs(sin(2*PI*2.7*t))`;
    await runFfmpeg(ffmpeg, [...quiet, "-f", "lavfi", "-i", `aevalsrc=${tone}:s=48000:d=9`, narration]);
    images.push(image);
    narrations.push(narration);
  }
  return { images, narrations };
}

function timeline(
  images: readonly string[],
  narrations: readonly string[],
  changedScene?: number,
  quieterScene?: number,
): TimelineInput {
  return {
    version: 1,
    output: { width: WIDTH, height: HEIGHT, fps: FPS, quality: "standard" },
    clips: images.map((image, index) => ({
      id: `scene-${index + 1}`,
      type: "image" as const,
      path: image,
      duration: SCENE_SECONDS,
      fit: "crop" as const,
      motion: {
        type: index % 2 === 0 ? ("zoom-in" as const) : ("zoom-out" as const),
        amount: index === changedScene ? 0.3 : 0.2,
        easing: "linear" as const,
      },
      narration: { path: narrations[index] ?? "", offset: 0.5, volume: index === quieterScene ? 0.7 : 1 },
    })),
  };
}

/** The hand-written command: what a person would type to make the same video in one go. */
function handWrittenArgs(images: readonly string[], narrations: readonly string[], output: string): string[] {
  const inputs = [
    ...images.flatMap((image) => ["-i", image]),
    ...narrations.flatMap((narration) => ["-i", narration]),
  ];
  const video = images.map((_, index) => {
    const zoom = index % 2 === 0 ? `1+0.2*on/${FRAMES - 1}` : `1.2-0.2*on/${FRAMES - 1}`;
    return (
      `[${index}:v]scale=${WIDTH * 2}:${HEIGHT * 2}:force_original_aspect_ratio=increase,crop=${WIDTH * 2}:${HEIGHT * 2},` +
      `zoompan=z='${zoom}':x='(iw-iw/zoom)/2':y='(ih-ih/zoom)/2':d=${FRAMES}:s=${WIDTH}x${HEIGHT}:fps=${FPS},setsar=1[v${index}]`
    );
  });
  const audio = narrations.map(
    (_, index) =>
      `[${SCENES + index}:a]adelay=500|500,apad=whole_len=${SCENE_SECONDS * 48000},atrim=end_sample=${SCENE_SECONDS * 48000}[a${index}]`,
  );
  const labels = images.map((_, index) => `[v${index}][a${index}]`).join("");
  const graph = [...video, ...audio, `${labels}concat=n=${SCENES}:v=1:a=1[v][a]`].join(";");
  return [
    ...quiet,
    ...inputs,
    "-filter_complex",
    graph,
    "-map",
    "[v]",
    "-map",
    "[a]",
    "-c:v",
    "libx264",
    "-preset",
    "veryfast",
    "-crf",
    "23",
    "-pix_fmt",
    "yuv420p",
    "-c:a",
    "aac",
    "-movflags",
    "+faststart",
    output,
  ];
}

/** CPU seconds of finished child processes (FFmpeg), from /proc on Linux; NaN elsewhere. */
function childCpuSeconds(): number {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
    // cutime and cstime are fields 16 and 17 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return Number.NaN;
  }
}

const cpu = { litink: [] as number[], ffmpeg: [] as number[] };

async function time(work: () => Promise<unknown>, cpuSeconds?: number[]): Promise<number> {
  const cpuBefore = childCpuSeconds();
  const started = process.hrtime.bigint();
  await work();
  cpuSeconds?.push(childCpuSeconds() - cpuBefore);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

try {
  const { images, narrations } = await makeInputs();
  const litink: number[] = [];
  const reference: number[] = [];
  const rerender: number[] = [];
  const narrationEdit: number[] = [];
  const qcSegments: number[] = [];
  const qcFull: number[] = [];
  process.stdout.write(
    `FFmpeg ${binaries.ffmpeg.version} (${binaries.ffmpeg.source}); ${os.availableParallelism()} CPUs; ${RUNS} run(s) each\n`,
  );
  for (let run = 0; run < RUNS; run += 1) {
    const cacheDir = await mkdtemp(path.join(folder, "cache-"));
    const renderer = createFfmpegRenderer({ cacheDir });
    const output = path.join(folder, `litink-${run}.mp4`);
    let segments: readonly SegmentResult[] = [];
    const full = await time(async () => {
      segments = (await renderer.render(parseTimeline(timeline(images, narrations)), output)).segments;
    }, cpu.litink);
    litink.push(full);
    const checked = parseTimeline(timeline(images, narrations));
    qcSegments.push(await time(() => qc(output, checked, { segments })));
    qcFull.push(await time(() => qc(output, checked)));
    const again = await time(async () => {
      const result = await renderer.render(parseTimeline(timeline(images, narrations, run % SCENES)), output);
      if (result.rendered.length !== 1)
        throw new Error(`re-render encoded ${result.rendered.length} segments, expected 1`);
    });
    rerender.push(again / full);
    const edit = await time(async () => {
      const changed = timeline(images, narrations, run % SCENES, (run + 1) % SCENES);
      const result = await renderer.render(parseTimeline(changed), output);
      if (result.rendered.length !== 0 || result.audioReused)
        throw new Error("a narration edit must re-make the audio and no segment");
    });
    narrationEdit.push(edit);
    await rm(cacheDir, { recursive: true, force: true });
    const handWritten = await time(
      () => runFfmpeg(ffmpeg, handWrittenArgs(images, narrations, path.join(folder, `ffmpeg-${run}.mp4`))),
      cpu.ffmpeg,
    );
    reference.push(handWritten);
    process.stdout.write(
      `run ${run + 1}: litink ${full.toFixed(2)} s, re-render ${again.toFixed(2)} s, narration edit ${edit.toFixed(2)} s, ` +
        `qc ${qcSegments.at(-1)?.toFixed(2)} s from segments / ${qcFull.at(-1)?.toFixed(2)} s full decode, ffmpeg ${handWritten.toFixed(2)} s\n`,
    );
  }
  const litinkSeconds = median(litink);
  const ffmpegSeconds = median(reference);
  const ratio = litinkSeconds / ffmpegSeconds;
  const realtimeFactor = (SCENES * SCENE_SECONDS) / litinkSeconds;
  const rerenderFraction = median(rerender);
  process.stdout.write(
    `median litink ${litinkSeconds.toFixed(2)} s, hand-written ffmpeg ${ffmpegSeconds.toFixed(2)} s, ratio ${ratio.toFixed(3)} (target <= 1.05)\n` +
      `realtime factor ${realtimeFactor.toFixed(2)}x; re-render after one scene change ${(rerenderFraction * 100).toFixed(1)}% of a full render (target <= 25%)\n`,
  );
  // Wall time is what users wait for; CPU time shows the work done when other jobs share the machine.
  const cpuRatio = median(cpu.litink) / median(cpu.ffmpeg);
  process.stdout.write(
    `FFmpeg CPU time: litink ${median(cpu.litink).toFixed(1)} s, hand-written ${median(cpu.ffmpeg).toFixed(1)} s, ratio ${cpuRatio.toFixed(3)}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      litink_s: Number(litinkSeconds.toFixed(3)),
      ffmpeg_s: Number(ffmpegSeconds.toFixed(3)),
      ratio: Number(ratio.toFixed(3)),
      realtime_factor: Number(realtimeFactor.toFixed(3)),
      rerender_fraction: Number(rerenderFraction.toFixed(3)),
      narration_edit_s: Number(median(narrationEdit).toFixed(3)),
      qc_segments_s: Number(median(qcSegments).toFixed(3)),
      qc_full_s: Number(median(qcFull).toFixed(3)),
    })}\n`,
  );
} finally {
  await rm(folder, { recursive: true, force: true });
}
