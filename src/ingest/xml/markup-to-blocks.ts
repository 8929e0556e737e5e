import type { Deadline } from "../deadline.ts";
import { attributeOf, type MarkupElement } from "./parse-markup.ts";

/** A paragraph-level block of an (X)HTML document. */
export interface MarkupBlock {
  readonly text: string;
  /** Heading level 1–6 for h1–h6, else null. */
  readonly heading: number | null;
}

/** The blocks of a document and where each `id` points. */
export interface MarkupBlocks {
  readonly blocks: MarkupBlock[];
  /** Element id → index of the first block at or after it. */
  readonly anchors: ReadonlyMap<string, number>;
}

const BLOCK = new Set([
  "p",
  "div",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "li",
  "blockquote",
  "section",
  "article",
  "pre",
  "tr",
  "dd",
  "dt",
  "figcaption",
  "header",
  "footer",
  "aside",
  "table",
  "ul",
  "ol",
  "dl",
  "hr",
  "body",
  "main",
  "figure",
  "address",
  "center",
  "caption",
  "td",
  "th",
  "nav",
  "hgroup",
]);
const SKIP = new Set([
  "script",
  "style",
  "head",
  "title",
  "noscript",
  "svg",
  "math",
  "template",
  "object",
  "iframe",
  "button",
  "select",
]);
const NOTE_TYPES = /\b(?:noteref|footnote|endnote|rearnote|annoref|pagebreak)\b/;
const BOILERPLATE = /\b(?:pg-?header|pg-?footer|pg-boilerplate|pgheader|pgfooter)\b/i;

/**
 * Flattens an (X)HTML body to paragraphs: block elements start new blocks, `<br>` keeps a line break,
 * scripts, styles, footnote markers and Project Gutenberg boilerplate are dropped.
 */
export function markupToBlocks(root: MarkupElement, deadline: Deadline): MarkupBlocks {
  const blocks: MarkupBlock[] = [];
  const anchors = new Map<string, number>();
  let current = "";
  let currentHeading: number | null = null;
  const flush = () => {
    // Line by line, so long runs of spaces cost linear time.
    const text = current
      .split("\n")
      .map((line) => line.replace(/[ \t\r\f\u00a0]+/g, " ").trim())
      .join("\n")
      .replace(/\n{2,}/g, "\n")
      .replace(/\u00ad/g, "")
      .trim();
    if (text.length > 0) blocks.push({ text, heading: currentHeading });
    current = "";
    currentHeading = null;
  };
  const walk = (element: MarkupElement) => {
    for (const child of element.children) {
      deadline.tick();
      if (child.type === "text") {
        current += child.text.replace(/[\r\n\t]+/g, " ");
        continue;
      }
      const local = child.local;
      if (SKIP.has(local)) continue;
      const id = child.attributes.id;
      const epubType = attributeOf(child, "type") ?? "";
      const role = child.attributes.role ?? "";
      const className = child.attributes.class ?? "";
      if (NOTE_TYPES.test(epubType) || /doc-(?:noteref|footnote|endnote|pagebreak)/.test(role)) {
        if (id !== undefined && !anchors.has(id)) anchors.set(id, blocks.length + (current.trim() ? 1 : 0));
        continue;
      }
      if (BOILERPLATE.test(className) || BOILERPLATE.test(id ?? "")) continue;
      if (local === "sup" && isFootnoteMarker(child)) continue;
      if (local === "br") {
        current += "\n";
        continue;
      }
      const block = BLOCK.has(local);
      if (block) flush();
      if (id !== undefined && !anchors.has(id)) anchors.set(id, blocks.length + (current.trim() ? 1 : 0));
      const heading = /^h([1-6])$/.exec(local);
      if (heading) currentHeading = Number(heading[1]);
      walk(child);
      if (block) flush();
    }
  };
  walk(root);
  flush();
  return { blocks, anchors };
}

/** `<sup><a href="#fn1">1</a></sup>` and friends: a note reference, not text to narrate. */
function isFootnoteMarker(element: MarkupElement): boolean {
  const text = element.children.map((c) => (c.type === "text" ? c.text : "")).join("");
  const link = element.children.find((c): c is MarkupElement => c.type === "element" && c.local === "a");
  if (link && (link.attributes.href ?? "").includes("#")) return true;
  return /^\s*[[(]?(?:\d{1,3}|[*†‡§])[\])]?\s*$/.test(text);
}
