import { chaptersFromHeadings } from "../chapters/chapters-from-headings.ts";
import { buildBook } from "../document/build-document.ts";
import type { BookDocument } from "../document/index.ts";
import { baseName, type SourceFile } from "../source-file.ts";
import type { MarkupBlock } from "../xml/markup-to-blocks.ts";

/** Whether text reads as Markdown: at least two ATX ("# Title") or setext headings. */
export function looksLikeMarkdown(text: string): boolean {
  const sample = text.slice(0, 200_000);
  const atx = sample.match(/^#{1,6}[ \t]+\S.*$/gm)?.length ?? 0;
  const setext = sample.match(/^\S.*\n(?:={3,}|-{3,})[ \t]*$/gm)?.length ?? 0;
  return atx + setext >= 2;
}

/** Reads a Markdown book: headings become chapters (level chosen by structure), inline markup removed. */
export function readMarkdown(source: SourceFile, text: string): BookDocument {
  const normalised = text.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n");
  const { body, fields } = splitFrontMatter(normalised);
  const blocks = markdownBlocks(body, () => source.deadline.tick());
  const fallbackTitle = fields.title ?? baseName(source.fileName);
  const { chapters, title } = chaptersFromHeadings(blocks, fallbackTitle);
  return buildBook(
    source,
    "markdown",
    {
      title: fields.title ?? title ?? fallbackTitle,
      author: fields.author ?? null,
      language: fields.lang ?? fields.language ?? null,
    },
    chapters,
  );
}

function splitFrontMatter(text: string): { body: string; fields: Record<string, string> } {
  const match = /^---\n([\s\S]*?)\n(?:---|\.\.\.)\n/.exec(text);
  if (!match) return { body: text, fields: {} };
  const fields: Record<string, string> = {};
  for (const line of match[1]!.split("\n")) {
    const field = /^([A-Za-z_]+):\s*["']?(.*?)["']?\s*$/.exec(line);
    if (field?.[2]) fields[field[1]!.toLowerCase()] = field[2];
  }
  return { body: text.slice(match[0].length), fields };
}

function markdownBlocks(text: string, tick: () => void): MarkupBlock[] {
  const blocks: MarkupBlock[] = [];
  const lines = text.replace(/<!--[\s\S]*?-->/g, "").split("\n");
  let paragraph: string[] = [];
  const flush = () => {
    const joined = inline(paragraph.join(" "));
    if (joined) blocks.push({ text: joined, heading: null });
    paragraph = [];
  };
  let fence: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    tick();
    const line = lines[i]!;
    const fenceMatch = /^\s*(```|~~~)/.exec(line);
    if (fenceMatch) {
      flush();
      fence = fence === null ? fenceMatch[1]! : null;
      continue;
    }
    if (fence !== null) continue;
    const atx = /^(#{1,6})[ \t]+(.*?)[ \t#]*$/.exec(line);
    if (atx) {
      flush();
      blocks.push({ text: inline(atx[2]!), heading: atx[1]!.length });
      continue;
    }
    const next = lines[i + 1] ?? "";
    if (line.trim() && paragraph.length === 0 && /^(?:={3,}|-{3,})[ \t]*$/.test(next)) {
      blocks.push({ text: inline(line), heading: next.startsWith("=") ? 1 : 2 });
      i++;
      continue;
    }
    if (line.trim() === "" || /^(?:\*\s*){3,}$|^(?:-\s*){3,}$|^(?:_\s*){3,}$/.test(line.trim())) {
      flush();
      continue;
    }
    paragraph.push(
      line
        .replace(/^\s{0,3}>\s?/, "")
        .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, "")
        .trim(),
    );
  }
  flush();
  return blocks;
}

/** Removes inline Markdown: images, links (text kept), emphasis, code spans, HTML tags. */
function inline(text: string): string {
  return (
    text
      // Bounded repetitions keep these linear on hostile input ("![![![…" or "<<<<…").
      .replace(/!\[[^\]]{0,120}\]\([^)]{0,300}\)/g, "")
      .replace(/\[([^\]]{0,120})\]\([^)]{0,300}\)/g, "$1")
      .replace(/<[^<>]{1,200}>/g, "")
      // Emphasis markers at word edges; linear, so a line of a million asterisks cannot stall it.
      .replace(/(^|[^\p{L}\p{N}*_])[*_]{1,3}(?=[^\s*_])/gu, "$1")
      .replace(/([^\s*_])[*_]{1,3}(?=$|[^\p{L}\p{N}*_])/gu, "$1")
      .replace(/`([^`]*)`/g, "$1")
      .replace(/\\([\\`*_{}[\]()#+\-.!])/g, "$1")
      .replace(/\s+/g, " ")
      .trim()
  );
}
