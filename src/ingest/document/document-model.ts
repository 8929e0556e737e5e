import { z } from "zod";

/** Version of the document model; bump it when the shape changes incompatibly. */
export const DOCUMENT_MODEL_VERSION = 1;

/** The input formats LitinkAI reads. */
export const sourceFormatSchema = z.enum(["text", "markdown", "epub", "pdf", "docx", "fountain", "fdx"]);
/** One of the input formats LitinkAI reads. */
export type SourceFormat = z.infer<typeof sourceFormatSchema>;

/** Where a chapter sits: the story itself, or front/back matter the pipeline skips by default. */
export const matterSchema = z.enum(["body", "front", "back"]);
/** Where a chapter sits: the story itself, or front/back matter the pipeline skips by default. */
export type Matter = z.infer<typeof matterSchema>;

/** Facts about the source file and the work. */
export const documentMetadataSchema = z.object({
  title: z.string(),
  author: z.string().nullable(),
  /** BCP 47 language tag when the source states one (e.g. "en", "en-GB"). */
  language: z.string().nullable(),
  format: sourceFormatSchema,
  /** The name of the file the document came from (no directories). */
  fileName: z.string(),
  /** SHA-256 of the raw file bytes, lowercase hex. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Size of the raw file in bytes. */
  bytes: z.number().int().nonnegative(),
});
/** Facts about the source file and the work. */
export type DocumentMetadata = z.infer<typeof documentMetadataSchema>;

/** One chapter (or front/back matter section) of a book. */
export const chapterSchema = z.object({
  /** 1-based position among all chapters of the book, front and back matter included. */
  ordinal: z.number().int().positive(),
  /** The chapter's own title, or its label ("Chapter IV", "XII") when it has none. */
  title: z.string(),
  /** The numbering label as printed ("CHAPTER IV", "12"), when there is one. */
  label: z.string().nullable(),
  /** The part or book the chapter belongs to ("PART ONE--The Old Buccaneer"), when there is one. */
  part: z.string().nullable(),
  matter: matterSchema,
  paragraphs: z.array(z.string()),
  words: z.number().int().nonnegative(),
});
/** One chapter (or front/back matter section) of a book. */
export type Chapter = z.infer<typeof chapterSchema>;

/** A line of dialogue or a parenthetical inside a dialogue block. */
export const dialoguePartSchema = z.object({
  type: z.enum(["line", "parenthetical"]),
  text: z.string(),
});
/** A line of dialogue or a parenthetical inside a dialogue block. */
export type DialoguePart = z.infer<typeof dialoguePartSchema>;

/** One element of a screenplay scene, in reading order. */
export const screenplayElementSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("action"), text: z.string() }),
  z.object({
    type: z.literal("dialogue"),
    /** The speaking character, normalised to upper case, without extension. */
    character: z.string(),
    /** Extensions such as "V.O.", "O.S.", "CONT'D". */
    extensions: z.array(z.string()),
    parts: z.array(dialoguePartSchema),
    /** Whether this block is the second half of a dual-dialogue pair (or its partner). */
    dual: z.boolean(),
  }),
  z.object({ type: z.literal("transition"), text: z.string() }),
  z.object({ type: z.literal("centered"), text: z.string() }),
  z.object({ type: z.literal("lyrics"), text: z.string() }),
  z.object({ type: z.literal("section"), depth: z.number().int().positive(), text: z.string() }),
  z.object({ type: z.literal("synopsis"), text: z.string() }),
  z.object({ type: z.literal("page_break") }),
]);
/** One element of a screenplay scene, in reading order. */
export type ScreenplayElement = z.infer<typeof screenplayElementSchema>;

/** One scene of a screenplay. */
export const sceneSchema = z.object({
  ordinal: z.number().int().positive(),
  /** The heading as written, without a forcing "." and scene number. */
  heading: z.string(),
  /** Whether the heading was forced with a leading ".". */
  forced: z.boolean(),
  /** "INT", "EXT", "INT/EXT", "EST" or null when the heading has no such prefix. */
  setting: z.string().nullable(),
  location: z.string(),
  /** Time of day ("DAY", "NIGHT", "CONTINUOUS"), null when absent. */
  time: z.string().nullable(),
  sceneNumber: z.string().nullable(),
  elements: z.array(screenplayElementSchema),
  /** Speaking characters of this scene, in order of first line. */
  characters: z.array(z.string()),
});
/** One scene of a screenplay. */
export type Scene = z.infer<typeof sceneSchema>;

/** A normalised book: ordered chapters. */
export const bookDocumentSchema = z.object({
  version: z.literal(DOCUMENT_MODEL_VERSION),
  kind: z.literal("book"),
  metadata: documentMetadataSchema,
  chapters: z.array(chapterSchema),
});
/** A normalised book: ordered chapters. */
export type BookDocument = z.infer<typeof bookDocumentSchema>;

/** A normalised screenplay: title page, ordered scenes and the speaking characters. */
export const screenplayDocumentSchema = z.object({
  version: z.literal(DOCUMENT_MODEL_VERSION),
  kind: z.literal("screenplay"),
  metadata: documentMetadataSchema,
  /** Title page fields in file order (key as written, e.g. "Title", "Author"). */
  titlePage: z.array(z.object({ key: z.string(), value: z.string() })),
  /** Elements before the first scene heading (e.g. "FADE IN:"). */
  opening: z.array(screenplayElementSchema),
  scenes: z.array(sceneSchema),
  /** Every speaking character, in order of first line. */
  characters: z.array(z.string()),
});
/** A normalised screenplay: title page, ordered scenes and the speaking characters. */
export type ScreenplayDocument = z.infer<typeof screenplayDocumentSchema>;

/** The one normalised document every later stage works from. */
export const documentSchema = z.discriminatedUnion("kind", [bookDocumentSchema, screenplayDocumentSchema]);
/** The one normalised document every later stage works from. */
export type Document = z.infer<typeof documentSchema>;
