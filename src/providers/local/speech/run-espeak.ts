import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { ProviderError } from "../../provider-error.ts";
import { LOCAL_PROVIDER_NAME } from "../local-unsupported.ts";
import { ESPEAK_CHILD_SOURCE } from "./espeak-child-source.ts";
import type { EspeakVoice } from "./espeak-voice.ts";

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
  /** Where to look for a system `espeak-ng`. @defaultValue process.env.PATH */
  readonly searchPath?: string | undefined;
}

const replySchema = z.object({ wav: z.string().min(1), phonemes: z.array(z.string()) });
const require = createRequire(import.meta.url);

/**
 * Synthesizes `text` with eSpeak NG in a child process, so a crash, a hang or a memory blow-up of the
 * synthesizer cannot take the pipeline down (past `timeoutMs`, or on abort, the child is killed): the
 * system `espeak-ng` binary when `ESPEAK_NG_PATH` or PATH has one, else the npm WASM build run by a child
 * Node. Errors are ProviderErrors: `timeout`, `server` (the child failed), `unsupported` (no build at all).
 */
export async function runEspeak(
  text: string,
  voice: EspeakVoice,
  options: RunEspeakOptions,
): Promise<EspeakOutput> {
  options.signal?.throwIfAborted();
  const args = ["-v", voice.voice, "-p", String(voice.pitch), "-s", String(voice.wordsPerMinute)];
  const system = findSystemEspeak(options.searchPath ?? process.env.PATH ?? "");
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
    const { stdout } = await runChild(
      binary,
      [...args, "-x", "--sep= ", "-w", wavPath, "--stdin"],
      text,
      options,
    );
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
  const moduleUrl = espeakModuleUrl(options.modelId);
  const { stdout } = await runChild(
    process.execPath,
    ["--input-type=module", "-e", ESPEAK_CHILD_SOURCE],
    JSON.stringify({ moduleUrl, args, text }),
    options,
  );
  const reply = replySchema.safeParse(safeJson(stdout.toString("utf8")));
  if (!reply.success) throw failure("invalid_response", "eSpeak NG returned no audio", options);
  return {
    wav: new Uint8Array(Buffer.from(reply.data.wav, "base64")),
    phonemes: reply.data.phonemes,
    build: "wasm",
  };
}

/** Runs a child with `input` on stdin, collecting stdout; kills it on timeout or abort. */
async function runChild(
  command: string,
  args: readonly string[],
  input: string,
  options: RunEspeakOptions,
): Promise<{ stdout: Buffer }> {
  // No TypeScript loaders or inspector flags of the parent in the child.
  const { NODE_OPTIONS: _parentOptions, ...environment } = process.env;
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], env: environment });
  const stdout: Buffer[] = [];
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-2000);
  });
  let killedFor: "timeout" | "abort" | undefined;
  const kill = (reason: "timeout" | "abort"): void => {
    killedFor ??= reason;
    child.kill("SIGKILL");
  };
  const timer = setTimeout(() => kill("timeout"), options.timeoutMs);
  const onAbort = (): void => kill("abort");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  child.stdin.on("error", () => undefined);
  child.stdin.end(input);

  const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.once("error", (error) => resolve({ code: null, error }));
    child.once("close", (code) => resolve({ code }));
  });
  clearTimeout(timer);
  options.signal?.removeEventListener("abort", onAbort);

  if (killedFor === "abort") options.signal?.throwIfAborted();
  if (killedFor === "timeout") {
    throw failure(
      "timeout",
      `eSpeak NG did not finish within ${options.timeoutMs} ms and was stopped`,
      options,
    );
  }
  if (exit.code !== 0) {
    const why = exit.error?.message ?? (stderr.trim() || `exit code ${exit.code}`);
    throw failure("server", `eSpeak NG failed: ${why}`, options, exit.error);
  }
  return { stdout: Buffer.concat(stdout) };
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

function espeakModuleUrl(modelId: string): string {
  try {
    return pathToFileURL(require.resolve("espeak-ng")).href;
  } catch (cause) {
    throw new ProviderError(
      "no eSpeak NG found: install espeak-ng (or set ESPEAK_NG_PATH), or run npm ci to get its WASM build",
      { provider: LOCAL_PROVIDER_NAME, modelId, kind: "unsupported", cause },
    );
  }
}

function failure(
  kind: "timeout" | "server" | "invalid_response",
  message: string,
  options: RunEspeakOptions,
  cause?: unknown,
): ProviderError {
  return new ProviderError(message, { provider: LOCAL_PROVIDER_NAME, modelId: options.modelId, kind, cause });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
