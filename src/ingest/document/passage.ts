import { z } from "zod";

/** A slice of a chapter small enough for one LLM call, cut at sentence boundaries. */
export const passageSchema = z.object({
  /** Ordinal of the chapter the passage comes from. */
  chapterOrdinal: z.number().int().positive(),
  /** 0-based position of the passage within its chapter. */
  index: z.number().int().nonnegative(),
  text: z.string(),
  /** Token count of `text` with the o200k tokenizer (gpt-tokenizer). */
  tokens: z.number().int().nonnegative(),
  /** Index of the paragraph where the passage starts. */
  paragraphStart: z.number().int().nonnegative(),
  /** Index of the paragraph where the passage ends (inclusive). */
  paragraphEnd: z.number().int().nonnegative(),
  /** Character offset of the start in the chapter text (paragraphs joined with "\n\n"). */
  charStart: z.number().int().nonnegative(),
  /** Character offset just past the end in the chapter text. */
  charEnd: z.number().int().nonnegative(),
});
/** A slice of a chapter small enough for one LLM call, cut at sentence boundaries. */
export type Passage = z.infer<typeof passageSchema>;
