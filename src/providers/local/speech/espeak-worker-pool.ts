import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { z } from "zod";
import { ProviderError } from "../../provider-error.ts";
import { LOCAL_PROVIDER_NAME } from "../local-unsupported.ts";
import { ESPEAK_WORKER_SOURCE } from "./espeak-worker-source.ts";

/** One synthesis for a worker. */
export interface WorkerRequest {
  readonly args: readonly string[];
  readonly text: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly modelId: string;
}

/** A worker's answer. */
export interface WorkerReply {
  readonly wav: Uint8Array;
  readonly phonemes: readonly string[];
}

const replySchema = z.union([
  z.object({ id: z.number(), wav: z.string().min(1), phonemes: z.array(z.string()) }),
  z.object({ id: z.number(), error: z.string() }),
]);

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(error: unknown): void;
  modelId: string;
}

/** One long-lived child Node process running eSpeak NG's WASM build, one request at a time. */
class EspeakWorker {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, Pending>();
  #stderr = "";
  #dead = false;
  #nextId = 1;

  constructor(moduleUrl: string) {
    // No TypeScript loaders or inspector flags of the parent in the child.
    const { NODE_OPTIONS: _parentOptions, ...environment } = process.env;
    this.#child = spawn(process.execPath, ["--input-type=module", "-e", ESPEAK_WORKER_SOURCE, moduleUrl], {
      stdio: ["pipe", "pipe", "pipe"],
      env: environment,
    });
    this.#child.stdin.on("error", () => undefined);
    this.#child.stderr.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString("utf8")).slice(-2000);
    });
    createInterface({ input: this.#child.stdout }).on("line", (line) => this.#onLine(line));
    this.#child.once("error", (error) => this.#fail(`could not start: ${error.message}`, error));
    this.#child.once("close", (code, signal) =>
      this.#fail(`exited (${signal ?? `code ${code}`}): ${this.#stderr.trim() || "no message"}`),
    );
    this.#idle();
  }

  /** Whether the process is gone (crashed, killed, exited). */
  get dead(): boolean {
    return this.#dead;
  }

  /** Taken by a caller of the pool (set before its request is written, cleared when it is answered). */
  reserved = false;

  speak(request: WorkerRequest): Promise<WorkerReply> {
    const id = this.#nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, modelId: request.modelId });
      this.#busy();
      this.#child.stdin.write(`${JSON.stringify({ id, args: request.args, text: request.text })}\n`);
    });
  }

  /** Stops the process; its pending requests fail with `reason`. */
  kill(reason: ProviderError | Error): void {
    for (const pending of this.#pending.values()) pending.reject(reason);
    this.#pending.clear();
    this.#dead = true;
    this.#child.kill("SIGKILL");
  }

  #onLine(line: string): void {
    const parsed = replySchema.safeParse(safeJson(line));
    if (!parsed.success) return;
    const pending = this.#pending.get(parsed.data.id);
    if (!pending) return;
    this.#pending.delete(parsed.data.id);
    if (this.#pending.size === 0) this.#idle();
    if ("error" in parsed.data) {
      pending.reject(failure("server", `eSpeak NG failed: ${parsed.data.error}`, pending.modelId));
    } else {
      pending.resolve({
        wav: new Uint8Array(Buffer.from(parsed.data.wav, "base64")),
        phonemes: parsed.data.phonemes,
      });
    }
  }

  #fail(message: string, cause?: unknown): void {
    this.#dead = true;
    for (const pending of this.#pending.values()) {
      pending.reject(failure("server", `eSpeak NG worker ${message}`, pending.modelId, cause));
    }
    this.#pending.clear();
  }

  /** An idle worker must not keep the parent process alive. */
  #idle(): void {
    this.#child.unref();
    for (const stream of [this.#child.stdout, this.#child.stderr])
      (stream as { unref?: () => void }).unref?.();
  }

  #busy(): void {
    this.#child.ref();
    for (const stream of [this.#child.stdout, this.#child.stderr]) (stream as { ref?: () => void }).ref?.();
  }
}

/**
 * A small pool of eSpeak NG worker processes (the npm WASM build compiled once per worker, not once per
 * line), so a crash, a hang or a memory blow-up of the synthesizer cannot take the pipeline down: a
 * request past its timeout, or aborted, kills its worker, and the next request starts a fresh one.
 * Idle workers do not keep the process alive.
 */
export class EspeakWorkerPool {
  readonly #workers: EspeakWorker[] = [];
  readonly #waiting: (() => void)[] = [];

  constructor(
    private readonly moduleUrl: string,
    private readonly size: number,
  ) {}

  /** Synthesizes on a free worker, waiting for one when all are busy. */
  async speak(request: WorkerRequest): Promise<WorkerReply> {
    request.signal?.throwIfAborted();
    const worker = await this.#acquire();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      worker.kill(
        failure(
          "timeout",
          `eSpeak NG did not finish within ${request.timeoutMs} ms and was stopped`,
          request.modelId,
        ),
      );
    }, request.timeoutMs);
    const onAbort = (): void => worker.kill(request.signal?.reason ?? new Error("aborted"));
    request.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await worker.speak(request);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
      worker.reserved = false;
      if ((timedOut || worker.dead) && this.#workers.includes(worker)) {
        this.#workers.splice(this.#workers.indexOf(worker), 1);
      }
      this.#waiting.shift()?.();
    }
  }

  /** Stops every worker (for tests and shutdown; idle workers never block exit anyway). */
  close(): void {
    for (const worker of this.#workers.splice(0)) worker.kill(new Error("eSpeak NG worker pool closed"));
  }

  async #acquire(): Promise<EspeakWorker> {
    for (;;) {
      for (const dead of this.#workers.filter((worker) => worker.dead)) {
        this.#workers.splice(this.#workers.indexOf(dead), 1);
      }
      const free = this.#workers.find((worker) => !worker.reserved);
      if (free) {
        free.reserved = true;
        return free;
      }
      if (this.#workers.length < this.size) {
        const worker = new EspeakWorker(this.moduleUrl);
        worker.reserved = true;
        this.#workers.push(worker);
        return worker;
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }
}

function failure(
  kind: "timeout" | "server",
  message: string,
  modelId: string,
  cause?: unknown,
): ProviderError {
  return new ProviderError(message, { provider: LOCAL_PROVIDER_NAME, modelId, kind, cause });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
