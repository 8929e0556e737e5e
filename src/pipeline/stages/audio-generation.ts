import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { WordTiming } from "../../providers/index.ts";
import { defineJob } from "../../queue/index.ts";
import { joinAudio } from "../../render/index.ts";
import { BEAT_PAUSE_SECONDS, type Beat, beatSchema } from "../../script/index.ts";
import type { CachedAsset } from "../asset-cache.ts";
import { alignWordsToText } from "../captions.ts";
import { inputKey } from "../input-key.ts";
import { unpinVoice } from "../pinned-voice.ts";
import type { RunContext } from "../pipeline-types.ts";
import { routedAsset, servingChain } from "../routed-asset.ts";
import { fanOut, type SceneCosts } from "../scene-jobs.ts";
import { type TaskCosts, type VideoRef, videoRef, videoRefSchema } from "../task-context.ts";
import type { PlannedScene } from "./scene-breakdown.ts";

/**
 * What the offline voice's lines are made of, in their cache key: 2 = spoken clause by clause and joined
 * with fixed pauses (1 was a whole line at once, whose clauses shifted when one word changed).
 */
const LOCAL_SPEECH_FORMAT = 2;

/** Silence before the first line of a scene, in seconds. */
const LEAD_IN_SECONDS = 0.3;

/** Where one beat's speech sits in its scene's track, in seconds. */
interface BeatSpan {
  readonly start: number;
  readonly end: number;
}

/** A scene's soundtrack: all its beats joined, with word timings relative to the track's start. */
export interface SceneAudio {
  readonly asset: CachedAsset;
  readonly duration: number;
  readonly words: readonly WordTiming[];
  /** One span per beat, in beat order: post-processing cuts the scene into shots between them. */
  readonly beats: readonly BeatSpan[];
}

/** What speaking a scene needs: its beats and the voice of each, in order. */
type SpokenScene = Pick<PlannedScene, "ordinal" | "voices"> & {
  readonly scene: { readonly beats: readonly Beat[] };
};

/** The payload of {@link speechJob}. */
interface SpeechPayload {
  readonly video: VideoRef;
  readonly ordinal: number;
  readonly beats: readonly Beat[];
  readonly voices: readonly string[];
}

/** One scene's soundtrack: every beat spoken (or found in the asset cache), joined into one track. */
export const speechJob = defineJob<SpeechPayload, { audio: SceneAudio } & TaskCosts>({
  type: "pipeline.speech",
  payload: z.object({
    video: videoRefSchema,
    ordinal: z.number().int().min(1),
    beats: z.array(beatSchema).min(1),
    voices: z.array(z.string()),
  }),
  timeoutMs: 15 * 60 * 1000,
  attempts: 2,
  backoffMs: 1000,
});

/** The handler body of {@link speechJob}, in the context of the job's video. */
export function speakScene(context: RunContext, payload: SpeechPayload): Promise<SceneAudio> {
  return sceneAudio(context, {
    ordinal: payload.ordinal,
    voices: payload.voices,
    scene: { beats: payload.beats },
  });
}

/**
 * `audio_generation`: speaks every beat of every scene in its cast voice through the tier's voice chain
 * (each line cached by text and voice), then joins a scene's lines into one track with short pauses,
 * moving each line's word timings onto that track. Each scene is one {@link speechJob}.
 */
export async function runAudioGeneration(
  context: RunContext,
  costs: SceneCosts,
  scenes: readonly PlannedScene[],
): Promise<SceneAudio[]> {
  const video = videoRef(context);
  const results = await fanOut(context, "audio_generation", scenes.length, (index, options) => {
    const scene = scenes[index]!;
    const payload = { video, ordinal: scene.ordinal, beats: scene.scene.beats, voices: scene.voices };
    return context.resources.queue.run(speechJob, payload, options);
  });
  await costs.add(results);
  return results.map((result) => result.audio);
}

