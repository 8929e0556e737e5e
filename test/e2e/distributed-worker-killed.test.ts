import path from "node:path";
import { describe, expect, it } from "vitest";
import { startFakeProviders } from "../fakes/fake-providers.ts";
import { sampleLlmReplies } from "../fakes/sample-llm-replies.ts";
import { expectPaidOnce, expectReceiptEqualsLedger, readReceipt } from "../support/receipt-file.ts";
import { createDeployment, queuePrefixes, render, SAMPLE, servicesUp, stop } from "./distributed-cluster.ts";

const up = await servicesUp();
const prefixes = queuePrefixes();

describe.skipIf(!up)("a litink worker killed while it holds a scene job", { timeout: 900_000 }, () => {
  it("another worker finishes the video, nothing is charged twice, and the receipt equals the ledger", async () => {
    const fakes = await startFakeProviders();
    fakes.openrouter.queueReplies(...(await sampleLlmReplies(SAMPLE)));
    const prefix = prefixes.next();
    try {
      const deployment = await createDeployment(fakes.env);
      const { root } = deployment;
      try {
        // Hold the second image at the provider, so the first worker is inside that scene job when killed.
        fakes.modelslab.server.fail("text-to-image", { kind: "delay", ms: 120_000 }, 1, 1);
        const doomed = await deployment.startWorker("worker-a", prefix);
        const rendering = render(deployment.env("render"), root, [
          "--tier",
          "basic",
          "--json",
          "--no-local-work",
          "--prefix",
          prefix,
          "--out",
          path.join(root, "out"),
        ]);
        rendering.catch(() => undefined);
        const deadline = Date.now() + 600_000;
        while (fakes.modelslab.server.calls("text-to-image") < 2) {
          if (Date.now() > deadline) throw new Error("the first worker never reached the second image");
          if (doomed.exitCode !== null) throw new Error(`the first worker exited early (${doomed.exitCode})`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        await deployment.startWorker("worker-b", prefix);
        await stop(doomed, "SIGKILL");

        const result = await rendering;
        expect(result.qcPassed).toBe(true);
        // The held image was asked for again by the second worker: one call per scene, plus the lost one.
        expect(fakes.modelslab.server.calls("text-to-image")).toBe(result.scenes + 1);
        const receipt = await readReceipt(result.receipt);
        await expectReceiptEqualsLedger(deployment.databaseUrl, result.videoId, receipt);
        expect(Number(receipt.totalUsd)).toBeGreaterThan(0);
        // One paid row per call: no idempotency key charged twice, and one image paid per scene.
        await expectPaidOnce(deployment.databaseUrl, result.scenes);
      } finally {
        await deployment.remove();
      }
    } finally {
      await fakes.close();
    }
  });
});
