import {
  type AdaptScreenplayInput,
  type Beat,
  estimateBeatsSeconds,
  SCRIPT_SCHEMA_VERSION,
  type Scene,
  type Script,
  type ScriptCharacter,
  TIMES_OF_DAY,
  type TimeOfDay,
} from "../../../script/index.ts";
import { findKeyImage, findMood, motionScore, timePhrase } from "./describe-scene.ts";
import { capitalize } from "./prose-text.ts";

/**
 * A screenplay's scenes → a {@link Script} without rewriting: action lines become narration, dialogue
 * stays dialogue; location and time of day come from the scene heading ("INT. FLAT - NIGHT").
 */
export function adaptScreenplay(input: AdaptScreenplayInput): Script {
  const chapter = input.ordinal ?? 1;
  const characters = new Map<string, ScriptCharacter>();
  const scenes: Scene[] = input.scenes.map((scene, position) => {
    const { location, timeOfDay } = parseHeading(scene.heading);
    const beats: Beat[] = scene.elements.map((element) => {
      if (element.kind === "action") return { kind: "narration", text: element.text };
      const speaker = speakerName(element.speaker);
      if (!characters.has(speaker)) {
        characters.set(speaker, {
          name: speaker,
          aliases: speaker === element.speaker.trim() ? [] : [element.speaker.trim()],
          description: `${speaker}.`,
          voice: { gender: "unknown", age: "unknown" },
        });
      }
      return {
        kind: "dialogue",
        speaker,
        text: element.text,
        ...(element.parenthetical ? { parenthetical: element.parenthetical.replace(/^\(|\)$/g, "") } : {}),
      };
    });
    const action = beats
      .filter((beat) => beat.kind === "narration")
      .map((beat) => beat.text)
      .join(" ");
    const allText = beats.map((beat) => beat.text).join(" ");
    const present = [...new Set(beats.flatMap((beat) => (beat.kind === "dialogue" ? [beat.speaker] : [])))];
    const when = timePhrase(timeOfDay);
    return {
      ordinal: position + 1,
      source: { chapter, firstParagraph: position, lastParagraph: position },
      location,
      timeOfDay,
      mood: findMood(allText),
      visualDescription: `${capitalize(location)}${when ? `, ${when}` : ""}.${present.length ? ` ${present.join(" and ")} ${present.length > 1 ? "are" : "is"} there.` : ""} Key image: ${findKeyImage(action) ?? beats[0]!.text}`,
      beats,
      estimatedSeconds: estimateBeatsSeconds(beats),
      key: motionScore(allText) >= 2,
    };
  });
  return { version: SCRIPT_SCHEMA_VERSION, title: input.title, characters: [...characters.values()], scenes };
}

/** Reads "INT. DELLA'S FLAT - NIGHT" as a location and a time of day. */
function parseHeading(heading: string): { location: string; timeOfDay: TimeOfDay } {
  const body = heading
    .replace(/^\s*\.?(?:INT\.?\s*\/\s*EXT|EXT\.?\s*\/\s*INT|I\/E|INT|EXT|EST)[.\s]+/i, "")
    .trim();
  const parts = body.split(/\s+[-–—]\s+/);
  const last = parts.length > 1 ? parts.at(-1)!.trim().toLowerCase() : "";
  const time = TIMES_OF_DAY.find((candidate) => last.startsWith(candidate) && candidate !== "unknown");
  const place = (time ? parts.slice(0, -1) : parts).join(" - ").trim();
  return {
    location: place
      ? place.toLowerCase().replace(/(^|\s)\S/g, (letter) => letter.toUpperCase())
      : "Unknown place",
    timeOfDay: time ?? "unknown",
  };
}

/** "DELLA (V.O.)" → "Della". */
function speakerName(raw: string): string {
  const bare = raw.replace(/\s*\(.*?\)\s*/g, " ").trim();
  return bare.toLowerCase().replace(/(^|[\s'-])\p{L}/gu, (letter) => letter.toUpperCase());
}