async function sceneAudio(context: RunContext, scene: SpokenScene): Promise<SceneAudio> {
  const lines: { asset: CachedAsset; words: readonly WordTiming[] }[] = [];
  // Only the offline voice changed its format: lines paid for from other voices stay cached.
  const offline = servingChain(context, "voice").some(
    (entry) => entry === "local" || entry.startsWith("local:"),
  );
  for (const [index, beat] of scene.scene.beats.entries()) {
    // A cloned voice is spoken only by the provider that made it.
    const { provider, voice } = unpinVoice(scene.voices[index] ?? "narrator");
    const request = { text: beat.text, voice, language: "en", speed: 1 };
    const { asset } = await routedAsset(context, {
      stage: "audio_generation",
      capability: "voice",
      kind: "speech",
      provider,
      inputs: offline ? { ...request, format: LOCAL_SPEECH_FORMAT } : request,
      request,
      toAsset: (result) => ({
        data: result.audio,
        contentType: result.mediaType,
        metadata: { durationSeconds: result.durationSeconds, words: result.words ?? [] },
      }),
    });
    // Speech engines return bare words; captions show the text's own words and punctuation.
    lines.push({
      asset,
      words: alignWordsToText((asset.metadata.words as WordTiming[] | undefined) ?? [], beat.text),
    });
  }
  // The joined track is derived from the lines' bytes: cached by their hashes, never paid for.
  const key = inputKey("scene-audio", {
    // 3: the metadata also records where each beat starts and ends, in whole milliseconds.
    version: 3,
    lines: lines.map((line) => line.asset.sha256),
    leadIn: LEAD_IN_SECONDS,
    pause: BEAT_PAUSE_SECONDS,
    words: lines.map((line) => line.words.map((word) => word.word)),
  });
  const { asset } = await context.cache.getOrCreate(key, "scene-audio", async () => {
    const directory = path.join(context.workDir, "audio");
    const pieces = await Promise.all(
      lines.map(async (line, index) => ({
        path: await context.cache.materialize(line.asset, directory),
        silenceBefore: index === 0 ? LEAD_IN_SECONDS : BEAT_PAUSE_SECONDS,
      })),
    );
    const joined = await joinAudio(
      pieces,
      path.join(directory, `scene-${scene.ordinal}-${randomUUID()}.wav`),
      {
        signal: context.signal,
      },
    );
    // A provider without word timings (ModelsLab TTS) still gets captions: its words are spread over the
    // line's measured length in proportion to their length.
    const timed = lines.map((line, index) =>
      line.words.length > 0
        ? line.words
        : spreadWords(scene.scene.beats[index]?.text ?? "", joined.durations[index] ?? 0),
    );
    // Spans are sums of whole milliseconds (each line's length and the pauses), so a beat's length and
    // the pauses around it are the same whatever the beats before it last; word times keep microseconds,
    // so the distance between two words of a line survives an edit earlier in that line. Shots cut
    // between beats and sentences then keep their length and captions when another one is edited.
    let cursorMs = 0;
    const beats: BeatSpan[] = lines.map((_line, index) => {
      cursorMs += Math.round((index === 0 ? LEAD_IN_SECONDS : BEAT_PAUSE_SECONDS) * 1000);
      const start = cursorMs / 1000;
      cursorMs += Math.round((joined.durations[index] ?? 0) * 1000);
      return { start, end: cursorMs / 1000 };
    });
    const words = lines.flatMap((_line, index) =>
      (timed[index] ?? []).map((word) => ({
        word: word.word,
        start: micro(micro(word.start) + (beats[index]?.start ?? 0)),
        end: micro(micro(word.end) + (beats[index]?.start ?? 0)),
      })),
    );
    return {
      data: new Uint8Array(await readFile(joined.path)),
      contentType: "audio/wav",
      costMicros: 0,
      metadata: { durationSeconds: joined.duration, words, beats },
    };
  });
  return {
    asset,
    duration: Number(asset.metadata.durationSeconds),
    words: (asset.metadata.words as WordTiming[] | undefined) ?? [],
    beats: (asset.metadata.beats as BeatSpan[] | undefined) ?? [],
  };
}

/** Word timings for a line spoken in `seconds`, each word's share proportional to its length. */
export function spreadWords(text: string, seconds: number): WordTiming[] {
  const tokens = text.split(/\s+/).filter(Boolean);
  const weights = tokens.map((token) => token.length + 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let cursor = 0;
  return tokens.map((token, index) => {
    const length = total > 0 ? (seconds * (weights[index] ?? 0)) / total : 0;
    const word = { word: token, start: round(cursor), end: round(cursor + length * 0.92) };
    cursor += length;
    return word;
  });
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

function micro(seconds: number): number {
  return Math.round(seconds * 1_000_000) / 1_000_000;
}
