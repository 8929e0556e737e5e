import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeProviders, startFakeProviders } from "../fakes/fake-providers.ts";
import { sampleLlmReplies } from "../fakes/sample-llm-replies.ts";
import { cleanLitinkEnv } from "../support/litink-env.ts";
import { readReceipt } from "../support/receipt-file.ts";
import { render, SAMPLE, spawnLitink } from "./distributed-cluster.ts";

const llmReplies = () => sampleLlmReplies(SAMPLE);

function childEnv(fakes: FakeProviders, dataDir: string): NodeJS.ProcessEnv {
  return cleanLitinkEnv({ ...fakes.env, LITINK_DATA_DIR: dataDir });
}

const renderArgs = (out: string) => ["--tier", "basic", "--json", "--out", out];

describe("litink render through the remote providers' fakes", { timeout: 600_000 }, () => {
  let fakes: FakeProviders;
  let work: string;
  let replies: string[];
  beforeAll(async () => {
    replies = await llmReplies();
  });
  beforeEach(async () => {
    fakes = await startFakeProviders();
    fakes.openrouter.queueReplies(...replies);
    work = await mkdtemp(path.join(os.tmpdir(), "litink-remote-"));
  });
  afterEach(async () => {
    await fakes?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("finishes on fallback models when the primaries are down, and the receipt names who served", async () => {
    fakes.openrouter.failModel("deepseek/deepseek-chat", { kind: "error", status: 503 }, 1000);
    fakes.modelslab.server.fail("text-to-image", { kind: "error", status: 503 }, 3);
    fakes.elevenlabs.server.fail("tts-timestamps", { kind: "error", status: 500 }, 1000);
    const result = await render(
      childEnv(fakes, path.join(work, "data")),
      work,
      renderArgs(path.join(work, "out")),
    );
    expect(result.qcPassed).toBe(true);
    const receipt = await readReceipt(result.receipt);
    const served = (capability: string) =>
      receipt.lines
        .filter((line) => line.capability === capability)
        .map((line) => `${line.provider}/${line.model}`);
    expect(served("script")).toEqual(["openrouter/meta-llama/llama-3.1-8b-instruct"]);
    expect(served("image")).toContain("modelslab/imagen-4-ultra");
    expect(served("voice")).toEqual(["modelslab/eleven_multilingual_v2"]);
    // The receipt equals the ledger, and its LLM part equals what OpenRouter charged.
    expect(receipt.ledger.matches).toBe(true);
    expect(Number(receipt.totalUsd)).toBeGreaterThan(0);
    const scriptMicros = receipt.lines
      .filter((line) => line.capability === "script")
      .reduce((sum, line) => sum + Math.round(Number(line.costUsd) * 1e6), 0);
    expect(scriptMicros).toBe(fakes.openrouter.totalChargedMicros());
  });

  it("a render killed with SIGKILL resumes without redoing or re-paying finished work", async () => {
    const out = path.join(work, "out");
    const env = childEnv(fakes, path.join(work, "data"));
    // Hold the second image long enough to kill the job while it waits.
    fakes.modelslab.server.fail("text-to-image", { kind: "delay", ms: 60_000 }, 1, 1);
    const child: ChildProcess = spawnLitink(env, work, ["render", SAMPLE, ...renderArgs(out)]);
    const deadline = Date.now() + 300_000;
    while (fakes.modelslab.server.calls("text-to-image") < 2) {
      if (Date.now() > deadline) throw new Error("the render never reached its second image");
      if (child.exitCode !== null) throw new Error(`the render exited early (${child.exitCode})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const chatBefore = fakes.openrouter.charges.length;
    const imagesBefore = fakes.modelslab.completedJobs.filter((job) => job.family === "images").length;
    expect(chatBefore).toBe(2);
    expect(imagesBefore).toBe(1);

    const result = await render(env, work, renderArgs(out));
    const receipt = await readReceipt(result.receipt);
    // Nothing finished was redone: the script and bible were not asked for again, and only the scenes
    // whose images had not been made were drawn.
    expect(fakes.openrouter.charges.length).toBe(chatBefore);
    const images = fakes.modelslab.completedJobs.filter((job) => job.family === "images").length;
    expect(images).toBe(result.scenes);
    const script = receipt.lines.filter((line) => line.capability === "script");
    expect(script.every((line) => line.cachedCalls === line.calls)).toBe(true);
    const image = receipt.lines.filter((line) => line.capability === "image");
    expect(image.reduce((sum, line) => sum + line.cachedCalls, 0)).toBe(1);
    expect(receipt.ledger.matches).toBe(true);
  });
});
