import { MOODS, type Mood, TIMES_OF_DAY, type TimeOfDay } from "../../../script/index.ts";

/** The kinds of setting the procedural illustrator can draw. */
type SettingKind = "interior" | "street" | "sea" | "forest" | "mountain" | "field";

/** What the illustrator reads from an image prompt. */
export interface PromptReading {
  readonly setting: SettingKind;
  readonly timeOfDay: TimeOfDay;
  readonly mood: Mood;
  /** The line set as typography: the prompt's "Key image:", else its first sentence. */
  readonly keyLine: string;
  /** Names listed as present ("Della and Jim are there"), for figures. */
  readonly figures: readonly string[];
}

const SETTING_WORDS: readonly [SettingKind, RegExp][] = [
  ["sea", /\b(?:sea|ocean|shore|beach|harbou?r|ship|deck|waves?|coast|island|bay)\b/i],
  ["forest", /\b(?:forest|woods?|trees|jungle|grove|thicket|pines?)\b/i],
  ["mountain", /\b(?:mountains?|peaks?|cliffs?|summit|ridge|hills?|valley|snow)\b/i],
  [
    "interior",
    /\b(?:room|flat|apartment|kitchen|bedroom|parlou?r|hall|house|home|cottage|cabin|shop|store|office|library|church|chapel|tavern|inn|attic|cellar|interior|int\.)\b/i,
  ],
  ["street", /\b(?:street|avenue|road|city|town|village|square|market|station|alley|broadway|ext\.)\b/i],
  ["field", /\b(?:field|meadow|garden|park|farm|plain|moor|lawn)\b/i],
];

const TIME_WORDS: readonly [TimeOfDay, RegExp][] = [
  ["dawn", /\b(?:dawn|sunrise|daybreak)\b/i],
  ["dusk", /\b(?:dusk|sunset|twilight)\b/i],
  ["night", /\b(?:night|midnight|moon\w*|stars)\b/i],
  ["evening", /\bevening\b/i],
  ["afternoon", /\bafternoon\b/i],
  ["morning", /\bmorning\b/i],
  ["day", /\b(?:day|noon|sunny|sunlight)\b/i],
];

/**
 * Reads an image prompt — typically a scene's visual description, "The flat, in the evening. Della is
 * there. Key image: …" — for setting, time of day, mood, figures and the key line. Setting words are
 * looked for in the part before "Key image:" first, where the location is named.
 */
export function readPrompt(prompt: string): PromptReading {
  const [head = "", key] = prompt.split(/\bKey image:\s*/i);
  const setting = findFirst(SETTING_WORDS, head) ?? findFirst(SETTING_WORDS, prompt) ?? "field";
  const timeOfDay = findFirst(TIME_WORDS, head) ?? findFirst(TIME_WORDS, prompt) ?? "day";
  const mood =
    MOODS.find((candidate) => new RegExp(`\\b${candidate}\\b`, "i").test(prompt)) ?? moodFromWords(prompt);
  const keyLine = (key ?? firstSentence(prompt)).replace(/\s+/g, " ").trim();
  const present = /([A-Z][\p{L}'’-]+(?:(?:, | and )[A-Z][\p{L}'’-]+)*) (?:is|are) there\b/u.exec(head);
  const figures = present?.[1] ? present[1].split(/, | and /) : [];
  return { setting, timeOfDay: TIMES_OF_DAY.includes(timeOfDay) ? timeOfDay : "day", mood, keyLine, figures };
}

function findFirst<T>(table: readonly [T, RegExp][], text: string): T | undefined {
  let best: { value: T; at: number } | undefined;
  for (const [value, pattern] of table) {
    const at = text.search(pattern);
    if (at >= 0 && (!best || at < best.at)) best = { value, at };
  }
  return best?.value;
}

function moodFromWords(prompt: string): Mood {
  if (/\b(?:sad|grey|gray|tears|alone|poor|shabby)\b/i.test(prompt)) return "somber";
  if (/\b(?:love|tender|embrace|kiss)\b/i.test(prompt)) return "tender";
  if (/\b(?:storm|fire|blood|scream)\b/i.test(prompt)) return "dramatic";
  return "neutral";
}

function firstSentence(text: string): string {
  return /^.*?[.!?](?=\s|$)/.exec(text.trim())?.[0] ?? text;
}
