import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { serviceAvailable, TEST_REDIS_URL } from "../../../test/support/services.ts";
import { loadConfig } from "../../config/index.ts";
import { createDatabase } from "../../db/index.ts";
import { defineJob } from "../../queue/index.ts";
import { createTestPrefixes, createTestQueue } from "../../queue/test-support/bullmq-test-queue.ts";
import { createStatusCommand } from "./status-command.ts";

const prefixes = createTestPrefixes(TEST_REDIS_URL);
const up = await serviceAvailable("Redis", TEST_REDIS_URL);

/** The same job type as the pipeline's scene tasks, for jobs that only wait. */
const sceneTask = defineJob<{ videoId: string; stage: string; index: number }, void>({
  type: "pipeline.scene-task",
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
    await database.close();

    const prefix = prefixes.next();
    const producer = createTestQueue(TEST_REDIS_URL, prefix);
    const other = producer.run(
      sceneTask,
      { videoId: "other", stage: "images", index: 0 },
      { priority: 1, jobId: "other/0" },
    );
    const mine = [1, 2].map((index) =>
      producer.run(
        sceneTask,
        { videoId: video.id, stage: "images", index },
        { priority: 5, jobId: `${video.id}/images/${index}` },
      ),
    );
    for (const job of [other, ...mine]) job.catch(() => undefined);

    const read = async (json: boolean) => {
      let text = "";
      await createStatusCommand({ env, output: { write: (t: string) => (text += t) } }).parseAsync(
        [video.id, "--prefix", prefix, ...(json ? ["--json"] : [])],
        { from: "user" },
      );
      return text;
    };
    await vi.waitFor(
      async () => {
        for (const id of ["other/0", `${video.id}/images/1`, `${video.id}/images/2`]) {
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

    await expect(
      createStatusCommand({ env, output: { write: () => undefined } }).parseAsync(["nope"], { from: "user" }),
    ).rejects.toMatchObject({ code: "cli.unknown_video", userFacing: true });
  }, 60_000);
});
