import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { expectReceiptEqualsLedger, readReceipt } from "../support/receipt-file.ts";
import { createDeployment, queuePrefixes, SAMPLE, servicesUp } from "./distributed-cluster.ts";

const up = await servicesUp();
const prefixes = queuePrefixes();

describe.skipIf(!up)("litink render --detach: the whole video runs on a worker", { timeout: 900_000 }, () => {
  it("submits, follows to the end, fetches the files, and the receipt equals the ledger", async () => {
    const deployment = await createDeployment();
    const { litink, root } = deployment;
    const prefix = prefixes.next();
    try {
      // Submitted before any worker runs: the video waits in the queue as one job.
      const submitted = await litink(["render", SAMPLE, "--detach", "--json", "--prefix", prefix]);
      const lines = submitted.stdout.trim().split("\n");
      expect(lines).toHaveLength(1);
      const { type, videoId } = JSON.parse(lines[0]!) as { type: string; videoId: string };
      expect(type).toBe("submitted");
      const waiting = await litink(["status", videoId, "--json", "--prefix", prefix]);
      expect(JSON.parse(waiting.stdout)).toMatchObject({
        status: "queued",
        queue: { waiting: 1, active: 0, position: 0 },
      });

      await deployment.startWorker("worker", prefix);

      const followed = await litink(["status", videoId, "--follow", "--json", "--prefix", prefix]);
      const last = JSON.parse(followed.stdout.trim().split("\n").at(-1)!) as {
        stage: string;
        status: string;
      };
      expect(last).toMatchObject({ stage: "job", status: "succeeded" });

      const out = path.join(root, "fetched");
      await litink(["fetch", videoId, "--out", out]);
      const files = await readdir(out);
      expect(files.filter((file) => file.endsWith(".mp4"))).toHaveLength(1);
      expect(files.filter((file) => file.endsWith(".srt"))).toHaveLength(1);
      expect(files).toEqual(expect.arrayContaining(["receipt.json", "qc.json", "script.json"]));
      const qc = JSON.parse(await readFile(path.join(out, "qc.json"), "utf8")) as { passed: boolean };
      expect(qc.passed).toBe(true);

      // The receipt equals the ledger: the job's usage_logs rows, read straight from the database.
      const receipt = await readReceipt(path.join(out, "receipt.json"));
      const ledger = await expectReceiptEqualsLedger(deployment.databaseUrl, videoId, receipt);
      expect(ledger.rows).toBeGreaterThan(0);
    } finally {
      await deployment.remove();
    }
  });
});
