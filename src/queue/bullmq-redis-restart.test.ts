import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { serviceAvailable, TEST_REDIS_URL } from "../../test/support/services.ts";
import { defineJob } from "./job-queue.ts";
import { createTestQueue } from "./test-support/bullmq-test-queue.ts";

const double = defineJob<{ value: number }, number>({
  type: "test.double",
  payload: z.object({ value: z.number() }),
  timeoutMs: 60_000,
  attempts: 2,
  backoffMs: 10,
});

// A Redis server of our own (the shared one on 6379 serves other tests): same port and data folder
// across the restart, with an append-only file so the queue survives it as a production Redis would.
const up = await serviceAvailable("Redis", TEST_REDIS_URL);
/** The redis-server binary (a system package, like the shared server's). */
const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? "redis-server";

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    REDIS_SERVER,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "yes",
      "--appendfsync",
      "always",
      "--dir",
      dir,
      "--daemonize",
      "no",
    ],
    { stdio: "ignore" },
  );
  child.on("error", () => undefined); // a missing binary shows as "did not start" below
  for (let i = 0; i < 200; i++) {
    const reachable = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (reachable) return child;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not start on port ${port}`);
}

async function stopRedis(child: ChildProcess): Promise<void> {
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

describe.skipIf(!up)("BullMQ across a Redis restart", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it("reconnects its workers and event listener, and the running job completes", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "litink-redis-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const port = await freePort();
    let redis = await startRedis(port, dir);
    cleanups.push(async () => redis.kill("SIGKILL"));
    const url = `redis://127.0.0.1:${port}`;
    const producer = createTestQueue(url, "litink-restart", { lockDurationMs: 5000 });
    const worker = createTestQueue(url, "litink-restart", { lockDurationMs: 5000 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    worker.register(double, async ({ value }) => {
      started();
      await gate;
      return value * 2;
    });
    await worker.ready();
    const first = producer.run(double, { value: 21 });
    await running;
    await stopRedis(redis);
    redis = await startRedis(port, dir);
    release();
    await expect(first).resolves.toBe(42);
    await expect(producer.run(double, { value: 2 })).resolves.toBe(4);
    await producer.close();
    await worker.close();
  }, 60_000);
});
