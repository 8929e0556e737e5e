import { z } from "zod";

/**
 * The script model: what script generation produces (an LLM through the router, or the offline `local`
 * screenwriter) and what every later stage reads. Pure data, validated by zod, no I/O.
 *
 * Versioned: a stored script names its `version`; a change that old scripts cannot satisfy bumps it.
 */
export const SCRIPT_SCHEMA_VERSION = 1;

/** Times of day a scene can take place at; `unknown` when the text does not say. */
export const TIMES_OF_DAY = [
  "dawn",
  "morning",
  "day",
  "afternoon",
  "evening",
  "dusk",
  "night",
  "unknown",
] as const;

/** When a scene takes place. */
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];

/** A scene's dominant mood, which drives palettes, music and voice pacing. */
export const MOODS = [
  "neutral",
  "calm",
  "tender",
  "joyful",
  "tense",
  "somber",
  "mysterious",
  "dramatic",
] as const;

/** A scene's dominant mood. */
export type Mood = (typeof MOODS)[number];

/** Voice hints for casting a character's voice, as far as the text tells. */
export const voiceHintsSchema = z
  .object({
    gender: z.enum(["female", "male", "unknown"]).describe("as the text tells; unknown when it does not"),
    age: z.enum(["child", "young", "adult", "elderly", "unknown"]),
  })
  .strict();

/** Voice hints for casting a character's voice. */
export type VoiceHints = z.infer<typeof voiceHintsSchema>;

const nonBlank = z.string().trim().min(1);

/** A character as the script knows it: a stable name, a fixed look and voice hints. */
export const scriptCharacterSchema = z
  .object({
    name: nonBlank.describe("the name used as `speaker` in dialogue beats"),
    aliases: z.array(nonBlank).describe("other names and titles the text uses for this character"),
    description: z
      .string()
      .describe("a fixed visual description reused in every image prompt, so the character looks the same"),
    voice: voiceHintsSchema,
  })
  .strict();

/** A character of a script. */
export type ScriptCharacter = z.infer<typeof scriptCharacterSchema>;

/** Narration: read by the narrator voice. */
export const narrationBeatSchema = z.object({ kind: z.literal("narration"), text: nonBlank }).strict();

/** A line of dialogue, spoken in the speaker's voice. */
export const dialogueBeatSchema = z
  .object({
    kind: z.literal("dialogue"),
    speaker: nonBlank.describe("a `name` from `characters`"),
    text: nonBlank,
    parenthetical: z.string().optional().describe("how the line is said: (whispering), (to Jim)"),
  })
  .strict();

/** One narration or dialogue beat of a scene, in the order they are heard. */
export const beatSchema = z.discriminatedUnion("kind", [narrationBeatSchema, dialogueBeatSchema]);

/** One narration or dialogue beat. */
export type Beat = z.infer<typeof beatSchema>;
/** A narration beat. */
export type NarrationBeat = z.infer<typeof narrationBeatSchema>;
/** A dialogue beat. */
export type DialogueBeat = z.infer<typeof dialogueBeatSchema>;

/** Where a scene comes from in the source: chapter ordinal and paragraph range (0-based, inclusive). */
export const sceneSourceSchema = z
  .object({
    chapter: z.number().int().min(1),
    firstParagraph: z.number().int().min(0),
    lastParagraph: z.number().int().min(0),
  })
  .strict()
  .refine((source) => source.lastParagraph >= source.firstParagraph, {
    message: "lastParagraph must not come before firstParagraph",
    path: ["lastParagraph"],
  });

/** Where a scene comes from in the source. */
export type SceneSource = z.infer<typeof sceneSourceSchema>;

/** One scene: where and when, how it looks, what is heard, how long it lasts. */
export const sceneSchema = z
  .object({
    ordinal: z.number().int().min(1).describe("1-based position in the script"),
    source: sceneSourceSchema,
    location: nonBlank.describe("where the scene takes place, e.g. 'a shabby flat in New York'"),
    timeOfDay: z.enum(TIMES_OF_DAY),
    mood: z.enum(MOODS),
    visualDescription: nonBlank.describe(
      "one still image for the scene: setting, time of day, characters present, the key image",
    ),
    beats: z.array(beatSchema).min(1),
    estimatedSeconds: z.number().positive().describe("spoken length at narration pace"),
    key: z.boolean().describe("worth animating with an image-to-video model"),
  })
  .strict();

/** One scene of a script. */
export type Scene = z.infer<typeof sceneSchema>;

/** A whole script (one chapter's adaptation, or a book's once merged). */
export const scriptSchema = z
  .object({
    version: z.literal(SCRIPT_SCHEMA_VERSION),
    title: nonBlank,
    characters: z.array(scriptCharacterSchema),
    scenes: z.array(sceneSchema),
  })
  .strict();

/** A whole script. */
export type Script = z.infer<typeof scriptSchema>;

/** A character of the bible: the script character plus the voice assigned to it, once cast. */
export const bibleCharacterSchema = scriptCharacterSchema
  .extend({
    voiceId: z.string().optional().describe("the provider voice assigned to this character"),
  })
  .strict();

/** A character of the bible. */
export type BibleCharacter = z.infer<typeof bibleCharacterSchema>;

/**
 * The character bible: built once per book so every image prompt and every dialogue line of every scene
 * uses the same look and voice for a character.
 */
export const characterBibleSchema = z
  .object({
    version: z.literal(SCRIPT_SCHEMA_VERSION),
    characters: z.array(bibleCharacterSchema),
  })
  .strict();

/** The character bible of a book. */
export type CharacterBible = z.infer<typeof characterBibleSchema>;
