/**
 * Helpers of the distributed end-to-end tests: child `litink render` and `litink worker` processes that
 * share a fresh PostgreSQL database, a Redis key prefix and a file store.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { PROJECT_ROOT } from "../../src/config/index.ts";
import { serviceAvailable, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from "../support/services.ts";

const execFileAsync = promisify(execFile);
const BIN = path.join(PROJECT_ROOT, "bin", "litink.js");

/** The sample every distributed test renders. */
export const SAMPLE = path.join(PROJECT_ROOT, "examples", "the-gift-of-the-magi.txt");

/** Whether Redis and PostgreSQL answer (in CI, throws when they do not). */
export async function servicesUp(): Promise<boolean> {
  return (
    (await serviceAvailable("Redis", TEST_REDIS_URL)) &&
    (await serviceAvailable("PostgreSQL", TEST_DATABASE_URL))
  );
}

/** Runs `litink migrate` once, so the workers that start next do not all race to create the schema. */
export async function migrate(env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
  await execFileAsync(process.execPath, [BIN, "migrate"], { cwd, env });
}

/** The result line of `litink render --json`. */
export interface RenderLine {
  type: string;
  receipt: string;
  scenes: number;
  qcPassed: boolean;
}

/** A fresh PostgreSQL database for one test, dropped by `drop`. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = uniqueName("litink_distributed");
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Runs `litink render` and returns its result line. */
export async function render(
  env: NodeJS.ProcessEnv,
  cwd: string,
  args: readonly string[],
): Promise<RenderLine> {
  const { stdout } = await execFileAsync(process.execPath, [BIN, "render", SAMPLE, ...args], {
    cwd,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const result = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as RenderLine)
    .find((line) => line.type === "result");
  if (!result) throw new Error(`no result line in:\n${stdout.slice(-2000)}`);
  return result;
}

/** Starts `litink worker` and resolves once it takes jobs. */
export async function startWorker(
  env: NodeJS.ProcessEnv,
  cwd: string,
  prefix: string,
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      "worker",
      "--prefix",
      prefix,
      "--metrics-port",
      "0",
      "--metrics-host",
      "127.0.0.1",
      "--concurrency",
      "1",
      "--lock-seconds",
      "2",
      "--grace",
      "5",
    ],
    { cwd, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(": taking ")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${code}) before taking jobs:\n${output}`));
    });
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** Stops a child process and waits for it to exit. */
export async function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}
