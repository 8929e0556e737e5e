import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type FakeProviders, startFakeProviders } from "../fakes/fake-providers.ts";
import { sampleLlmReplies } from "../fakes/sample-llm-replies.ts";
import { expectPaidOnce, expectReceiptEqualsLedger, readReceipt } from "../support/receipt-file.ts";
import { createDeployment, queuePrefixes, SAMPLE, servicesUp } from "./distributed-cluster.ts";

const up = await servicesUp();
const prefixes = queuePrefixes();

/** What the retried attempt's event says (run-video.ts), up to the failure's own message. */
const RETRY_EVENT =
  /^this attempt failed \(.*\); the queue runs the video again, reusing every finished scene$/;

/** One line of `litink status --follow --json`. */
interface FollowedEvent {
  stage: string;
  status: string;
  message?: string;
}

/** `litink status --json` (the fields read here). */
interface StatusReport {
  status: string;
  finishedAt?: string;
  stages: { stage: string; event: string; message?: string }[];
}

/** A detached deployment: the providers' fakes, a fresh database and file store, and one worker. */
interface Cluster {
  readonly fakes: FakeProviders;
  readonly databaseUrl: string;
  readonly root: string;
  /** Runs the real CLI as a client of the deployment. */
  litink(args: readonly string[]): Promise<{ stdout: string }>;
  /** `litink render --detach` of the sample at the Basic tier (paid models, all faked); the video's id. */
  submit(): Promise<string>;
  /** `litink status VIDEO --json`. */
  status(videoId: string): Promise<StatusReport>;
  /** `litink status VIDEO --follow --json` to its end: the printed events. */
  follow(videoId: string): Promise<FollowedEvent[]>;
  /** Stops the worker, drops the database, closes the fakes and removes the files. */
  close(): Promise<void>;
}

/** Starts a {@link Cluster}, handing the fakes to `prepare` (to set faults) before the worker starts. */
async function startCluster(prepare: (fakes: FakeProviders) => void): Promise<Cluster> {
  const fakes = await startFakeProviders();
  fakes.openrouter.queueReplies(...(await sampleLlmReplies(SAMPLE)));
  const deployment = await createDeployment(fakes.env).catch(async (error: unknown) => {
    await fakes.close();
    throw error;
  });
  const { root, litink } = deployment;
  const prefix = prefixes.next();
  const close = async (): Promise<void> => {
    await deployment.remove();
    await fakes.close();
  };
  try {
    prepare(fakes);
    await deployment.startWorker("worker", prefix);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    fakes,
    databaseUrl: deployment.databaseUrl,
    root,
    litink,
    async submit() {
      const { stdout } = await litink([
        "render",
        SAMPLE,
        "--detach",
        "--tier",
        "basic",
        "--json",
        "--prefix",
        prefix,
      ]);
      const submitted = JSON.parse(stdout.trim()) as { type: string; videoId: string };
      expect(submitted.type).toBe("submitted");
      return submitted.videoId;
    },
    async status(videoId) {
      const { stdout } = await litink(["status", videoId, "--json", "--prefix", prefix]);
      return JSON.parse(stdout) as StatusReport;
    },
    async follow(videoId) {
      const { stdout } = await litink(["status", videoId, "--follow", "--json", "--prefix", prefix]);
      return stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as FollowedEvent);
    },
    close,
  };
}

