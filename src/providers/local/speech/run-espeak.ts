import { accessSync, constants } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ProviderError } from "../../provider-error.ts";
import { LOCAL_PROVIDER_NAME } from "../local-unsupported.ts";
import { type RunChildOptions, runChildProcess } from "../run-child-process.ts";
import type { EspeakVoice } from "./espeak-voice.ts";
import type { EspeakWorkerPool } from "./espeak-worker-pool.ts";

/** What one eSpeak NG run produced. */
export interface EspeakOutput {
  readonly wav: Uint8Array;
  /** One line per clause eSpeak spoke: its words' phonemes, words separated by two spaces. */
  readonly phonemes: readonly string[];
  /** Which build spoke: the system binary or the npm WASM build. */
  readonly build: "system" | "wasm";
}

/** Options of {@link runEspeak}. */
export interface RunEspeakOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly modelId: string;
  /** An explicit eSpeak NG binary. @defaultValue `ESPEAK_NG_PATH`, else `espeak-ng` on PATH */
  readonly binary?: string | undefined;
  /** The WASM workers, used when there is no system binary (created on first use). */
  readonly workers: () => EspeakWorkerPool;
}

const require = createRequire(import.meta.url);

/**
 * Synthesizes `text` with eSpeak NG in a child process, so a crash, a hang or a memory blow-up of the
 * synthesizer cannot take the pipeline down (past `timeoutMs`, or on abort, the child is killed): the
 * system `espeak-ng` binary when `ESPEAK_NG_PATH` or PATH has one (one process per call), else the npm
 * WASM build in long-lived worker processes (see `EspeakWorkerPool`). Errors are ProviderErrors: `timeout`, `server` (the child failed), `unsupported` (no build at all).
 */
export async function runEspeak(
  text: string,
  voice: EspeakVoice,
  options: RunEspeakOptions,
): Promise<EspeakOutput> {
  options.signal?.throwIfAborted();
  const args = ["-v", voice.voice, "-p", String(voice.pitch), "-s", String(voice.wordsPerMinute)];
  const system = options.binary ?? findSystemEspeak(process.env.PATH ?? "");
  return system ? runSystem(system, args, text, options) : runWasm(args, text, options);
}

async function runSystem(
  binary: string,
  args: readonly string[],
  text: string,
  options: RunEspeakOptions,
): Promise<EspeakOutput> {
  const directory = await mkdtemp(path.join(tmpdir(), "litink-espeak-"));
  try {
    const wavPath = path.join(directory, "speech.wav");
    const { stdout } = await runChildProcess(binary, [...args, "-x", "--sep= ", "-w", wavPath, "--stdin"], {
      ...childOptions(options),
      input: text,
    });
    const phonemes = stdout
      .toString("utf8")
      .split("\n")
      .filter((line) => line.trim());
    return { wav: new Uint8Array(await readFile(wavPath)), phonemes, build: "system" };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function runWasm(
  args: readonly string[],
  text: string,
  options: RunEspeakOptions,
): Promise<EspeakOutput> {
  const reply = await options.workers().speak({
    args,
    text,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    modelId: options.modelId,
  });
  return { wav: reply.wav, phonemes: reply.phonemes, build: "wasm" };
}

/** `ESPEAK_NG_PATH`, else an executable `espeak-ng` on the search path. */
function findSystemEspeak(searchPath: string): string | undefined {
  const explicit = process.env.ESPEAK_NG_PATH;
  const candidates = explicit
    ? [explicit]
    : searchPath
        .split(path.delimiter)
        .filter(Boolean)
        .map((directory) => path.join(directory, "espeak-ng"));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The URL of the espeak-ng package's JS module (its WASM file lies beside it). */
export function espeakModuleUrl(modelId: string): string {
  try {
    return pathToFileURL(require.resolve("espeak-ng")).href;
  } catch (cause) {
    throw new ProviderError(
      "no eSpeak NG found: install espeak-ng (or set ESPEAK_NG_PATH), or run npm ci to get its WASM build",
      { provider: LOCAL_PROVIDER_NAME, modelId, kind: "unsupported", cause },
    );
  }
}

function childOptions(options: RunEspeakOptions): RunChildOptions {
  return {
    label: "eSpeak NG",
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    modelId: options.modelId,
  };
}
