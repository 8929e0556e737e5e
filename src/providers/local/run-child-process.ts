import { spawn } from "node:child_process";
import { ProviderError } from "../provider-error.ts";
import { LOCAL_PROVIDER_NAME } from "./local-unsupported.ts";

/** Options of {@link runChildProcess}. */
export interface RunChildOptions {
  /** What runs, for messages: "eSpeak NG", "FFmpeg". */
  readonly label: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly modelId: string;
  /** Written to the child's stdin, which is then closed. */
  readonly input?: string | undefined;
}

/**
 * Runs a program out of process (argument array, no shell) and collects its stdout, so a crash or a hang
 * cannot take the caller down: past `timeoutMs`, or on abort, the child is killed with SIGKILL.
 * Failures are ProviderErrors of the local provider: `timeout` or `server` (with the end of stderr).
 */
export async function runChildProcess(
  command: string,
  args: readonly string[],
  options: RunChildOptions,
): Promise<{ stdout: Buffer }> {
  options.signal?.throwIfAborted();
  // No TypeScript loaders or inspector flags of the parent in a child Node.
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
  child.stdin.end(options.input ?? "");

  const exit = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.once("error", (error) => resolve({ code: null, error }));
    child.once("close", (code) => resolve({ code }));
  });
  clearTimeout(timer);
  options.signal?.removeEventListener("abort", onAbort);

  if (killedFor === "abort") options.signal?.throwIfAborted();
  if (killedFor === "timeout") {
    throw new ProviderError(
      `${options.label} did not finish within ${options.timeoutMs} ms and was stopped`,
      {
        provider: LOCAL_PROVIDER_NAME,
        modelId: options.modelId,
        kind: "timeout",
      },
    );
  }
  if (exit.code !== 0) {
    const why =
      exit.error?.message ?? (stderr.trim().split("\n").slice(-3).join(" | ") || `exit code ${exit.code}`);
    throw new ProviderError(`${options.label} failed: ${why}`, {
      provider: LOCAL_PROVIDER_NAME,
      modelId: options.modelId,
      kind: "server",
      cause: exit.error,
    });
  }
  return { stdout: Buffer.concat(stdout) };
}
