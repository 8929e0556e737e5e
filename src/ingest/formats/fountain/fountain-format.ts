import { buildMetadata } from "../../document/build-document.ts";
import { DOCUMENT_MODEL_VERSION, type ScreenplayDocument } from "../../document/index.ts";
import { IngestError } from "../../ingest-error.ts";
import { baseName, type SourceFile } from "../../source-file.ts";
import { parseFountain } from "./parse-fountain.ts";
import { isSceneHeadingLine } from "./scene-heading.ts";

/** Whether text reads as a Fountain screenplay: scene headings at line starts, or a title page with one. */
export function looksLikeFountain(text: string): boolean {
  const sample = text.slice(0, 200_000).replace(/\r\n?/g, "\n");
  let headings = 0;
  const lines = sample.split("\n");
  for (let i = 0; i < lines.length && headings < 3; i++) {
    if ((i === 0 || lines[i - 1]!.trim() === "") && isSceneHeadingLine(lines[i]!) && lines[i]!.length < 120)
      headings++;
  }
  if (headings >= 2) return true;
  return headings >= 1 && /^\s*Title\s*:/i.test(sample);
}

/** Reads a Fountain screenplay (the full syntax of fountain.io) into a screenplay document. */
export function readFountain(source: SourceFile, text: string): ScreenplayDocument {
  const parsed = parseFountain(text, () => source.deadline.tick());
  if (parsed.scenes.length === 0 && parsed.opening.length === 0) {
    throw new IngestError(
      "ingest.no_text",
      source.fileName,
      "the screenplay has no scenes or action; check that it is a Fountain file",
    );
  }
  const field = (key: string) => parsed.titlePage.find((f) => f.key.toLowerCase() === key)?.value ?? null;
  const title = stripQuotes(field("title")?.split("\n")[0] ?? "") || baseName(source.fileName);
  return {
    version: DOCUMENT_MODEL_VERSION,
    kind: "screenplay",
    metadata: buildMetadata(source, "fountain", {
      title,
      author: stripQuotes((field("author") ?? field("authors") ?? "").replace(/\n/g, ", ")) || null,
      language: null,
    }),
    titlePage: parsed.titlePage,
    opening: parsed.opening,
    scenes: parsed.scenes,
    characters: parsed.characters,
  };
}

function stripQuotes(value: string): string {
  return value
    .replace(/\*{1,3}([^*]+?)\*{1,3}/g, "$1")
    .replace(/_([^_]+?)_/g, "$1")
    .trim()
    .replace(/^["“](.*)["”]$/, "$1")
    .trim();
}
