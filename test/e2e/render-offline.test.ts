import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Receipt } from "../../src/pipeline/index.ts";
import { cleanLitinkEnv } from "../support/litink-env.ts";
import { readReceipt } from "../support/receipt-file.ts";
import { runLitink, SAMPLE } from "./distributed-cluster.ts";

interface RenderResult {
  type: "result";
  output: string;
  srt: string;
  receipt: string;
  qc: string;
  script: string;
  scenes: number;
  segmentsRendered: number;
  segmentsReused: number;
  renderedClips: string[];
  qcPassed: boolean;
  totalUsd: string;
}

/** Calls of `stage` on `receipt` that were made afresh, not taken from the cache. */
const freshCalls = (receipt: Receipt, stage: string): number =>
  receipt.lines
    .filter((line) => line.stage === stage)
    .reduce((total, line) => total + line.calls - line.cachedCalls, 0);

/** Runs `litink render` offline (no keys) in `work`, sharing its data folder across runs. */
async function render(work: string, file: string, extra: string[] = []) {
  const { stdout } = await runLitink(cleanLitinkEnv({ LITINK_DATA_DIR: path.join(work, "data") }), work, [
    ...["render", file, "--json", "--out", path.join(work, "out")],
    ...extra,
  ]);
  const lines = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { type: string });
  const result = lines.find((line) => line.type === "result") as RenderResult | undefined;
  if (!result) throw new Error(`no result line in:\n${stdout}`);
  return { result, events: lines.filter((line) => line.type === "event") };
}

const words = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, " ")
    .split(/\s+/)
    .filter(Boolean);

describe("litink render, offline, end to end", { timeout: 600_000 }, () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "litink-e2e-"));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("renders the sample into a video that passes QC, with captions that say the narration", async () => {
    const { result, events } = await render(work, SAMPLE);
    expect(result.qcPassed).toBe(true);
    expect(result.scenes).toBeGreaterThanOrEqual(1);
    const qc = JSON.parse(await readFile(result.qc, "utf8")) as {
      passed: boolean;
      checks: { name: string }[];
    };
    expect(qc.passed).toBe(true);
    expect(qc.checks.map((check) => check.name)).toContain("captions-coverage");

    // Captions carry exactly the words the script narrates, in order.
    const script = JSON.parse(await readFile(result.script, "utf8")) as {
      scenes: { beats: { text: string }[] }[];
    };
    const narrated = words(script.scenes.flatMap((scene) => scene.beats.map((beat) => beat.text)).join(" "));
    const srt = await readFile(result.srt, "utf8");
    const captioned = words(
      srt
        .split("\n")
        .filter((line) => line.trim() && !/^\d+$/.test(line.trim()) && !line.includes("-->"))
        .join(" "),
    );
    expect(captioned).toEqual(narrated);
    expect(narrated.slice(0, 5)).toEqual(["one", "dollar", "and", "eighty", "seven"]);

    // The receipt equals the ledger to the micro-dollar (offline: nothing paid, every call recorded).
    const receipt = await readReceipt(result.receipt);
    expect(receipt.ledger.matches).toBe(true);
    expect(receipt.ledger.totalUsd).toBe(receipt.totalUsd);
    expect(receipt.ledger.rows).toBeGreaterThan(0);
    const stages = new Set(events.map((event) => (event as unknown as { stage: string }).stage));
    for (const stage of [
      "script_generation",
      "image_generation",
      "audio_generation",
      "post_processing",
      "quality_check",
    ]) {
      expect(stages).toContain(stage);
    }
  });

  it("re-running the same request reuses every asset and segment", async () => {
    const { result } = await render(work, SAMPLE);
    expect(result.segmentsRendered).toBe(0);
    // The title card, then one or more shots per scene.
    expect(result.segmentsReused).toBeGreaterThanOrEqual(result.scenes + 1);
    const receipt = await readReceipt(result.receipt);
    for (const line of receipt.lines) expect(line.cachedCalls).toBe(line.calls);
    expect(receipt.ledger.rows).toBe(0);
  });

  it("after editing one scene's text, regenerates only that scene's image, audio and shots", async () => {
    const edited = path.join(work, "edited.txt");
    await copyFile(SAMPLE, edited);
    const first = await render(work, edited);
    const text = await readFile(edited, "utf8");
    const changed = text.replace('"Give it to me quick," said Della.', '"Give it to me now," said Della.');
    expect(changed).not.toBe(text);
    await writeFile(edited, changed);
    const { result } = await render(work, edited);
    expect(result.scenes).toBe(first.result.scenes);
    const receipt = await readReceipt(result.receipt);
    expect(freshCalls(receipt, "image_generation")).toBe(1);
    expect(freshCalls(receipt, "audio_generation")).toBe(1);
    // The new still changes every shot of its scene (ids are scene-<n>-<image>-shot-<words>), and no other.
    expect(result.renderedClips.length).toBeGreaterThanOrEqual(1);
    const scenesRendered = new Set(result.renderedClips.map((id) => /^scene-\d+/.exec(id)?.[0]));
    expect([...scenesRendered]).toHaveLength(1);
    expect(result.segmentsReused).toBeGreaterThan(result.segmentsRendered);
  });

  it("after a word is added to one sentence, re-encodes only the shot that speaks it", async () => {
    const edited = path.join(work, "reworded.txt");
    await copyFile(SAMPLE, edited);
    await render(work, edited);
    const text = await readFile(edited, "utf8");
    // Mid-scene, in a line that is neither the scene's key image nor its mood: the still stays.
    const changed = text.replace("nothing to do but flop down", "nothing else to do but flop down");
    expect(changed).not.toBe(text);
    await writeFile(edited, changed);
    const { result } = await render(work, edited);
    const receipt = await readReceipt(result.receipt);
    expect(freshCalls(receipt, "image_generation")).toBe(0);
    expect(freshCalls(receipt, "audio_generation")).toBe(1);
    // The line's other clauses keep their sound and timings, and the shots cut from them their segments.
    expect(result.renderedClips).toHaveLength(1);
    expect(result.segmentsRendered).toBe(1);
    expect(result.segmentsReused).toBeGreaterThanOrEqual(result.scenes + 1);
  });
});
