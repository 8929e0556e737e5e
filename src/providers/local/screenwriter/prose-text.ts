/**
 * Small text helpers of the screenwriter: cleaning a paragraph for speech and splitting it into sentences.
 */

/** Abbreviations that end with a period without ending a sentence. */
const ABBREVIATIONS = /\b(?:Mr|Mrs|Ms|Mme|Mlle|Dr|St|Jr|Sr|Prof|Capt|Col|Gen|Lt|Rev|No|vs|etc)\.$/;

/** Markers that separate scenes in prose: `* * *`, `***`, `#`, `~~~`, `---`, a lone `§`. */
const SCENE_BREAK = /^\s*(?:[*#~=§•·-]\s*){1,9}$/;

/** Whether a paragraph is a scene-break marker rather than text. */
export function isSceneBreak(paragraph: string): boolean {
  return SCENE_BREAK.test(paragraph);
}

/**
 * Cleans a paragraph for reading aloud: joins wrapped lines, turns `--` into an em dash, drops `_italic_`
 * markers and doubled spaces.
 */
export function cleanParagraph(paragraph: string): string {
  return paragraph
    .replace(/\s+/g, " ")
    .replace(/\s*--\s*/g, " — ")
    .replace(/(^|[\s("“])_([^_]+)_(?=[\s.,;:!?)"”]|$)/g, "$1$2")
    .trim();
}

/** Splits text into sentences, keeping each sentence's closing punctuation and quotes. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  const boundary = /[.!?]+["”’)]*\s+(?=["“(]?[A-Z0-9])/g;
  for (const match of text.matchAll(boundary)) {
    const end = match.index + match[0].trimEnd().length;
    const candidate = text.slice(start, end);
    if (ABBREVIATIONS.test(candidate)) continue;
    sentences.push(candidate.trim());
    start = match.index + match[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences.filter((sentence) => sentence.length > 0);
}

/** The words of a text, lower-cased, without punctuation. */
export function lowerWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu) ?? [];
}

/** Upper-cases the first letter. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
