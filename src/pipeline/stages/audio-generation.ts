import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { WordTiming } from "../../providers/index.ts";
import { joinAudio } from "../../render/index.ts";
import { BEAT_PAUSE_SECONDS } from "../../script/index.ts";
import type { CachedAsset } from "../asset-cache.ts";
import { alignWordsToText } from "../captions.ts";
import { inputKey } from "../input-key.ts";
import type { RunContext } from "../pipeline-types.ts";
import { routedAsset } from "../routed-asset.ts";
import type { SceneTaskRegistry } from "../scene-jobs.ts";
import type { PlannedScene } from "./scene-breakdown.ts";

/** Silence before the first line of a scene, in seconds. */
const LEAD_IN_SECONDS = 0.3;

/** Where one beat's speech sits in its scene's track, in seconds. */
export interface BeatSpan {
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

/**
 * `audio_generation`: speaks every beat of every scene in its cast voice through the tier's voice chain
 * (each line cached by text and voice), then joins a scene's lines into one track with short pauses,
 * moving each line's word timings onto that track.
 */
export async function runAudioGeneration(
  context: RunContext,
  registry: SceneTaskRegistry,
  scenes: readonly PlannedScene[],
): Promise<SceneAudio[]> {
  const tracks: SceneAudio[] = new Array(scenes.length);
  await registry.forEachScene(context, "audio_generation", scenes.length, async (index) => {
    tracks[index] = await sceneAudio(context, scenes[index]!);
  });
  return tracks;
}

async function sceneAudio(context: RunContext, scene: PlannedScene): Promise<SceneAudio> {
  const lines: { asset: CachedAsset; words: readonly WordTiming[] }[] = [];
  for (const [index, beat] of scene.scene.beats.entries()) {
    const request = { text: beat.text, voice: scene.voices[index] ?? "narrator", language: "en", speed: 1 };
    const { asset } = await routedAsset(context, {
      stage: "audio_generation",
      capability: "voice",
      kind: "speech",
      inputs: request,
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
    // 2: the metadata also records where each beat starts and ends.
    version: 2,
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
    // Millisecond times added as millisecond values, so a word's offset from its beat's start is the
    // same whatever the beats before it last: shots cut between beats keep their captions on an edit.
    const beats: BeatSpan[] = lines.map((_line, index) => {
      const start = round(joined.starts[index] ?? 0);
      return { start, end: round(start + round(joined.durations[index] ?? 0)) };
    });
    const words = lines.flatMap((_line, index) =>
      (timed[index] ?? []).map((word) => ({
        word: word.word,
        start: round(round(word.start) + (beats[index]?.start ?? 0)),
        end: round(round(word.end) + (beats[index]?.start ?? 0)),
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
