import type { ScreenplayDocument } from "../ingest/index.ts";
import {
  type Beat,
  estimateBeatsSeconds,
  SCRIPT_SCHEMA_VERSION,
  type Script,
  type ScriptCharacter,
  type TimeOfDay,
} from "../script/index.ts";

const TIMES: ReadonlyArray<[RegExp, TimeOfDay]> = [
  [/\bDAWN|SUNRISE\b/, "dawn"],
  [/\bMORNING\b/, "morning"],
  [/\bAFTERNOON\b/, "afternoon"],
  [/\bEVENING\b/, "evening"],
  [/\bDUSK|SUNSET|TWILIGHT\b/, "dusk"],
  [/\bNIGHT|MIDNIGHT\b/, "night"],
  [/\bDAY\b/, "day"],
];

/**
 * A screenplay needs no adaptation: its scenes, action and dialogue become the script directly (action
 * is narrated, dialogue is spoken by its character). Transitions, sections, synopses and notes are not
 * heard.
 */
export function screenplayToScript(document: ScreenplayDocument): Script {
  const title = document.metadata.title || document.metadata.fileName;
  const scenes: Script["scenes"] = [];
  for (const scene of document.scenes) {
    const beats: Beat[] = [];
    for (const element of scene.elements) {
      if (element.type === "action" || element.type === "centered" || element.type === "lyrics") {
        const text = element.text.replace(/\s+/g, " ").trim();
        if (text) beats.push({ kind: "narration", text });
      } else if (element.type === "dialogue") {
        const lines = element.parts.filter((part) => part.type === "line").map((part) => part.text.trim());
        const parenthetical = element.parts.find((part) => part.type === "parenthetical")?.text.trim();
        const text = lines.join(" ").replace(/\s+/g, " ").trim();
        if (text) {
          beats.push({
            kind: "dialogue",
            speaker: characterName(element.character),
            text,
            ...(parenthetical ? { parenthetical } : {}),
          });
        }
      }
    }
    if (beats.length === 0) beats.push({ kind: "narration", text: scene.heading });
    const location = titleCase(scene.location || scene.heading);
    const timeOfDay =
      TIMES.find(([pattern]) => pattern.test((scene.time ?? "").toUpperCase()))?.[1] ?? "unknown";
    const action = beats.find((beat) => beat.kind === "narration")?.text ?? "";
    const speakers = [...new Set(beats.flatMap((beat) => (beat.kind === "dialogue" ? [beat.speaker] : [])))];
    scenes.push({
      ordinal: scenes.length + 1,
      source: { chapter: 1, firstParagraph: scene.ordinal - 1, lastParagraph: scene.ordinal - 1 },
      location,
      timeOfDay,
      mood: "neutral",
      visualDescription: [
        `${scene.setting === "INT" ? "Inside" : "Outside"}: ${location}`,
        timeOfDay === "unknown" ? "" : `at ${timeOfDay}`,
        speakers.length > 0 ? `with ${speakers.join(" and ")}` : "",
        action ? `— ${action.slice(0, 240)}` : "",
      ]
        .filter(Boolean)
        .join(" "),
      beats,
      estimatedSeconds: estimateBeatsSeconds(beats),
      key: action.length > 0,
    });
  }
  const characters: ScriptCharacter[] = document.characters.map((name) => ({
    name: characterName(name),
    aliases: [],
    description: "",
    voice: { gender: "unknown", age: "unknown" },
  }));
  return { version: SCRIPT_SCHEMA_VERSION, title, characters, scenes };
}

/** "YORBLEF" → "Yorblef"; "MRS. SMITH" → "Mrs. Smith". */
function characterName(name: string): string {
  return titleCase(name.trim());
}

function titleCase(text: string): string {
  return text
    .toLowerCase()
    .replace(/(^|[\s\-'.(/])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}
