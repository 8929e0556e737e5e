import { execFile } from "node:child_process";
import { accessSync, chmodSync, constants } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { LitinkError } from "../errors/index.ts";

const execFileAsync = promisify(execFile);
const require = createRequire(import.meta.url);

/** Where a binary came from, in the order LitinkAI looks. */
export type BinarySource = "env" | "path" | "npm";

/** One resolved FFmpeg-family binary. */
export interface ResolvedBinary {
  readonly path: string;
  readonly source: BinarySource;
  /** "7.1", "4.1" or a git build label such as "N-47683-g0e8eb07980-static". */
  readonly version: string;
  /** Major version when it can be read from the version string; undefined for git builds. */
  readonly major: number | undefined;
}

/** The pair LitinkAI renders with. */
export interface FfmpegBinaries {
  readonly ffmpeg: ResolvedBinary;
  readonly ffprobe: ResolvedBinary;
}

/** Options for {@link resolveFfmpeg}: explicit paths win (`FFMPEG_PATH`, `FFPROBE_PATH`). */
export interface ResolveFfmpegOptions {
  readonly ffmpegPath?: string | undefined;
  readonly ffprobePath?: string | undefined;
  /** @defaultValue process.env.PATH */
  readonly searchPath?: string | undefined;
}

const cache = new Map<string, Promise<FfmpegBinaries>>();

/**
 * Finds ffmpeg and ffprobe: `FFMPEG_PATH`/`FFPROBE_PATH` first, then the system binaries on PATH, then the
 * npm-shipped static builds (`@ffmpeg-installer/ffmpeg`, `@ffprobe-installer/ffprobe`). The result is
 * cached per option set, so callers may ask freely.
 */
export function resolveFfmpeg(options: ResolveFfmpegOptions = {}): Promise<FfmpegBinaries> {
  const key = JSON.stringify([
    options.ffmpegPath,
    options.ffprobePath,
    options.searchPath ?? process.env.PATH,
  ]);
  let found = cache.get(key);
  if (!found) {
    found = resolveBoth(options);
    found.catch(() => cache.delete(key));
    cache.set(key, found);
  }
  return found;
}

async function resolveBoth(options: ResolveFfmpegOptions): Promise<FfmpegBinaries> {
  const searchPath = options.searchPath ?? process.env.PATH ?? "";
  const [ffmpeg, ffprobe] = await Promise.all([
    resolveOne("ffmpeg", options.ffmpegPath, searchPath, "@ffmpeg-installer/ffmpeg"),
    resolveOne("ffprobe", options.ffprobePath, searchPath, "@ffprobe-installer/ffprobe"),
  ]);
  return { ffmpeg, ffprobe };
}

async function resolveOne(
  name: "ffmpeg" | "ffprobe",
  explicit: string | undefined,
  searchPath: string,
  npmPackage: string,
): Promise<ResolvedBinary> {
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new LitinkError(
        "ffmpeg.not_found",
        `${name.toUpperCase()}_PATH points to ${explicit}, which is not an executable file`,
        { userFacing: true },
      );
    }
    return withVersion(explicit, "env");
  }
  for (const directory of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(directory, name);
    if (isExecutable(candidate)) return withVersion(candidate, "path");
  }
  const shipped = npmBinary(npmPackage);
  if (shipped) return withVersion(shipped, "npm");
  throw new LitinkError(
    "ffmpeg.not_found",
    `${name} was not found: install FFmpeg, set ${name.toUpperCase()}_PATH, or run npm ci to get ${npmPackage}`,
    { userFacing: true },
  );
}

function npmBinary(npmPackage: string): string | undefined {
  try {
    const { path: binaryPath } = require(npmPackage) as { path: string };
    // npm may skip the package's postinstall chmod (install scripts not approved): make it runnable.
    if (!isExecutable(binaryPath)) chmodSync(binaryPath, 0o755);
    return binaryPath;
  } catch {
    return undefined;
  }
}

async function withVersion(binaryPath: string, source: BinarySource): Promise<ResolvedBinary> {
  const { stdout } = await execFileAsync(binaryPath, ["-hide_banner", "-version"], { timeout: 15_000 });
  const version = /version\s+(\S+)/.exec(stdout)?.[1] ?? "unknown";
  const majorMatch = /^n?(\d+)\./.exec(version);
  return { path: binaryPath, source, version, major: majorMatch ? Number(majorMatch[1]) : undefined };
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
