/**
 * Helpers of the distributed end-to-end tests: child `litink render` and `litink worker` processes that
 * share a fresh PostgreSQL database, a Redis key prefix and a file store.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { PROJECT_ROOT } from "../../src/config/index.ts";
import { cleanLitinkEnv } from "../support/litink-env.ts";
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

/** A fresh deployment for one test: its own database, a file store shared by its processes, a temp root. */
export interface Deployment {
  readonly root: string;
  readonly databaseUrl: string;
  /** The environment of one `litink` process of the deployment, with its own data folder `name`. */
  env(name: string): NodeJS.ProcessEnv;
  /** Drops the database and removes the root. */
  remove(): Promise<void>;
}

/** Creates a {@link Deployment}; `extraEnv` (e.g. the provider fakes' `env`) goes to every process. */
export async function createDeployment(extraEnv: Readonly<Record<string, string>> = {}): Promise<Deployment> {
  const database = await createTestDatabase();
  const root = await mkdtemp(path.join(os.tmpdir(), "litink-deployment-"));
  const shared = path.join(root, "storage");
  await mkdir(shared, { recursive: true });
  return {
    root,
    databaseUrl: database.url,
    env: (name) =>
      cleanLitinkEnv({
        ...extraEnv,
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        STORAGE_URL: pathToFileURL(shared).toString(),
        LITINK_DATA_DIR: path.join(root, name),
      }),
    async remove() {
      await database.drop();
      await rm(root, { recursive: true, force: true });
    },
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
