/**
 * Queue dispatch: LitinkAI's BullMQ JobQueue against BullMQ's own bare Queue/Worker with the same
 * settings (concurrency, priorities across the five tiers, attempts, backoff, removal), in the same
 * process and Redis. For a burst of empty jobs (10,000 by default; `QUEUE_BENCH_JOBS`) it prints the
 * median and p95 enqueue-to-start latency and the dispatch throughput (first enqueue to last result),
 * then the latency of single jobs on an idle queue. `overhead_ratio` compares against a bare worker that
 * only counts completions; `overhead_ratio_vs_awaited` against bare BullMQ where every submitter awaits
 * its result (`job.waitUntilFinished`), which is what `run()` provides. `litink` submits and works in one
 * queue instance (its results settle in memory); `remote` submits from one instance and works in
 * another, so every result crosses Redis on the reply channel (decision 0010), as between machines; its
 * ratio is printed beside the others. Then the wall time of one offline video on 1, 2 and 3 worker
 * processes (`bench/workers.bench.ts`). The last line is one JSON object. Needs Redis at `REDIS_URL`
 * (default redis://127.0.0.1:6379) and PostgreSQL for the workers. Run with `npm run bench:queue`.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { Queue, QueueEvents, Worker } from "bullmq";
import { Redis } from "ioredis";
import { z } from "zod";
import { createBullmqJobQueue } from "../src/queue/bullmq-job-queue.ts";
import { defineJob } from "../src/queue/index.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const JOBS = Number(process.env.QUEUE_BENCH_JOBS ?? 10_000);
const ROUNDS = Number(process.env.QUEUE_BENCH_ROUNDS ?? 3);
const IDLE_JOBS = 100;
const CONCURRENCY = 8;
const RUN_PREFIX = `litink-bench-${randomUUID().slice(0, 8)}`;
const SETTINGS = { attempts: 1, backoffMs: 1000, removeOnFail: { age: 3600, count: 1000 } };

const empty = defineJob<{ enqueuedAt: number }, null>({
  type: "bench.empty",
  payload: z.object({ enqueuedAt: z.number() }),
  timeoutMs: 10_000,
  attempts: SETTINGS.attempts,
  backoffMs: SETTINGS.backoffMs,
});

interface Sample {
  readonly latencies: number[];
  readonly seconds: number;
}

/** One side of the comparison: submits `count` jobs and resolves when all are done. */
interface Side {
  burst(count: number): Promise<Sample>;
  idle(count: number): Promise<number[]>;
  close(): Promise<void>;
}

let round = 0;
const nextPrefix = () => `${RUN_PREFIX}-${++round}`;

/** LitinkAI's queue; with `separateWorker`, jobs run in a second queue instance (another "process"). */
function litinkSide(separateWorker: boolean): Side {
  const prefix = nextPrefix();
  const queue = createBullmqJobQueue({ connection: REDIS_URL, prefix, concurrency: CONCURRENCY });
  const worker = separateWorker
    ? createBullmqJobQueue({ connection: REDIS_URL, prefix, concurrency: CONCURRENCY })
    : queue;
  let latencies: number[] = [];
  worker.register(empty, async ({ enqueuedAt }) => {
    latencies.push(performance.now() - enqueuedAt);
    return null;
  });
  return {
    async burst(count) {
      await queue.ready();
      await worker.ready();
      latencies = [];
      const start = performance.now();
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          queue.run(empty, { enqueuedAt: performance.now() }, { priority: 1 + (i % 5) }),
        ),
      );
      return { latencies, seconds: (performance.now() - start) / 1000 };
    },
    async idle(count) {
      latencies = [];
      for (let i = 0; i < count; i++)
        await queue.run(empty, { enqueuedAt: performance.now() }, { priority: 3 });
      return latencies;
    },
    async close() {
      await queue.close();
      if (worker !== queue) await worker.close();
    },
  };
}

