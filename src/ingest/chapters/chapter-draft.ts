import type { Chapter, Matter } from "../document/index.ts";
import { countParagraphWords } from "../text/count-words.ts";

/** A chapter before ordinals and word counts are assigned. */
export interface ChapterDraft {
  readonly title: string;
  readonly label: string | null;
  readonly part: string | null;
  readonly matter: Matter;
  readonly paragraphs: readonly string[];
  /**
   * The paragraphs' word count when the reader already knows it exactly (it must equal
   * `countParagraphWords(paragraphs)`); counted here otherwise.
   */
  readonly words?: number;
}

/** Numbers the drafts, counts their words and drops empty sections that carry no title information. */
export function finishChapters(drafts: readonly ChapterDraft[]): Chapter[] {
  return drafts
    .filter((draft) => draft.paragraphs.length > 0 || draft.matter === "body")
    .map((draft, index) => ({
      ordinal: index + 1,
      title: draft.title,
      label: draft.label,
      part: draft.part,
      matter: draft.matter,
      paragraphs: [...draft.paragraphs],
      words: draft.words ?? countParagraphWords(draft.paragraphs),
    }));
}