/** Polls `look` until it returns a value, failing after `ms`. */
async function waitFor<T>(what: string, ms: number, look: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await look();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const imagesMade = (fakes: FakeProviders) =>
  fakes.modelslab.completedJobs.filter((job) => job.family === "images").length;

describe.skipIf(!up)(
  "litink render --detach: a failed attempt the queue retries",
  { timeout: 300_000 },
  () => {
    it("goes back to queued, the retry reuses attempt 1's paid work, and follow ends with success", async () => {
      // The sample's first scene gets its image; then both Basic image models answer 503.
      const cluster = await startCluster((fakes) =>
        fakes.modelslab.server.fail("text-to-image", { kind: "error", status: 503 }, 100_000, 1),
      );
      const { fakes } = cluster;
      try {
        const videoId = await cluster.submit();
        const following = cluster.follow(videoId);
        following.catch(() => undefined);

        // Between the attempts the row says queued (never failed), with the retry event as the job's latest.
        const statuses = new Set<string>();
        const between = await waitFor("the first attempt to fail", 180_000, async () => {
          const report = await cluster.status(videoId);
          statuses.add(report.status);
          if (report.status === "failed" || report.status === "succeeded") {
            throw new Error(`the first attempt did not fail as planned: ${JSON.stringify(report)}`);
          }
          const job = report.stages.find((stage) => stage.stage === "job");
          return report.status === "queued" && job?.event === "failed" ? report : undefined;
        });
        expect(between.finishedAt).toBeUndefined();
        expect(between.stages.find((stage) => stage.stage === "job")?.message).toMatch(RETRY_EVENT);
        const chatCharges = fakes.openrouter.charges.length;
        expect(chatCharges).toBeGreaterThan(0);
        expect(imagesMade(fakes)).toBe(1);
        // The outage ends before the queue's retry (35 s later, once the worker's breakers half-open).
        fakes.modelslab.server.clearFaults("text-to-image");

        const events = await following;
        expect(events.at(-1)).toMatchObject({ stage: "job", status: "succeeded" });
        const retried = events.findIndex(
          (event) => event.stage === "job" && RETRY_EVENT.test(event.message ?? ""),
        );
        expect(retried).toBeGreaterThan(-1);
        // Follow went on through the second attempt, which drew the missing images.
        expect(
          events
            .slice(retried + 1)
            .some((event) => event.stage === "image_generation" && event.status === "succeeded"),
        ).toBe(true);
        expect(events.filter((event) => event.stage === "job" && event.status === "failed")).toHaveLength(1);
        const final = await cluster.status(videoId);
        expect(final.status).toBe("succeeded");
        expect(statuses.has("failed")).toBe(false);

        const out = path.join(cluster.root, "fetched");
        await cluster.litink(["fetch", videoId, "--out", out]);
        const receipt = await readReceipt(path.join(out, "receipt.json"));
        await expectReceiptEqualsLedger(cluster.databaseUrl, videoId, receipt);
        expect(Number(receipt.totalUsd)).toBeGreaterThan(0);
        const script = JSON.parse(await readFile(path.join(out, "script.json"), "utf8")) as {
          scenes: unknown[];
        };
        const scenes = script.scenes.length;
        expect(scenes).toBeGreaterThan(1);

        // Attempt 1's work was not redone: no new script call, and only the missing scenes were drawn.
        expect(fakes.openrouter.charges.length).toBe(chatCharges);
        expect(imagesMade(fakes)).toBe(scenes);
        // One paid row per call: no idempotency key charged twice, and one image paid per scene.
        await expectPaidOnce(cluster.databaseUrl, scenes);
      } finally {
        await cluster.close();
      }
    });

    it("a failure on the last attempt leaves the video failed, and follow ends with failed", async () => {
      // Both Basic script models stay down for both attempts.
      const cluster = await startCluster((fakes) => {
        fakes.openrouter.failModel("deepseek/deepseek-chat", { kind: "error", status: 503 }, 100_000);
        fakes.openrouter.failModel(
          "meta-llama/llama-3.1-8b-instruct",
          { kind: "error", status: 503 },
          100_000,
        );
      });
      try {
        const videoId = await cluster.submit();
        const events = await cluster.follow(videoId);
        expect(events.at(-1)).toMatchObject({ stage: "job", status: "failed" });
        // Only the first attempt said the queue runs it again.
        const retries = events.filter(
          (event) => event.stage === "job" && RETRY_EVENT.test(event.message ?? ""),
        );
        expect(retries).toHaveLength(1);
        // The second attempt ran, and failed for good.
        const retried = events.indexOf(retries[0]!);
        expect(
          events
            .slice(retried + 1)
            .some((event) => event.stage === "script_generation" && event.status === "failed"),
        ).toBe(true);
        const final = await cluster.status(videoId);
        expect(final.status).toBe("failed");
        expect(final.finishedAt).toBeDefined();
        expect(cluster.fakes.openrouter.charges).toHaveLength(0);
      } finally {
        await cluster.close();
      }
    });
  },
);
