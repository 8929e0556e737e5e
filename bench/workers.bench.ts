/**
 * `npm run bench:workers`: the wall time of one offline video (the ~750-word chapter of
 * `bench:pipeline`, 720p, Enterprise tier so up to 8 scenes run at once) rendered by `litink render
 * --no-local-work` with 1, 2 and 3 `litink worker` processes (`--concurrency 1` each) sharing PostgreSQL,
 * Redis and a file store. Each run starts from nothing cached: a fresh database, key prefix, store and
 * data folders. The workers are started and ready before the clock starts. The last line is one JSON
 * object. Needs the PostgreSQL and Redis of the tests (TEST_DATABASE_URL, TEST_REDIS_URL).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { cleanLitinkEnv } from "../test/support/litink-env.ts";
import { TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from "../test/support/services.ts";
import { benchmarkBook, timedRender, treasureIslandProse } from "./support/benchmark-book.ts";

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "bin", "litink.js");

async function startWorker(env: NodeJS.ProcessEnv, cwd: string, prefix: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      "worker",
      "--prefix",
      prefix,
      "--concurrency",
      "1",
      "--metrics-port",
      "0",
      "--metrics-host",
      "127.0.0.1",
    ],
    { cwd, env, stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(": taking ")) resolve();
    });
    child.once("exit", (code) =>
      reject(new Error(`a worker exited (${code}) before taking jobs:\n${output}`)),
    );
  });
  child.stdout?.resume();
  return child;
}

/** Renders `file` with `count` workers on fresh services; returns the render's wall seconds. */
async function renderWith(count: number, file: string, root: string): Promise<number> {
  const name = uniqueName("litink_bench_workers");
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const prefix = `litink-bench-${name}`;
  const work = await mkdtemp(path.join(root, `workers-${count}-`));
  const storage = path.join(work, "storage");
  await mkdir(storage, { recursive: true });
  const env = (folder: string) =>
    cleanLitinkEnv({
      DATABASE_URL: url.toString(),
      REDIS_URL: TEST_REDIS_URL,
      STORAGE_URL: pathToFileURL(storage).toString(),
      LITINK_DATA_DIR: path.join(work, folder),
    });
  const workers: ChildProcess[] = [];
  try {
    await execFileAsync(process.execPath, [BIN, "migrate"], { cwd: work, env: env("render") });
    for (let index = 0; index < count; index++) {
      workers.push(await startWorker(env(`worker-${index}`), work, prefix));
    }
    const { seconds, result } = await timedRender(file, work, env("render"), [
      "--no-local-work",
      "--prefix",
      prefix,
    ]);
    console.log(
      `${count} worker(s): ${seconds.toFixed(1)} s wall for ${result.durationSeconds.toFixed(0)} s of video (${result.scenes} scenes)`,
    );
    return seconds;
  } finally {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise((resolve) => {
            worker.once("exit", resolve);
            worker.kill("SIGTERM");
          }),
      ),
    );
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
}

const root = await mkdtemp(path.join(os.tmpdir(), "litink-bench-workers-"));
try {
  const file = path.join(root, "chapter.txt");
  await writeFile(file, benchmarkBook(await treasureIslandProse(), 1, 750));
  console.log(`${os.availableParallelism()} CPU core(s); each worker runs one job at a time`);
  const times: number[] = [];
  for (const count of [1, 2, 3]) times.push(await renderWith(count, file, root));
  console.log(
    JSON.stringify({
      workers_1_s: Number(times[0]!.toFixed(2)),
      workers_2_s: Number(times[1]!.toFixed(2)),
      workers_3_s: Number(times[2]!.toFixed(2)),
    }),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
