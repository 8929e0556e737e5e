import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config/index.ts";
import type { JobEvent } from "../../src/queue/index.ts";
import { cleanLitinkEnv } from "../support/litink-env.ts";
import { serviceAvailable, TEST_REDIS_URL, uniqueName } from "../support/services.ts";

const execFileAsync = promisify(execFile);
const BIN = path.join(PROJECT_ROOT, "bin", "litink.js");

const STORY = `THE LANTERN

by A. Tester

The lighthouse keeper climbed the stairs at dusk. "The lamp is cold," he said to the gull on the rail.
The gull only watched the sea, where a small boat rowed hard for home against the rising wind.
`;

const redisUp = await serviceAvailable("Redis", TEST_REDIS_URL);

describe.skipIf(!redisUp)("litink render publishes its progress on the Redis event bus", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "litink-events-"));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("sends every stage's start and end, with the video id, to a watcher on another connection", async () => {
    const prefix = uniqueName("litink_events");
    const source = path.join(work, "lantern.txt");
    await writeFile(source, STORY);
    // The video id exists only once the render has started: watch every video of this deployment.
    const watcher = new Redis(TEST_REDIS_URL);
    const received: JobEvent[] = [];
    watcher.on("pmessage", (_pattern, _channel, message: string) =>
      received.push(JSON.parse(message) as JobEvent),
    );
    await watcher.psubscribe(`${prefix}:events:*`);
    try {
      const { stdout } = await execFileAsync(
        process.execPath,
        [BIN, "render", source, "--json", "--prefix", prefix, "--out", path.join(work, "out")],
        {
          cwd: work,
          env: cleanLitinkEnv({ LITINK_DATA_DIR: path.join(work, "data"), REDIS_URL: TEST_REDIS_URL }),
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const result = stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { type: string; videoId?: string })
        .find((line) => line.type === "result");
      expect(result?.videoId).toBeTruthy();
      // Pub/sub delivery is asynchronous: give the last events a moment to arrive.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(new Set(received.map((event) => event.videoId))).toEqual(new Set([result?.videoId]));
      const seen = received.map((event) => `${event.stage}:${event.status}`);
      for (const stage of ["image_generation", "audio_generation", "post_processing", "quality_check"]) {
        expect(seen).toContain(`${stage}:started`);
        expect(seen).toContain(`${stage}:succeeded`);
      }
      expect(received.every((event) => !Number.isNaN(Date.parse(event.at)))).toBe(true);
    } finally {
      await watcher.quit();
    }
  }, 240_000);
});
