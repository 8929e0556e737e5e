import type { Chapter } from "../../ingest/index.ts";
import type { BibleCharacter, CharacterBible, Scene, Script } from "../../script/index.ts";

/** A scene ready for generation: its script, where it belongs, who is in it and who speaks how. */
export interface PlannedScene {
  /** 1-based position in the video. */
  readonly ordinal: number;
  readonly chapterOrdinal: number;
  readonly chapterTitle: string;
  readonly scene: Scene;
  /** Bible characters who speak or are named in the scene. */
  readonly characters: readonly BibleCharacter[];
  /** The voice of each beat, in order (narrator for narration). */
  readonly voices: readonly string[];
}

/** Options of {@link breakDownScenes}. */
export interface BreakdownOptions {
  /** The narrator's voice. @defaultValue "narrator" */
  readonly narratorVoice?: string | undefined;
  /** Keep whole scenes until this many estimated seconds (`--trim`). */
  readonly trimToSeconds?: number | undefined;
}

/**
 * `scene_breakdown`: puts the scripts' scenes in one sequence, attaches each scene's characters from the
 * bible, casts a voice for every speaker (the same voice for a character in every scene) and applies
 * the tier's trim. Pure: no I/O.
 */
export function breakDownScenes(
  scripts: readonly { chapter: Chapter | undefined; script: Script }[],
  bible: CharacterBible,
  options: BreakdownOptions = {},
): PlannedScene[] {
  const narrator = options.narratorVoice ?? "narrator";
  const cast = castVoices(scripts, bible);
  const planned: PlannedScene[] = [];
  let seconds = 0;
  for (const { chapter, script } of scripts) {
    for (const scene of script.scenes) {
      if (
        options.trimToSeconds !== undefined &&
        planned.length > 0 &&
        seconds + scene.estimatedSeconds > options.trimToSeconds
      ) {
        return planned;
      }
      seconds += scene.estimatedSeconds;
      planned.push({
        ordinal: planned.length + 1,
        chapterOrdinal: chapter?.ordinal ?? 1,
        chapterTitle: chapter?.title ?? script.title,
        scene,
        characters: charactersIn(scene, bible),
        voices: scene.beats.map((beat) =>
          beat.kind === "narration" || isNarrator(beat.speaker)
            ? narrator
            : (cast.get(normalize(beat.speaker)) ?? narrator),
        ),
      });
    }
  }
  return planned;
}

/**
 * Casts one voice per speaking character, in order of first line: the bible's voice when it has one,
 * else a logical voice from the character's hints (`female-adult-1`, `male-young-2`, …) that providers
 * map to their own voices.
 */
export function castVoices(
  scripts: readonly { script: Script }[],
  bible: CharacterBible,
): Map<string, string> {
  const byName = new Map<string, BibleCharacter>();
  for (const character of bible.characters) {
    byName.set(normalize(character.name), character);
    for (const alias of character.aliases) byName.set(normalize(alias), character);
  }
  const cast = new Map<string, string>();
  const used = new Map<string, number>();
  for (const { script } of scripts) {
    for (const scene of script.scenes) {
      for (const beat of scene.beats) {
        if (beat.kind !== "dialogue") continue;
        const key = normalize(beat.speaker);
        if (cast.has(key) || isNarrator(beat.speaker)) continue;
        const character = byName.get(key);
        let voice = character?.voiceId;
        if (!voice) {
          const gender = character?.voice.gender ?? "unknown";
          const age = character?.voice.age ?? "unknown";
          const family = `${gender === "unknown" ? "neutral" : gender}-${age === "unknown" ? "adult" : age}`;
          const count = (used.get(family) ?? 0) + 1;
          used.set(family, count);
          voice = `${family}-${count}`;
        }
        cast.set(key, voice);
        if (character) {
          cast.set(normalize(character.name), voice);
          for (const alias of character.aliases) cast.set(normalize(alias), voice);
        }
      }
    }
  }
  return cast;
}

function charactersIn(scene: Scene, bible: CharacterBible): BibleCharacter[] {
  const text = scene.beats
    .map((beat) => beat.text)
    .join(" ")
    .toLowerCase();
  const speakers = new Set(
    scene.beats.flatMap((beat) => (beat.kind === "dialogue" ? [normalize(beat.speaker)] : [])),
  );
  return bible.characters.filter(
    (character) =>
      [character.name, ...character.aliases].some((name) => speakers.has(normalize(name))) ||
      [character.name, ...character.aliases].some(
        (name) => name.length > 2 && includesWord(text, name.toLowerCase()),
      ),
  );
}

function includesWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, "u").test(text);
}

/** A first-person narrator's lines ("I said") are spoken in the narrator's voice. */
function isNarrator(speaker: string): boolean {
  return ["narrator", "i", "me", "the narrator"].includes(normalize(speaker));
}

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, " ");
}
