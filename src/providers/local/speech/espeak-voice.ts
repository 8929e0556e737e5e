import { fnv1a, type VoiceHints } from "../../../script/index.ts";

/** The eSpeak NG settings one voice name stands for. */
export interface EspeakVoice {
  /** `-v`: language and variant, e.g. "en-us+f3". */
  readonly voice: string;
  /** `-p`: pitch, 0–99. */
  readonly pitch: number;
  /** `-s`: words per minute. */
  readonly wordsPerMinute: number;
}

/** The voice name of the narrator, and what an empty voice means. */
const NARRATOR_VOICE = "narrator";

const FEMALE_VARIANTS = ["f1", "f2", "f3", "f4", "f5"];
const MALE_VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7"];
/** The narrator's speed in words per minute at speed 1. */
export const NARRATOR_WORDS_PER_MINUTE = 160;

/**
 * Maps a local voice name to eSpeak NG settings, deterministically: the words `female`/`woman`,
 * `male`/`man`, `child`, `young`, `elderly`/`old` in the name choose the variant family and pitch range
 * (the pipeline's cast names such as `female-young-1` and `neutral-adult-2` read this way);
 * a hash of the whole name picks the variant and nudges pitch and speed, so every character sounds
 * different and always the same. `narrator` (or an empty name) is the steady narrator voice.
 *
 * @example espeakVoiceFor("female-young-della", "en", 1) // { voice: "en-us+f4", pitch: 63, wordsPerMinute: 162 }
 */
export function espeakVoiceFor(name: string, language: string, speed: number): EspeakVoice {
  const base = language.toLowerCase() === "en" ? "en-us" : language.toLowerCase();
  const words = new Set(
    name
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean),
  );
  const rate = (wordsPerMinute: number): number =>
    Math.round(Math.min(400, Math.max(80, wordsPerMinute * speed)));
  if (words.size === 0 || words.has(NARRATOR_VOICE)) {
    return { voice: `${base}+m3`, pitch: 45, wordsPerMinute: rate(NARRATOR_WORDS_PER_MINUTE) };
  }
  const hash = fnv1a(name.toLowerCase());
  const female = words.has("female") || words.has("woman") || words.has("girl") || words.has("f");
  const male = !female && (words.has("male") || words.has("man") || words.has("boy") || words.has("m"));
  const family = female ? FEMALE_VARIANTS : male ? MALE_VARIANTS : [...FEMALE_VARIANTS, ...MALE_VARIANTS];
  const variant = family[hash % family.length]!;
  let pitch = female ? 60 : male ? 40 : 50;
  let wordsPerMinute = 165;
  if (words.has("child") || words.has("girl") || words.has("boy")) {
    pitch += 20;
    wordsPerMinute += 10;
  } else if (words.has("elderly") || words.has("old")) {
    pitch -= 10;
    wordsPerMinute -= 25;
  } else if (words.has("young")) {
    pitch += 5;
  }
  pitch += ((hash >>> 8) % 15) - 7;
  wordsPerMinute += ((hash >>> 16) % 21) - 10;
  return {
    voice: `${base}+${variant}`,
    pitch: Math.min(99, Math.max(0, pitch)),
    wordsPerMinute: rate(wordsPerMinute),
  };
}

/**
 * The local voice name for a character: its voice hints and its name, e.g. "female-young-della".
 * The local speech model reads the hints back from it; other providers need their own casting.
 */
export function localVoiceId(character: { readonly name: string; readonly voice: VoiceHints }): string {
  const slug = character.name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return [character.voice.gender, character.voice.age, slug || "someone"].join("-");
}
