import {
  type AdaptChapterInput,
  type Beat,
  estimateBeatsSeconds,
  SCRIPT_SCHEMA_VERSION,
  type Scene,
  type Script,
  type TimeOfDay,
} from "../../../script/index.ts";
import type { CharacterRegistry } from "./character-registry.ts";
import {
  findKeyImage,
  findLocation,
  findMood,
  findTimeOfDay,
  motionScore,
  timePhrase,
} from "./describe-scene.ts";
import { extractBeats, SpeakerTracker } from "./extract-beats.ts";
import { findCharacters } from "./find-characters.ts";
import { DEFAULT_SCENE_TARGETS, groupScenes, type ParagraphUnit, type SceneTargets } from "./group-scenes.ts";
import { capitalize, cleanParagraph, isSceneBreak, splitSentences } from "./prose-text.ts";

interface ParagraphBeats extends ParagraphUnit {
  readonly beats: readonly Beat[];
}

/**
 * The extractive screenwriter: one chapter of prose → a {@link Script}, deterministically. Scenes split at
 * scene-break markers, at time and place cues and near the length targets; narration is the prose;
 * quotations become dialogue lines with their speakers; each scene gets a location, time of day, mood,
 * a visual description and a `key` flag for the scenes with the most movement.
 * Returns a script with no scenes when the chapter has no text.
 */
export function adaptChapter(
  input: AdaptChapterInput,
  targets: SceneTargets = DEFAULT_SCENE_TARGETS,
): Script {
  const paragraphs = input.paragraphs.map((raw, index) => ({
    index,
    text: cleanParagraph(raw),
    isBreak: isSceneBreak(raw),
  }));
  const prose = paragraphs.filter((paragraph) => !paragraph.isBreak && paragraph.text);
  const registry = findCharacters(
    prose.map((paragraph) => paragraph.text).join("\n\n"),
    input.knownCharacters,
  );
  const tracker = new SpeakerTracker(registry);

  const units: ParagraphBeats[] = [];
  let breakPending = false;
  for (const paragraph of paragraphs) {
    if (paragraph.isBreak) {
      breakPending = units.length > 0;
      continue;
    }
    if (!paragraph.text) continue;
    const beats = extractBeats(paragraph.text, paragraph.index, tracker);
    if (beats.length === 0) continue;
    units.push({
      index: paragraph.index,
      text: paragraph.text,
      beats,
      seconds: estimateBeatsSeconds(beats),
      breakBefore: breakPending,
      opensWithDialogue: beats[0]?.kind === "dialogue",
    });
    breakPending = false;
  }

  const groups = groupScenes(units, targets) as ParagraphBeats[][];
  const chapterLocation = findLocation(prose.map((paragraph) => paragraph.text).join(" "));
  const characters = registry.toScriptCharacters();
  const scenes: Scene[] = [];
  let location = chapterLocation ?? `the world of "${input.title}"`;
  let timeOfDay: TimeOfDay = "unknown";
  const firstOrdinal = input.firstSceneOrdinal ?? 1;
  const offset = input.firstParagraph ?? 0;
  for (const group of groups) {
    const text = group.map((unit) => unit.text).join("\n\n");
    const beats = mergeBeats(group.flatMap((unit) => unit.beats));
    const narration = beats
      .filter((beat) => beat.kind === "narration")
      .map((beat) => beat.text)
      .join(" ");
    location = findLocation(narration) ?? location;
    timeOfDay = findTimeOfDay(narration) ?? timeOfDay;
    const present = presentCharacters(
      text,
      beats,
      registry,
      characters.map((character) => character.name),
    );
    scenes.push({
      ordinal: firstOrdinal + scenes.length,
      source: {
        chapter: input.ordinal,
        firstParagraph: offset + group[0]!.index,
        lastParagraph: offset + group.at(-1)!.index,
      },
      location,
      timeOfDay,
      mood: findMood(text),
      visualDescription: describeVisual(
        location,
        timeOfDay,
        present,
        findKeyImage(narration) ?? firstLine(beats),
      ),
      beats,
      estimatedSeconds: estimateBeatsSeconds(beats),
      key: false,
    });
  }
  markKeyScenes(scenes);
  return { version: SCRIPT_SCHEMA_VERSION, title: input.title, characters, scenes };
}

/** Joins a speaker's consecutive lines across paragraphs; narration stays one beat per paragraph. */
function mergeBeats(beats: readonly Beat[]): Beat[] {
  const merged: Beat[] = [];
  for (const beat of beats) {
    const previous = merged.at(-1);
    if (
      previous?.kind === "dialogue" &&
      beat.kind === "dialogue" &&
      previous.speaker === beat.speaker &&
      !beat.parenthetical
    ) {
      merged[merged.length - 1] = { ...previous, text: `${previous.text} ${beat.text}` };
    } else {
      merged.push(beat);
    }
  }
  return merged;
}

function presentCharacters(
  text: string,
  beats: readonly Beat[],
  registry: CharacterRegistry,
  listed: readonly string[],
): string[] {
  const present = new Set<string>();
  for (const beat of beats) if (beat.kind === "dialogue") present.add(beat.speaker);
  for (const word of text.match(/[A-Z][\p{L}'’]+/gu) ?? []) {
    const entry = registry.find(word.replace(/['’]s$/, ""));
    if (entry) present.add(entry.name);
  }
  return listed.filter((name) => present.has(name) && name !== "Narrator");
}

function describeVisual(
  location: string,
  time: TimeOfDay,
  present: readonly string[],
  keyImage: string,
): string {
  const when = timePhrase(time);
  const setting = `${capitalize(location)}${when ? `, ${when}` : ""}.`;
  const who =
    present.length > 0 ? ` ${present.join(" and ")} ${present.length > 1 ? "are" : "is"} there.` : "";
  return `${setting}${who} Key image: ${keyImage}`;
}

function firstLine(beats: readonly Beat[]): string {
  const text = beats[0]?.text ?? "";
  return splitSentences(text)[0] ?? text;
}

/** Marks up to a third of the scenes (at least one) with the most movement as key scenes. */
function markKeyScenes(scenes: Scene[]): void {
  if (scenes.length === 0) return;
  const scored = scenes.map((scene, position) => {
    const text = scene.beats.map((beat) => beat.text).join(" ");
    const moodBonus = scene.mood === "dramatic" || scene.mood === "tense" || scene.mood === "joyful" ? 2 : 0;
    return { position, score: motionScore(text) + moodBonus };
  });
  const limit = Math.max(1, Math.floor(scenes.length / 3));
  scored
    .sort((a, b) => b.score - a.score || a.position - b.position)
    .slice(0, limit)
    .forEach(({ position, score }, rank) => {
      if (rank === 0 || score >= 3) scenes[position] = { ...scenes[position]!, key: true };
    });
}
