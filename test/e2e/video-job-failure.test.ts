import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppResources, openResources } from "../../src/app/index.ts";
import { loadConfig } from "../../src/config/index.ts";
import { createSilentLogger } from "../../src/logging/index.ts";
import { runVideoJob } from "../../src/pipeline/index.ts";
import { cleanLitinkEnv } from "../support/litink-env.ts";

let root: string;
let resources: AppResources;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "litink-video-job-"));
  const config = loadConfig({ env: cleanLitinkEnv({ LITINK_DATA_DIR: path.join(root, "data") }), cwd: root });
  resources = await openResources(config, createSilentLogger());
});

afterAll(async () => {
  await resources?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** A queued video row, as `litink render --detach` leaves it. */
async function queuedVideo(): Promise<string> {
  const { id } = await resources.db
    .insertInto("videos")
    .values({ tier_at_time: "free", status: "queued", options: "{}" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

async function row(videoId: string) {
  return resources.db
    .selectFrom("videos")
    .select(["status", "error", "finished_at"])
    .where("id", "=", videoId)
    .executeTakeFirstOrThrow();
}

describe("a queued video job that fails before the pipeline starts", () => {
  it("goes back to queued while the queue will retry it, and fails on the last attempt", async () => {
    const videoId = await queuedVideo();
    // The stored source is gone (an object store that lost it): a failure a retry might fix.
    const payload = { videoId, sourceKey: `uploads/${videoId}/missing.txt`, tier: "free" as const };
    const attempt = (number: number) =>
      runVideoJob(resources, payload, {
        jobId: "job-1",
        attempt: number,
        signal: new AbortController().signal,
      });

    await expect(attempt(1)).rejects.toMatchObject({ code: "storage.not_found" });
    expect(await row(videoId)).toMatchObject({ status: "queued", finished_at: null });

    await expect(attempt(2)).rejects.toMatchObject({ code: "storage.not_found" });
    const failed = await row(videoId);
    expect(failed.status).toBe("failed");
    expect(failed.finished_at).not.toBeNull();
    expect(failed.error).toMatchObject({ code: "storage.not_found" });
  });

  it("fails at once, attempts left or not, for a source the pipeline refuses", async () => {
    const videoId = await queuedVideo();
    const key = `uploads/${videoId}/empty.txt`;
    await resources.storage.put(key, Buffer.from(""));
    const run = runVideoJob(
      resources,
      { videoId, sourceKey: key, tier: "free" },
      { jobId: "job-2", attempt: 1, signal: new AbortController().signal },
    );
    await expect(run).rejects.toMatchObject({ userFacing: true });
    expect(await row(videoId)).toMatchObject({ status: "failed" });
    const events = await resources.db
      .selectFrom("job_events")
      .select(["stage", "event"])
      .where("video_id", "=", videoId)
      .orderBy("sequence_number")
      .execute();
    expect(events).toEqual([
      { stage: "ingest", event: "started" },
      { stage: "ingest", event: "failed" },
    ]);
  });
});
