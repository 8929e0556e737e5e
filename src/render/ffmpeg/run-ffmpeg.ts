import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { LitinkError } from "../../errors/index.ts";
import { createProgressParser, type FfmpegProgressBlock } from "./ffmpeg-progress.ts";

/** Options of {@link runFfmpeg}. */
export interface RunFfmpegOptions {
  readonly signal?: AbortSignal | undefined;
  /** Called for every `-progress` block; only when `args` contain `-progress pipe:1`. */
  readonly onProgress?: ((block: FfmpegProgressBlock) => void) | undefined;
  /** Files removed if the process fails or is aborted (partial outputs). */
  readonly outputs?: readonly string[] | undefined;
  /** What the run was for, named in errors ("segment scene-2"). */
  readonly label?: string | undefined;
  /** Keeps only the stderr lines this returns true for (analysis runs that log a line per frame). */
  readonly keepStderrLine?: ((line: string) => boolean) | undefined;
  /** Sees every stderr line, kept or not (for measurements printed a line at a time). */
  readonly onStderrLine?: ((line: string) => void) | undefined;
}

/** What a finished run printed. */
export interface FfmpegRun {
  readonly stdout: string;
  readonly stderr: string;
}

const STDERR_KEEP = 256 * 1024;

/**
 * Arguments that decode `file` through `filters` (e.g. `["-vf", "blackframe…"]`) and discard the
 * output, logging at `level+info` so analysis filters' lines can be read from stderr.
 */
export function analysisDecodeArgs(file: string, filters: readonly string[]): string[] {
  return [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-loglevel",
    "level+info",
    "-i",
    file,
    ...filters,
    "-f",
    "null",
    "-",
  ];
}

/**
 * The one place LitinkAI spawns FFmpeg or ffprobe: an argument array (never a shell), progress from
 * `-progress pipe:1`, stderr kept for the error summary, and an AbortSignal that kills the process
 * and removes partial outputs.
 */
export function runFfmpeg(
  binary: string,
  args: readonly string[],
  options: RunFfmpegOptions = {},
): Promise<FfmpegRun> {
  const { signal, onProgress, outputs = [], label = "ffmpeg", keepStderrLine, onStderrLine } = options;
  const splitLines = keepStderrLine !== undefined || onStderrLine !== undefined;
  return new Promise<FfmpegRun>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(label, signal));
      return;
    }
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], shell: false });
    let stdout = "";
    let stderr = "";
    const parse = onProgress ? createProgressParser(onProgress) : undefined;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (parse) parse(chunk);
      else stdout += chunk;
    });
    let partialLine = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (splitLines) {
        const lines = (partialLine + chunk).split("\n");
        partialLine = lines.pop() ?? "";
        if (onStderrLine) for (const line of lines) onStderrLine(line);
        const kept = keepStderrLine ? lines.filter(keepStderrLine) : lines;
        if (kept.length > 0) stderr += `${kept.join("\n")}\n`;
      } else {
        stderr += chunk;
      }
      // Keep the head (input errors) and the tail (the final failure) of very chatty runs.
      if (stderr.length > 2 * STDERR_KEEP)
        stderr = `${stderr.slice(0, STDERR_KEEP / 4)}\n…\n${stderr.slice(-STDERR_KEEP)}`;
    });
    const onAbort = (): void => {
      child.kill("SIGKILL");
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const cleanUp = async (): Promise<void> => {
      await Promise.all(outputs.map((file) => rm(file, { force: true, recursive: true })));
    };
    child.on("error", (cause) => {
      signal?.removeEventListener("abort", onAbort);
      void cleanUp().finally(() =>
        reject(
          new LitinkError("ffmpeg.spawn_failed", `${label}: could not start ${binary}: ${cause.message}`, {
            cause,
            details: { binary },
          }),
        ),
      );
    });
    child.on("close", (code, killedBy) => {
      signal?.removeEventListener("abort", onAbort);
      if (partialLine) {
        onStderrLine?.(partialLine);
        if (keepStderrLine?.(partialLine) ?? true) stderr += partialLine;
      }
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      void cleanUp().finally(() => {
        if (signal?.aborted) {
          reject(abortError(label, signal));
          return;
        }
        const summary = summarizeStderr(stderr);
        reject(
          new LitinkError("ffmpeg.failed", `${label}: FFmpeg exited with ${code ?? killedBy}: ${summary}`, {
            details: { exitCode: code, signal: killedBy, stderr: stderr.slice(-4000), args: [...args] },
          }),
        );
      });
    });
  });
}

/** The lines of FFmpeg stderr that explain a failure, at most a few hundred characters. */
export function summarizeStderr(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const telling = lines.filter((line) =>
    /error|invalid|no such|not found|cannot|could not|unable|failed|does not|unknown|too |mismatch/i.test(
      line,
    ),
  );
  const picked = (telling.length > 0 ? telling : lines).slice(-4).join(" | ");
  return picked.length > 600 ? `${picked.slice(0, 597)}...` : picked || "(no output)";
}

function abortError(label: string, signal: AbortSignal): LitinkError {
  return new LitinkError("render.aborted", `${label}: aborted`, { cause: signal.reason });
}
