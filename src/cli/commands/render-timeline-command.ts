import os from "node:os";
import path from "node:path";
import { Command, Option } from "commander";
import { LitinkError } from "../../errors/index.ts";
import { createFfmpegRenderer, type RenderProgress, readTimelineFile } from "../../render/index.ts";

interface RenderTimelineFlags {
  out: string;
  cacheDir: string;
  concurrency?: number;
  json?: boolean;
}

/**
 * `litink render-timeline TIMELINE.json --out FILE`: renders a timeline file to an MP4 (plus .srt, .vtt
 * and .jpg beside it) with a progress bar on a terminal; `--json` prints the result as one JSON object.
 */
export function createRenderTimelineCommand(): Command {
  return new Command("render-timeline")
    .description("render a timeline JSON file to an MP4 with captions, chapters and a thumbnail")
    .argument("<timeline>", "the timeline JSON file (asset paths relative to it)")
    .requiredOption("--out <file>", "the MP4 to write")
    .option(
      "--cache-dir <dir>",
      "segment cache folder (reused across renders)",
      path.join(os.tmpdir(), "litink-render-cache"),
    )
    .addOption(
      new Option("--concurrency <n>", "segments rendered at once").argParser((value) => {
        const count = Number(value);
        if (!Number.isInteger(count) || count < 1 || count > 32) {
          throw new LitinkError(
            "cli.invalid_option",
            `--concurrency must be a whole number from 1 to 32, not "${value}"`,
            {
              userFacing: true,
            },
          );
        }
        return count;
      }),
    )
    .option("--json", "print one JSON object with the result")
    .action(async (file: string, flags: RenderTimelineFlags) => {
      const timeline = await readTimelineFile(file);
      const renderer = createFfmpegRenderer({ cacheDir: flags.cacheDir, concurrency: flags.concurrency });
      const bar = process.stderr.isTTY && !flags.json ? progressBar(process.stderr) : undefined;
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once("SIGINT", stop);
      try {
        const result = await renderer.render(timeline, flags.out, {
          onProgress: bar,
          signal: controller.signal,
        });
        if (bar) process.stderr.write("\n");
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result)}\n`);
        } else {
          process.stdout.write(
            `${result.outputPath}: ${result.duration.toFixed(2)} s; segments rendered ${result.rendered.length}, reused ${result.reused.length}\n` +
              `captions ${result.srtPath}, ${result.vttPath}; thumbnail ${result.thumbnailPath}\n`,
          );
        }
      } finally {
        process.removeListener("SIGINT", stop);
      }
    });
}

/** A one-line progress bar redrawn in place: stage, bar, percent and ETA. */
function progressBar(out: NodeJS.WriteStream): (progress: RenderProgress) => void {
  return (progress) => {
    const width = Math.max(10, Math.min(40, (out.columns ?? 80) - 40));
    const filled = Math.round((progress.percent / 100) * width);
    const eta = progress.etaSeconds === undefined ? "" : ` ETA ${Math.ceil(progress.etaSeconds)} s`;
    out.write(
      `\r${progress.stage.padEnd(9)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${progress.percent.toFixed(0).padStart(3)}%${eta}   `,
    );
  };
}
