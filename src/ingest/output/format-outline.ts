import type { Document } from "../document/index.ts";
import { toIngestJson } from "./to-ingest-json.ts";

/**
 * A readable outline of a document: title, author, format, then chapters (with matter marked) or
 * scenes with their speaking characters, each with a word count where it has one.
 */
export function formatOutline(document: Document): string {
  const summary = toIngestJson(document);
  const lines = [
    summary.title,
    `  author:   ${summary.author ?? "unknown"}`,
    `  format:   ${summary.format} (${summary.kind})${summary.language ? `, language ${summary.language}` : ""}`,
    `  words:    ${summary.words.toLocaleString("en-US")}`,
    "",
  ];
  if (summary.kind === "book") {
    const body = summary.chapters.filter((chapter) => chapter.matter === "body").length;
    lines.push(
      `${body} chapter${body === 1 ? "" : "s"} (${summary.chapters.length - body} front/back matter):`,
    );
    const width = String(summary.chapters.length).length;
    for (const chapter of summary.chapters) {
      const marker = chapter.matter === "body" ? "" : ` [${chapter.matter} matter]`;
      lines.push(
        `  ${String(chapter.ordinal).padStart(width)}. ${chapter.title}${marker} (${chapter.words.toLocaleString("en-US")} words)`,
      );
    }
  } else {
    lines.push(`${summary.scenes.length} scene${summary.scenes.length === 1 ? "" : "s"}:`);
    summary.scenes.forEach((scene, index) => {
      const who = scene.characters.length > 0 ? ` — ${scene.characters.join(", ")}` : "";
      lines.push(`  ${index + 1}. ${scene.heading}${who}`);
    });
    lines.push("", `characters: ${summary.characters.join(", ") || "none"}`);
  }
  return `${lines.join("\n")}\n`;
}
