import type { Document, Matter, SourceFormat } from "../document/index.ts";

/** One chapter in the `litink ingest --json` output. */
export interface IngestJsonChapter {
  readonly title: string;
  readonly ordinal: number;
  readonly words: number;
  readonly matter: Matter;
}

/** One scene in the `litink ingest --json` output. */
export interface IngestJsonScene {
  readonly heading: string;
  readonly location: string;
  readonly time: string | null;
  readonly characters: readonly string[];
}

/** The object `litink ingest FILE --json` prints: `chapters` for books, `scenes` and `characters` for screenplays. */
export type IngestJson = {
  readonly format: SourceFormat;
  readonly kind: "book" | "screenplay";
  readonly title: string;
  readonly author: string | null;
  readonly language: string | null;
  readonly words: number;
} & (
  | { readonly kind: "book"; readonly chapters: readonly IngestJsonChapter[] }
  | {
      readonly kind: "screenplay";
      readonly scenes: readonly IngestJsonScene[];
      readonly characters: readonly string[];
    }
);

/** The summary of a document that `litink ingest --json` prints. */
export function toIngestJson(document: Document): IngestJson {
  const { metadata } = document;
  if (document.kind === "book") {
    return {
      format: metadata.format,
      kind: "book",
      title: metadata.title,
      author: metadata.author,
      language: metadata.language,
      words: document.chapters.reduce((sum, chapter) => sum + chapter.words, 0),
      chapters: document.chapters.map((chapter) => ({
        title: chapter.title,
        ordinal: chapter.ordinal,
        words: chapter.words,
        matter: chapter.matter,
      })),
    };
  }
  return {
    format: metadata.format,
    kind: "screenplay",
    title: metadata.title,
    author: metadata.author,
    language: metadata.language,
    words: screenplayWords(document),
    scenes: document.scenes.map((scene) => ({
      heading: scene.heading,
      location: scene.location,
      time: scene.time,
      characters: scene.characters,
    })),
    characters: document.characters,
  };
}

/** Words of a screenplay: headings, action, dialogue and the rest, as read. */
function screenplayWords(document: Extract<Document, { kind: "screenplay" }>): number {
  let words = 0;
  const count = (text: string) => {
    words += text.split(/\s+/).filter(Boolean).length;
  };
  const elements = [...document.opening, ...document.scenes.flatMap((scene) => scene.elements)];
  for (const scene of document.scenes) count(scene.heading);
  for (const element of elements) {
    if (element.type === "dialogue") {
      count(element.character);
      for (const part of element.parts) count(part.text);
    } else if (element.type !== "page_break") {
      count(element.text);
    }
  }
  return words;
}
