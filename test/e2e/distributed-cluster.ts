/**
 * Helpers of the end-to-end tests that run the real `litink` binary: child `litink render` and `litink
 * worker` processes, and deployments whose processes share a fresh PostgreSQL database, a Redis key prefix
 * and a file store.
 */
import { type ChildProcess, execFile, type StdioOptions, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll } from "vitest";
import { PROJECT_ROOT } from "../../src/config/index.ts";
import { createTestPrefixes } from "../../src/queue/test-support/bullmq-test-queue.ts";
import { cleanLitinkEnv } from "../support/litink-env.ts";
import { serviceAvailable, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from "../support/services.ts";

const execFileAsync = promisify(execFile);
const BIN = path.join(PROJECT_ROOT, "bin", "litink.js");

/** The sample the end-to-end tests render. */
export const SAMPLE = path.join(PROJECT_ROOT, "examples", "the-gift-of-the-magi.txt");

/** Whether Redis and PostgreSQL answer (in CI, throws when they do not). */
export async function servicesUp(): Promise<boolean> {
  return (
    (await serviceAvailable("Redis", TEST_REDIS_URL)) &&
    (await serviceAvailable("PostgreSQL", TEST_DATABASE_URL))
  );
}

/** Unique Redis key prefixes for one test file's queues, all removed after its tests. */
export function queuePrefixes(): ReturnType<typeof createTestPrefixes> {
  const prefixes = createTestPrefixes(TEST_REDIS_URL);
  afterAll(() => prefixes.cleanup());
  return prefixes;
}

/** Runs `litink migrate` once, so the workers that start next do not all race to create the schema. */
async function migrate(env: NodeJS.ProcessEnv, cwd: string): Promise<void> {
  await runLitink(env, cwd, ["migrate"]);
}

/** The result line of `litink render --json`. */
export interface RenderLine {
  type: string;
  videoId: string;
  receipt: string;
  scenes: number;
  qcPassed: boolean;
}

/** A fresh PostgreSQL database for one test, dropped by `drop`. */
async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
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

/**
 * A fresh deployment for one test: its own migrated database, a file store shared by its processes, a temp
 * root, and the workers started on it.
 */
export interface Deployment {
  readonly root: string;
  readonly databaseUrl: string;
  /** The folder of the file store the deployment's processes share (their `STORAGE_URL`). */
  readonly storage: string;
  /** The environment of one `litink` process of the deployment, with its own data folder `name`. */
  env(name: string): NodeJS.ProcessEnv;
  /** Runs one `litink` command in the root as the deployment's process `name` (see {@link runLitink}). */
  litink(args: readonly string[], name?: string): Promise<{ stdout: string; stderr: string }>;
  /** Starts a `litink worker` named `name` on queue `prefix` (see {@link startWorker}); `remove` stops it. */
  startWorker(name: string, prefix: string): Promise<ChildProcess>;
  /** Stops the workers, drops the database and removes the root. */
  remove(): Promise<void>;
}

/** Creates and migrates a {@link Deployment}; `extraEnv` (e.g. the provider fakes' `env`) goes to every process. */
export async function createDeployment(extraEnv: Readonly<Record<string, string>> = {}): Promise<Deployment> {
  const database = await createTestDatabase();
  const root = await mkdtemp(path.join(os.tmpdir(), "litink-deployment-"));
  const shared = path.join(root, "storage");
  const workers: ChildProcess[] = [];
  const env = (name: string): NodeJS.ProcessEnv =>
    cleanLitinkEnv({
      ...extraEnv,
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      STORAGE_URL: pathToFileURL(shared).toString(),
      LITINK_DATA_DIR: path.join(root, name),
    });
  const remove = async (): Promise<void> => {
    await Promise.all(workers.map((worker) => stop(worker)));
    await database.drop();
    await rm(root, { recursive: true, force: true });
  };
  try {
    await mkdir(shared, { recursive: true });
    await migrate(env("client"), root);
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    root,
    databaseUrl: database.url,
    storage: shared,
    env,
    litink: (args, name = "client") => runLitink(env(name), root, args),
    async startWorker(name, prefix) {
      const worker = await startWorker(env(name), root, prefix);
      workers.push(worker);
      return worker;
    },
    remove,
  };
}

/** Runs one `litink` command to its end (rejecting on a non-zero exit) and returns what it printed. */
export async function runLitink(
  env: NodeJS.ProcessEnv,
  cwd: string,
  args: readonly string[],
): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(process.execPath, [BIN, ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
}

/** Runs `litink render` and returns its result line. */
export async function render(
  env: NodeJS.ProcessEnv,
  cwd: string,
  args: readonly string[],
): Promise<RenderLine> {
  const { stdout } = await runLitink(env, cwd, ["render", SAMPLE, ...args]);
  const result = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as RenderLine)
    .find((line) => line.type === "result");
  if (!result) throw new Error(`no result line in:\n${stdout.slice(-2000)}`);
  return result;
}

/** Starts one `litink` command as a child process, without waiting for it. */
export function spawnLitink(
  env: NodeJS.ProcessEnv,
  cwd: string,
  args: readonly string[],
  stdio: StdioOptions = "ignore",
): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd, env, stdio });
}

/** Starts `litink worker` and resolves once it takes jobs. */
async function startWorker(env: NodeJS.ProcessEnv, cwd: string, prefix: string): Promise<ChildProcess> {
  const child = spawnLitink(
    env,
    cwd,
    [
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
    ["ignore", "pipe", "pipe"],
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
