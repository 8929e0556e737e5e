import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.ts";
import { createDatabase } from "../../src/db/index.ts";
import { resolveFfmpeg } from "../../src/media/index.ts";
import { type FakeProviders, startFakeProviders } from "../fakes/fake-providers.ts";
import { sampleLlmReplies } from "../fakes/sample-llm-replies.ts";
import { cleanLitinkEnv } from "../support/litink-env.ts";
import { expectReceiptEqualsLedger, readReceipt } from "../support/receipt-file.ts";
import { createDeployment, queuePrefixes, runLitink, SAMPLE, servicesUp } from "./distributed-cluster.ts";

const execFileAsync = promisify(execFile);

interface ScriptFile {
  characters: { name: string; voiceId?: string }[];
  scenes: { beats: { kind: string; speaker?: string }[]; voices: string[] }[];
}

const up = await servicesUp();
const prefixes = queuePrefixes();

/** Runs the real `litink` binary; never throws, so refusals can be read. */
async function litink(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await runLitink(env, cwd, args);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Writes `seconds` of tone to `file` (the format follows the extension). */
async function tone(file: string, seconds: number, frequency: number): Promise<void> {
  const { ffmpeg } = await resolveFfmpeg();
  await execFileAsync(ffmpeg.path, [
    ...["-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "lavfi"],
    ...["-i", `sine=frequency=${frequency}:duration=${seconds}`, "-ac", "1", file],
  ]);
}

describe("litink render --clone-voice", { timeout: 900_000 }, () => {
  let work: string;
  let narrator: string;
  let della: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "litink-clone-"));
    narrator = path.join(work, "narrator.wav");
    della = path.join(work, "della.mp3");
    await Promise.all([tone(narrator, 6, 220), tone(della, 7, 330)]);
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  describe("through the remote providers' fakes", () => {
    let fakes: FakeProviders;
    beforeEach(async () => {
      fakes = await startFakeProviders();
    });
    afterEach(async () => {
      await fakes?.close();
    });

    it("clones once, speaks with the cloned voices, and a re-run clones nothing", async () => {
      fakes.openrouter.queueReplies(...(await sampleLlmReplies(SAMPLE)));
      const env = cleanLitinkEnv({ ...fakes.env, LITINK_DATA_DIR: path.join(work, "data") });
      const out = path.join(work, "out");
      const args = [
        ...["render", SAMPLE, "--tier", "standard", "--json", "--out", out],
        ...["--clone-voice", narrator, "--clone-voice", `Della=${della}`],
      ];

      // The estimate prices one clone request per voice, at the model table's price ($0), and clones nothing.
      const estimate = await litink([...args, "--estimate"], work, env);
      expect(estimate.code).toBe(0);
      const priced = JSON.parse(estimate.stdout) as {
        stages: { stage: string; capability: string; provider: string; model: string; units: number }[];
      };
      expect(priced.stages.find((stage) => stage.capability === "voice_clone")).toMatchObject({
        stage: "scene_breakdown",
        provider: "elevenlabs",
        model: "instant-voice-clone",
        units: 2,
      });
      expect(fakes.elevenlabs.clones).toEqual([]);

      const first = await render(args, env);
      // One clone request per voice reached ElevenLabs, each with its sample's exact bytes.
      const clones = fakes.elevenlabs.clones;
      expect(clones.map((clone) => clone.name)).toEqual(["LitinkAI narrator", "LitinkAI Della"]);
      expect(clones.map((clone) => clone.files.map((file) => file.type))).toEqual([
        ["audio/wav"],
        ["audio/mpeg"],
      ]);
      expect(Buffer.from(clones[0]!.files[0]!.data).equals(await readFile(narrator))).toBe(true);
      expect(Buffer.from(clones[1]!.files[0]!.data).equals(await readFile(della))).toBe(true);
      const [narratorId, dellaId] = clones.map((clone) => clone.voiceId);

      // Narration is spoken in the narrator's clone, Della's lines in hers, and ElevenLabs was asked so.
      // The script names each cloned voice with the provider that holds it (only it may speak it).
      const script = JSON.parse(await readFile(first.script, "utf8")) as ScriptFile;
      expect(script.characters.find((character) => character.name === "Della")?.voiceId).toBe(
        `elevenlabs:${dellaId}`,
      );
      const spoken = script.scenes.flatMap((scene) =>
        scene.beats.map((beat, index) => ({ ...beat, voice: scene.voices[index] })),
      );
      const narration = spoken.filter((beat) => beat.kind === "narration");
      const dellaLines = spoken.filter((beat) => beat.speaker === "Della");
      expect(narration.length).toBeGreaterThan(0);
      expect(dellaLines.length).toBeGreaterThan(0);
      expect(narration.every((beat) => beat.voice === `elevenlabs:${narratorId}`)).toBe(true);
      expect(dellaLines.every((beat) => beat.voice === `elevenlabs:${dellaId}`)).toBe(true);
      const voiced = new Set(fakes.elevenlabs.charges.map((charge) => charge.voiceId));
      expect(voiced).toContain(narratorId);
      expect(voiced).toContain(dellaId);

      // The clones are their own receipt line, priced by the model table ($0), and the receipt equals the ledger.
      const receipt = await readReceipt(first.receipt);
      const cloneLine = receipt.lines.filter((line) => line.capability === "voice_clone");
      expect(cloneLine).toEqual([
        expect.objectContaining({
          stage: "scene_breakdown",
          provider: "elevenlabs",
          model: "instant-voice-clone",
          calls: 2,
          cachedCalls: 0,
          costUsd: "0.000000",
        }),
      ]);
      expect(receipt.ledger.matches).toBe(true);
      // In the ledger each clone is a row of its own.
      const database = await createDatabase(loadConfig({ env }).database);
      try {
        const rows = await database.db
          .selectFrom("usage_logs")
          .select(["provider", "model_used", "cost_usd", "outcome"])
          .where("job_id", "=", first.videoId)
          .where("resource_type", "=", "voice_clone")
          .execute();
        expect(rows).toEqual([
          {
            provider: "elevenlabs",
            model_used: "instant-voice-clone",
            cost_usd: "0.000000",
            outcome: "succeeded",
          },
          {
            provider: "elevenlabs",
            model_used: "instant-voice-clone",
            cost_usd: "0.000000",
            outcome: "succeeded",
          },
        ]);
      } finally {
        await database.close();
      }

      // A re-run finds both voices in the cache: nothing is cloned (or paid) again.
      const speechBefore = fakes.elevenlabs.charges.length;
      const second = await render(args, env);
      expect(fakes.elevenlabs.clones).toHaveLength(2);
      expect(fakes.elevenlabs.charges.length).toBe(speechBefore);
      const again = await readReceipt(second.receipt);
      expect(again.lines.filter((line) => line.capability === "voice_clone")).toEqual([
        expect.objectContaining({ calls: 2, cachedCalls: 2, costUsd: "0.000000" }),
      ]);
      expect(again.ledger).toMatchObject({ rows: 0, matches: true });
    });

    it("speaks a cloned voice only at the provider that cloned it: no fallback when ElevenLabs speech fails", async () => {
      fakes.openrouter.queueReplies(...(await sampleLlmReplies(SAMPLE)));
      const env = cleanLitinkEnv({ ...fakes.env, LITINK_DATA_DIR: path.join(work, "data-pinned") });
      const speechDown = { kind: "error", status: 503, message: "speech is down" } as const;
      fakes.elevenlabs.server.fail("tts", speechDown, 1000).fail("tts-timestamps", speechDown, 1000);
      const modelslabSpeech = fakes.modelslab.server.calls("text-to-speech");
      try {
        const result = await litink(
          [
            "render",
            SAMPLE,
            "--tier",
            "standard",
            "--clone-voice",
            narrator,
            "--out",
            path.join(work, "pinned"),
          ],
          work,
          env,
        );
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain("modelslab/eleven_multilingual_v2: pinned_elsewhere");
        // ModelsLab, next in the Standard voice chain, was never asked to speak with the cloned id.
        expect(fakes.modelslab.server.calls("text-to-speech")).toBe(modelslabSpeech);
      } finally {
        fakes.elevenlabs.server.clearFaults();
      }
    });

    it("refuses below Standard, naming the tier and the rule, before any call", async () => {
      const env = cleanLitinkEnv({ ...fakes.env, LITINK_DATA_DIR: path.join(work, "data-refusals") });
      const result = await litink(
        ["render", SAMPLE, "--tier", "basic", "--clone-voice", narrator, "--out", path.join(work, "o")],
        work,
        env,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        "litink: the Basic tier does not include voice cloning; it needs Standard or higher. Render without --clone-voice, or on a tier with voice cloning\n",
      );
      expect(callsToFakes()).toBe(0);
    });

    it("refuses missing, empty and non-audio samples by name, before any call", async () => {
      const env = cleanLitinkEnv({ ...fakes.env, LITINK_DATA_DIR: path.join(work, "data-refusals") });
      const empty = path.join(work, "empty.wav");
      const notes = path.join(work, "notes.mp3");
      await writeFile(empty, "");
      await writeFile(notes, "not a recording\n".repeat(40));
      const refuse = (sample: string) =>
        litink(
          [
            ...["render", SAMPLE, "--tier", "standard", "--out", path.join(work, "o")],
            ...["--clone-voice", `Della=${sample}`],
          ],
          work,
          env,
        );
      const missing = await refuse(path.join(work, "nowhere.wav"));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain(
        `litink: ${path.join(work, "nowhere.wav")}: no such voice sample; check the path given to --clone-voice\n`,
      );
      const blank = await refuse(empty);
      expect(blank.code).toBe(2);
      expect(blank.stderr).toContain(
        "litink: empty.wav: the voice sample is empty (0 bytes); record or export it again\n",
      );
      const text = await refuse(notes);
      expect(text.code).toBe(2);
      expect(text.stderr).toContain("litink: notes.mp3: ffprobe cannot read it as audio; give --clone-voice");
      expect(callsToFakes()).toBe(0);
    });

    it("refuses a speaker the story does not have, naming its characters, before cloning", async () => {
      fakes.openrouter.queueReplies(...(await sampleLlmReplies(SAMPLE)));
      const env = cleanLitinkEnv({ ...fakes.env, LITINK_DATA_DIR: path.join(work, "data-refusals") });
      const result = await litink(
        [
          ...["render", SAMPLE, "--tier", "standard", "--out", path.join(work, "o")],
          ...["--clone-voice", `Dela=${della}`],
        ],
        work,
        env,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        'litink: --clone-voice Dela=…: no character named "Dela" in this story; its characters are Della, Madame. Name one of them, or give no name to clone the narrator\n',
      );
      expect(fakes.elevenlabs.server.calls("voices-add")).toBe(0);
    });

    /** Requests that reached any fake. */
    function callsToFakes(): number {
      return (
        fakes.openrouter.server.calls() + fakes.modelslab.server.calls() + fakes.elevenlabs.server.calls()
      );
    }

    /** Renders with `args` and returns the result line's files. */
    async function render(args: string[], env: NodeJS.ProcessEnv) {
      const result = await litink(args, work, env);
      if (result.code !== 0) throw new Error(`litink render failed (${result.code}):\n${result.stderr}`);
      const line = result.stdout
        .trim()
        .split("\n")
        .map((text) => JSON.parse(text) as { type: string; videoId: string; receipt: string; script: string })
        .find((parsed) => parsed.type === "result");
      if (!line) throw new Error(`no result line in:\n${result.stdout}`);
      return line;
    }
  });

  it("offline, says voice cloning needs ElevenLabs and how to set it up, before any work", async () => {
    const result = await litink(
      ["render", SAMPLE, "--tier", "standard", "--clone-voice", narrator, "--out", path.join(work, "o")],
      work,
      cleanLitinkEnv({ LITINK_DATA_DIR: path.join(work, "data-refusals") }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "litink: voice cloning needs ElevenLabs, and ELEVENLABS_API_KEY is not set: set it to your ElevenLabs API key (see `litink providers`), or render without --clone-voice; the offline voices cannot be cloned\n",
    );
  });

  it.skipIf(!up)(
    "--detach sends the samples with the queued video; the worker clones and speaks with them",
    async () => {
      const fakes = await startFakeProviders();
      fakes.openrouter.queueReplies(...(await sampleLlmReplies(SAMPLE)));
      const deployment = await createDeployment(fakes.env);
      const { root } = deployment;
      const prefix = prefixes.next();
      const client = deployment.env("client");
      try {
        const submitted = await litink(
          [
            ...["render", SAMPLE, "--tier", "standard", "--detach", "--json", "--prefix", prefix],
            ...["--clone-voice", `Della=${della}`],
          ],
          root,
          client,
        );
        expect(submitted.code).toBe(0);
        const { videoId } = JSON.parse(submitted.stdout.trim()) as { videoId: string };
        expect(fakes.elevenlabs.clones).toEqual([]);

        await deployment.startWorker("worker", prefix);
        const followed = await litink(
          ["status", videoId, "--follow", "--json", "--prefix", prefix],
          root,
          client,
        );
        expect(JSON.parse(followed.stdout.trim().split("\n").at(-1)!)).toMatchObject({
          stage: "job",
          status: "succeeded",
        });

        const [clone] = fakes.elevenlabs.clones;
        expect(fakes.elevenlabs.clones).toHaveLength(1);
        expect(Buffer.from(clone!.files[0]!.data).equals(await readFile(della))).toBe(true);
        expect(fakes.elevenlabs.charges.map((charge) => charge.voiceId)).toContain(clone!.voiceId);
        const out = path.join(root, "fetched");
        await litink(["fetch", videoId, "--out", out], root, client);
        const script = JSON.parse(await readFile(path.join(out, "script.json"), "utf8")) as ScriptFile;
        expect(script.characters.find((character) => character.name === "Della")?.voiceId).toBe(
          `elevenlabs:${clone!.voiceId}`,
        );
        const receipt = await readReceipt(path.join(out, "receipt.json"));
        expect(receipt.lines.filter((line) => line.capability === "voice_clone")).toEqual([
          expect.objectContaining({ calls: 1, cachedCalls: 0, provider: "elevenlabs" }),
        ]);
        await expectReceiptEqualsLedger(deployment.databaseUrl, videoId, receipt);
      } finally {
        await deployment.remove();
        await fakes.close();
      }
    },
  );
});
