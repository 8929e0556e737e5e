import { EventEmitter } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { serviceAvailable, TEST_REDIS_URL, uniqueName } from "../../../test/support/services.ts";
import { loadConfig } from "../../config/index.ts";
import { createDatabase, type DatabaseHandle } from "../../db/index.ts";
import { createRedisEventBus, defineJob, type JobEvent } from "../../queue/index.ts";
import { createTestPrefixes, createTestQueue } from "../../queue/test-support/bullmq-test-queue.ts";
import { createStatusCommand } from "./status-command.ts";

const prefixes = createTestPrefixes(TEST_REDIS_URL);
const up = await serviceAvailable("Redis", TEST_REDIS_URL);

/** The same job type as the pipeline's image jobs, for jobs that only wait. */
const sceneTask = defineJob<{ videoId: string; stage: string; index: number }, void>({
  type: "pipeline.image",
  payload: z.object({ videoId: z.string(), stage: z.string(), index: z.number() }),
  timeoutMs: 1000,
  attempts: 1,
  backoffMs: 1,
});

describe.skipIf(!up)("litink status", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await prefixes.cleanup();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("shows stage progress from job_events and where the video's scene jobs stand in the queue", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "litink-status-"));
    dirs.push(dataDir);
    const env = { ...process.env, DATABASE_URL: "", LITINK_DATA_DIR: dataDir, REDIS_URL: TEST_REDIS_URL };
    const database = await createDatabase(loadConfig({ env }).database);
    await database.migrate();
    const video = await database.db
      .insertInto("videos")
      .values({ options: JSON.stringify({}), tier_at_time: "free", status: "running" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto("job_events")
      .values([
        { video_id: video.id, job_id: video.id, stage: "script_generation", event: "succeeded" },
        {
          video_id: video.id,
          job_id: video.id,
          stage: "image_generation",
          event: "progress",
          data: JSON.stringify({ done: 1, total: 3 }),
        },
      ])
      .execute();

    const prefix = prefixes.next();
    const producer = createTestQueue(TEST_REDIS_URL, prefix);
    const other = producer.run(
      sceneTask,
      { videoId: "other", stage: "images", index: 0 },
      { priority: 1, jobId: "other/image_generation/0" },
    );
    const mine = [1, 2].map((index) =>
      producer.run(
        sceneTask,
        { videoId: video.id, stage: "images", index },
        { priority: 5, jobId: `${video.id}/image_generation/${index}` },
      ),
    );
    for (const job of [other, ...mine]) job.catch(() => undefined);

    const read = async (json: boolean) => {
      let text = "";
      // The open database is lent to the command: opening PGlite again takes seconds on a busy machine.
      await createStatusCommand({ env, database, output: { write: (t: string) => (text += t) } }).parseAsync(
        [video.id, "--prefix", prefix, ...(json ? ["--json"] : [])],
        { from: "user" },
      );
      return text;
    };
    await vi.waitFor(
      async () => {
        for (const id of [
          "other/image_generation/0",
          `${video.id}/image_generation/1`,
          `${video.id}/image_generation/2`,
        ]) {
          expect((await producer.position(sceneTask, id)).state).toBe("waiting");
        }
      },
      { timeout: 10_000, interval: 20 },
    );
    const status = JSON.parse(await read(true));
    expect(status).toMatchObject({ videoId: video.id, status: "running", tier: "free" });
    expect(status.stages).toEqual([
      { stage: "script_generation", event: "succeeded" },
      { stage: "image_generation", event: "progress", done: 1, total: 3 },
    ]);
    expect(status.queue).toMatchObject({ waiting: 2, active: 0, position: 1 });
    const text = await read(false);
    expect(text).toContain("image_generation   progress 1/3");
    expect(text).toContain("0 scene job(s) running, 2 waiting; 1 job(s) ahead of the next one");
    await producer.close();
    await database.close();

    // Opens (and closes) the database of the environment itself.
    await expect(
      createStatusCommand({ env, output: { write: () => undefined } }).parseAsync(["nope"], { from: "user" }),
    ).rejects.toMatchObject({ code: "cli.unknown_video", userFacing: true });
    // Two PGlite start-ups on disk: tens of seconds when the machine is busy.
  }, 120_000);
});

/**
 * Adds a running video with two stored events to `database`; returns its id. The events get explicit,
 * distinct times: PGlite's clock has millisecond steps, and two inserts in the same millisecond would
 * come back in either order.
 */