/**
 * Bare BullMQ. With `awaitResults`, each submission also waits for its job's result the BullMQ way
 * (`job.waitUntilFinished(queueEvents)`), as `run()` does; without, completions are only counted.
 */
function bareSide(awaitResults: boolean): Side {
  const prefix = nextPrefix();
  const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
  const queue = new Queue(empty.type, { connection, prefix });
  const events = awaitResults ? new QueueEvents(empty.type, { connection, prefix }) : undefined;
  // Each waitUntilFinished listens for the queue closing: thousands at once are expected here.
  queue.setMaxListeners(0);
  let latencies: number[] = [];
  let done = 0;
  let target = 0;
  let finished: () => void = () => undefined;
  const worker = new Worker(
    empty.type,
    async (job) => {
      latencies.push(performance.now() - (job.data as { enqueuedAt: number }).enqueuedAt);
      return null;
    },
    {
      connection,
      prefix,
      concurrency: CONCURRENCY,
      stalledInterval: 30_000,
      lockDuration: 30_000,
      maxStalledCount: 2,
    },
  );
  worker.on("completed", () => {
    done += 1;
    if (done === target) finished();
  });
  const add = async (priority: number): Promise<void> => {
    const job = await queue.add(
      empty.type,
      { enqueuedAt: performance.now() },
      {
        jobId: `j-${randomUUID()}`,
        priority,
        attempts: SETTINGS.attempts,
        backoff: { type: "exponential", delay: SETTINGS.backoffMs },
        removeOnComplete: true,
        removeOnFail: SETTINGS.removeOnFail,
      },
    );
    // A job that finished before waitUntilFinished looked is already removed (removeOnComplete):
    // BullMQ reports "Missing key"; the worker's completion count still covers it.
    if (events) {
      await job.waitUntilFinished(events).catch((error: unknown) => {
        if (!String(error).includes("Missing key for job")) throw error;
      });
    }
  };
  const runAll = async (count: number, submit: () => Promise<void>): Promise<void> => {
    done = 0;
    target = count;
    const all = new Promise<void>((resolve) => {
      finished = resolve;
    });
    await submit();
    await all;
  };
  return {
    async burst(count) {
      await worker.waitUntilReady();
      await events?.waitUntilReady();
      latencies = [];
      const start = performance.now();
      await runAll(count, async () => {
        await Promise.all(Array.from({ length: count }, (_, i) => add(1 + (i % 5))));
      });
      return { latencies, seconds: (performance.now() - start) / 1000 };
    },
    async idle(count) {
      latencies = [];
      for (let i = 0; i < count; i++) await runAll(1, () => add(3));
      return latencies;
    },
    async close() {
      await worker.close();
      await events?.close();
      await queue.close();
    },
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

const median = (values: readonly number[]) => percentile(values, 0.5);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  const sides = {
    bare: bareSide(false),
    awaited: bareSide(true),
    litink: litinkSide(false),
    remote: litinkSide(true),
  };
  const names = Object.keys(sides) as (keyof typeof sides)[];
  const throughput: Record<keyof typeof sides, number[]> = { bare: [], awaited: [], litink: [], remote: [] };
  const burstLatency: Record<keyof typeof sides, number[]> = {
    bare: [],
    awaited: [],
    litink: [],
    remote: [],
  };
  try {
    // Warm up both sides (connections, Lua scripts, JIT), then alternate rounds so drift hits both.
    for (const side of Object.values(sides)) await side.burst(200);
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which side goes first, so neither always runs on a Redis the other just churned.
      const order = [...names.slice(r % names.length), ...names.slice(0, r % names.length)];
      for (const name of order) {
        const sample = await sides[name].burst(JOBS);
        throughput[name].push(JOBS / sample.seconds);
        burstLatency[name].push(median(sample.latencies));
        console.log(
          `round ${r + 1} ${name.padEnd(7)}: ${JOBS} jobs in ${sample.seconds.toFixed(2)} s = ${(JOBS / sample.seconds).toFixed(0)} jobs/s; enqueue-to-start median ${fmt(median(sample.latencies))}, p95 ${fmt(percentile(sample.latencies, 0.95))}`,
        );
      }
    }
    const idle = {
      bare: await sides.bare.idle(IDLE_JOBS),
      awaited: await sides.awaited.idle(IDLE_JOBS),
      litink: await sides.litink.idle(IDLE_JOBS),
      remote: await sides.remote.idle(IDLE_JOBS),
    };
    for (const name of names) {
      console.log(
        `idle ${name.padEnd(7)}: one job at a time, enqueue-to-start median ${fmt(median(idle[name]))}, p95 ${fmt(percentile(idle[name], 0.95))}`,
      );
    }
    const bareRate = median(throughput.bare);
    const awaitedRate = median(throughput.awaited);
    const litinkRate = median(throughput.litink);
    const remoteRate = median(throughput.remote);
    const overhead = bareRate / litinkRate;
    const overheadAwaited = awaitedRate / litinkRate;
    const overheadRemote = bareRate / remoteRate;
    console.log(
      `median throughput: bare BullMQ ${bareRate.toFixed(0)} jobs/s, bare BullMQ awaiting results ${awaitedRate.toFixed(0)} jobs/s, LitinkAI ${litinkRate.toFixed(0)} jobs/s, LitinkAI with results crossing Redis ${remoteRate.toFixed(0)} jobs/s`,
    );
    console.log(
      `LitinkAI overhead ${overhead.toFixed(2)}x against the bare worker, ${overheadAwaited.toFixed(2)}x against bare BullMQ awaiting each result (target <= 1.2x); with results crossing Redis ${overheadRemote.toFixed(2)}x against the bare worker`,
    );
    console.log(`idle latency ratio: ${(median(idle.litink) / median(idle.bare)).toFixed(2)}x`);
    const scaling = await workerScaling();
    console.log(
      JSON.stringify({
        overhead_ratio: Number(overhead.toFixed(3)),
        jobs_per_s: Math.round(litinkRate),
        bare_jobs_per_s: Math.round(bareRate),
        overhead_ratio_vs_awaited: Number(overheadAwaited.toFixed(3)),
        awaited_jobs_per_s: Math.round(awaitedRate),
        overhead_ratio_remote: Number(overheadRemote.toFixed(3)),
        remote_jobs_per_s: Math.round(remoteRate),
        start_latency_ms_median: Number(median(burstLatency.litink).toFixed(1)),
        bare_start_latency_ms_median: Number(median(burstLatency.bare).toFixed(1)),
        idle_start_latency_ms_median: Number(median(idle.litink).toFixed(2)),
        bare_idle_start_latency_ms_median: Number(median(idle.bare).toFixed(2)),
        workers_1_s: scaling?.workers_1_s ?? null,
        workers_2_s: scaling?.workers_2_s ?? null,
        workers_3_s: scaling?.workers_3_s ?? null,
      }),
    );
  } finally {
    await Promise.allSettled(Object.values(sides).map((side) => side.close()));
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${RUN_PREFIX}-*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    await redis.quit();
  }
}

/**
 * The wall time of one offline video on 1, 2 and 3 `litink worker` processes: `bench/workers.bench.ts`
 * in a child process (it needs PostgreSQL too), its output passed through. `QUEUE_BENCH_WORKERS=0`
 * skips it (the keys are then null).
 */
async function workerScaling(): Promise<Record<string, number> | undefined> {
  if (process.env.QUEUE_BENCH_WORKERS === "0") return undefined;
  const script = path.join(import.meta.dirname, "workers.bench.ts");
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) {
    console.log(`worker scaling failed (exit ${code}); workers_N_s are null`);
    return undefined;
  }
  return JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as Record<string, number>;
}

await main();
