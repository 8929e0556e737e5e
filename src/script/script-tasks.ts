import { z } from "zod";
import { scriptCharacterSchema, scriptSchema } from "./script-schema.ts";

/**
 * Named text tasks (`TextRequest.task`): the structured inputs script generation sends, so an LLM prompt
 * and the offline `local` screenwriter do the same job from the same data.
 */
export const TEXT_TASK_NAMES = ["adapt_chapter", "adapt_screenplay", "character_bible"] as const;

/** The name of a text task. */
export type TextTaskName = (typeof TEXT_TASK_NAMES)[number];

/** `adapt_chapter`: one chapter of prose → a {@link Script} of that chapter. */
export const adaptChapterInputSchema = z
  .object({
    title: z.string().trim().min(1).describe("the chapter's title (or the book's, for a one-chapter text)"),
    ordinal: z.number().int().min(1).describe("the chapter's 1-based position in the book"),
    paragraphs: z.array(z.string()).min(1),
    /** Characters already known from earlier chapters, so names stay the same across the book. */
    knownCharacters: z.array(scriptCharacterSchema).optional(),
    /** The ordinal of this chapter's first scene. @defaultValue 1 */
    firstSceneOrdinal: z.number().int().min(1).optional(),
    /**
     * The position in the chapter of `paragraphs[0]` when a passage of a longer chapter is adapted, so
     * scene sources name chapter paragraphs. @defaultValue 0
     */
    firstParagraph: z.number().int().min(0).optional(),
  })
  .strict();

/** Input of `adapt_chapter`. */
export type AdaptChapterInput = z.infer<typeof adaptChapterInputSchema>;

/** One element of a screenplay scene, in reading order. */
export const screenplayElementSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("action"), text: z.string().trim().min(1) }).strict(),
  z
    .object({
      kind: z.literal("dialogue"),
      speaker: z.string().trim().min(1),
      text: z.string().trim().min(1),
      parenthetical: z.string().optional(),
    })
    .strict(),
]);

/** One element of a screenplay scene. */
export type ScreenplayElement = z.infer<typeof screenplayElementSchema>;

/** `adapt_screenplay`: scenes that already exist (Fountain, FDX) → a {@link Script}, without rewriting. */
export const adaptScreenplayInputSchema = z
  .object({
    title: z.string().trim().min(1),
    /** @defaultValue 1 */
    ordinal: z.number().int().min(1).optional(),
    scenes: z
      .array(
        z
          .object({
            /** The scene heading, e.g. "INT. DELLA'S FLAT - NIGHT". */
            heading: z.string(),
            elements: z.array(screenplayElementSchema).min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

/** Input of `adapt_screenplay`. */
export type AdaptScreenplayInput = z.infer<typeof adaptScreenplayInputSchema>;

/** `character_bible`: a book's scripts (or its raw text) → a {@link CharacterBible}. */
export const characterBibleInputSchema = z
  .object({
    title: z.string().optional(),
    scripts: z.array(scriptSchema).optional(),
    /** Raw text to find characters in when there are no scripts (or to add detail to them). */
    text: z.string().optional(),
  })
  .strict()
  .refine((input) => (input.scripts?.length ?? 0) > 0 || (input.text?.trim().length ?? 0) > 0, {
    message: "give `scripts` or `text` to build the character bible from",
  });

/** Input of `character_bible`. */
export type CharacterBibleInput = z.infer<typeof characterBibleInputSchema>;