async function followedVideo(database: DatabaseHandle): Promise<string> {
  const at = Date.now() - 60_000;
  const { id } = await database.db
    .insertInto("videos")
    .values({ options: JSON.stringify({}), tier_at_time: "basic", status: "running" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await database.db
    .insertInto("job_events")
    .values({
      video_id: id,
      job_id: id,
      stage: "ingest",
      event: "succeeded",
      message: "The Gift of the Magi",
      created_at: new Date(at),
    })
    .execute();
  await database.db
    .insertInto("job_events")
    .values({
      video_id: id,
      job_id: id,
      stage: "script_generation",
      event: "started",
      created_at: new Date(at + 1000),
    })
    .execute();
  return id;
}

/** Runs `litink status --follow` in the background; `text()` is what it printed so far. */
function follow(database: DatabaseHandle, videoId: string, args: string[], env: NodeJS.ProcessEnv) {
  let text = "";
  const signals = new EventEmitter();
  const done = createStatusCommand({
    env,
    database,
    signals,
    pollIntervalMs: 20,
    output: { write: (t: string) => (text += t) },
  }).parseAsync([videoId, "--follow", ...args], { from: "user" });
  return { done, signals, text: () => text, lines: () => text.split("\n").filter((line) => line !== "") };
}

describe("litink status --follow", () => {
  const env = { ...process.env, DATABASE_URL: "", REDIS_URL: "", LITINK_DATA_DIR: os.tmpdir() };
  // One in-memory database for these tests (each has its own video): migrations take seconds.
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createDatabase({ kind: "pglite", dataDir: "memory://" });
    await database.migrate();
  });
  afterAll(() => database.close());

  it("without Redis prints the stored events, then each new one from the database, until the video finishes", async () => {
    const videoId = await followedVideo(database);
    const run = follow(database, videoId, [], env);
    await vi.waitFor(() => expect(run.lines()).toHaveLength(3));
    expect(run.lines()[0]).toBe(`video ${videoId}: running (basic tier)`);
    expect(run.lines()[1]).toMatch(/^ {2}\d\d:\d\d:\d\d ingest {13}succeeded: The Gift of the Magi$/);
    expect(run.lines()[2]).toMatch(/script_generation +started$/);
    await database.db
      .insertInto("job_events")
      .values({ video_id: videoId, job_id: videoId, stage: "script_generation", event: "succeeded" })
      .execute();
    await vi.waitFor(() => expect(run.lines()).toHaveLength(4));
    expect(run.lines()[3]).toMatch(/script_generation +succeeded$/);
    await database.db
      .updateTable("videos")
      .set({ status: "failed", finished_at: new Date() })
      .where("id", "=", videoId)
      .execute();
    await run.done;
    expect(run.lines()).toHaveLength(5);
    expect(run.lines()[4]).toBe(`video ${videoId}: failed`);
  });

  it("tells what to do when the Redis of REDIS_URL does not answer", async () => {
    const videoId = await followedVideo(database);
    const run = follow(database, videoId, [], { ...env, REDIS_URL: "redis://127.0.0.1:1" });
    await expect(run.done).rejects.toMatchObject({ code: "cli.redis_unavailable", userFacing: true });
  });

  it("stops at Ctrl-C while the video still runs", async () => {
    const videoId = await followedVideo(database);
    const run = follow(database, videoId, ["--json"], env);
    await vi.waitFor(() => expect(run.lines()).toHaveLength(2));
    run.signals.emit("SIGINT");
    await run.done;
    expect(run.lines().map((line) => JSON.parse(line).stage)).toEqual(["ingest", "script_generation"]);
  });

  it("prints the history of a finished video and its final status at once", async () => {
    const videoId = await followedVideo(database);
    const finishedAt = new Date("2026-11-29T07:00:00.000Z");
    await database.db
      .updateTable("videos")
      .set({ status: "succeeded", finished_at: finishedAt })
      .where("id", "=", videoId)
      .execute();
    const run = follow(database, videoId, ["--json"], env);
    await run.done;
    expect(run.lines().map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        videoId,
        stage: "ingest",
        status: "succeeded",
        message: "The Gift of the Magi",
      }),
      expect.objectContaining({ videoId, stage: "script_generation", status: "started" }),
      { videoId, stage: "job", status: "succeeded", at: finishedAt.toISOString() },
    ]);
  });

  it.skipIf(!up)(
    "with Redis prints the stored events, then live ones from the event bus, one JSON object a line",
    async () => {
      const videoId = await followedVideo(database);
      const prefix = uniqueName("litink-test-follow");
      const run = follow(database, videoId, ["--json", "--prefix", prefix], {
        ...env,
        REDIS_URL: TEST_REDIS_URL,
      });
      // The history is printed once the command has subscribed, so events sent from here on reach it.
      await vi.waitFor(() => expect(run.lines()).toHaveLength(2));
      const bus = createRedisEventBus({ connection: TEST_REDIS_URL, prefix });
      const live: JobEvent[] = [
        {
          videoId,
          stage: "image_generation",
          status: "progress",
          done: 1,
          total: 3,
          elapsedMs: 5000,
          at: new Date().toISOString(),
        },
        {
          videoId,
          stage: "image_generation",
          status: "progress",
          done: 2,
          total: 3,
          elapsedMs: 6000,
          at: new Date().toISOString(),
        },
      ];
      await bus.publish({ ...live[0]!, videoId: "another-video" });
      for (const event of live) await bus.publish(event);
      await vi.waitFor(() => expect(run.lines()).toHaveLength(4));
      await database.db
        .updateTable("videos")
        .set({ status: "cancelled", finished_at: new Date() })
        .where("id", "=", videoId)
        .execute();
      await run.done;
      const printed = run.lines().map((line) => JSON.parse(line) as JobEvent);
      expect(printed.slice(0, 2).map((event) => event.stage)).toEqual(["ingest", "script_generation"]);
      expect(printed.slice(2, 4)).toEqual(live);
      expect(printed[4]).toMatchObject({ videoId, stage: "job", status: "cancelled" });
      expect(printed).toHaveLength(5);
      await bus.close();
    },
  );
});
