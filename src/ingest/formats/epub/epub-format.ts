import type { ZipArchive } from "../../archive/zip-archive.ts";
import type { ChapterDraft } from "../../chapters/chapter-draft.ts";
import { classifyMatterByEpubType, classifyMatterByTitle } from "../../chapters/classify-matter.ts";
import { parseHeading } from "../../chapters/parse-heading.ts";
import { buildBook } from "../../document/build-document.ts";
import type { BookDocument, Matter } from "../../document/index.ts";
import { IngestError } from "../../ingest-error.ts";
import { baseName, type SourceFile } from "../../source-file.ts";
import { countWords } from "../../text/count-words.ts";
import { type MarkupBlock, markupToBlocks } from "../../xml/markup-to-blocks.ts";
import { attributeOf, findElement, findElements, parseMarkup } from "../../xml/parse-markup.ts";
import { decode, readEpubPackage } from "./epub-package.ts";
import { readEpubToc, type TocEntry } from "./epub-toc.ts";

interface SpineDocument {
  readonly path: string;
  readonly blocks: MarkupBlock[];
  readonly anchors: ReadonlyMap<string, number>;
  /** Matter the document declares (epub:type, guide, file name), null when it says nothing. */
  readonly matter: Matter | null;
}

interface Boundary {
  readonly doc: number;
  readonly block: number;
  readonly title: string;
  readonly part: string | null;
  readonly fromToc: boolean;
}

const PART_MARK = "\u0000part";
// Whole file names only: Calibre's "index_split_003.html" is story text, "index.xhtml" is an index.
const FRONT_FILE =
  /(?:^|\/)(?:cover|cover-?page|title-?page|title|half-?title|copyright(?:-page)?|imprint|toc|contents|dedication|epigraph|wrap0000)\.x?html?$/i;
const BACK_FILE =
  /(?:^|\/)(?:colophon|uncopyright|endnotes|footnotes|notes|index|glossary|bibliography|license|about(?:-the-author)?|also-by)\.x?html?$/i;
const GUIDE_FRONT = new Set([
  "cover",
  "title-page",
  "copyright-page",
  "toc",
  "dedication",
  "epigraph",
  "foreword",
  "preface",
]);
const GUIDE_BACK = new Set(["colophon", "index", "glossary", "bibliography", "notes", "appendix"]);

/**
 * Reads an EPUB 2 or 3 book: container.xml → OPF → spine order; chapters from the EPUB 3 nav document
 * or the EPUB 2 NCX (nested entries flattened to the level that holds the chapters); cover, title page,
 * imprint, contents, colophon and licenses marked as front or back matter.
 */
export async function readEpub(source: SourceFile, archive: ZipArchive): Promise<BookDocument> {
  const { fileName, deadline } = source;
  const pkg = readEpubPackage(archive, fileName, deadline);
  const { entries, bodyStart } = readEpubToc(archive, pkg, fileName, deadline);
  const docs: SpineDocument[] = pkg.spine
    .filter((item) => /x?html|xml/i.test(item.mediaType) || /\.x?html?$/i.test(item.path))
    .map((item) => {
      deadline.check();
      const root = parseMarkup(decode(archive.read(item.path)), fileName, deadline, item.path);
      const body = findElement(root, (e) => e.local === "body") ?? root;
      const { blocks, anchors } = markupToBlocks(body, deadline);
      const section = findElements(body, (e) => e.local === "section" || e.local === "div").slice(0, 2);
      const declared = [body, ...section]
        .map((e) => classifyMatterByEpubType(attributeOf(e, "type") ?? ""))
        .find((m) => m !== null);
      const guideType = pkg.guide.get(item.path);
      const matter =
        declared ??
        (guideType && GUIDE_FRONT.has(guideType)
          ? "front"
          : guideType && GUIDE_BACK.has(guideType)
            ? "back"
            : null) ??
        (item.properties.includes("cover-image") || FRONT_FILE.test(item.path)
          ? "front"
          : BACK_FILE.test(item.path)
            ? "back"
            : null);
      return { path: item.path, blocks, anchors, matter: item.linear ? matter : (matter ?? "back") };
    });
  if (docs.every((doc) => doc.blocks.length === 0)) {
    throw new IngestError(
      "ingest.no_text",
      fileName,
      "the EPUB has no readable text (only images?); LitinkAI needs a text ebook",
    );
  }
  const bookTitle = pkg.title ?? baseName(fileName);
  const tocEntries: TocEntry[] =
    entries.length > 0
      ? entries
      : docs.map((doc) => ({ title: untitledName(doc), path: doc.path, fragment: null, children: [] }));
  const boundaries = findBoundaries(docs, chooseLevel(tocEntries));
  const bodyDoc = bodyStart ? docs.findIndex((doc) => doc.path === bodyStart) : -1;
  // Without landmarks, the first "Chapter I"-like entry starts the story; what precedes it is front matter
  // unless it is long prose of its own.
  const firstChapter = boundaries.findIndex(
    (b) => parseHeading(b.title)?.level === "chapter" || parseHeading(b.title)?.level === "part",
  );
  const drafts: ChapterDraft[] = [];
  let seenBody = false;
  let inFront = false;
  for (let i = 0; i < boundaries.length; i++) {
    deadline.tick();
    const here = boundaries[i]!;
    const next = boundaries[i + 1];
    const blocks = collectBlocks(docs, here, next);
    while (blocks.length > 0 && blocks[0]!.heading !== null && blocks.length > 1) blocks.shift();
    const paragraphs = blocks.map((block) => block.text);
    const doc = docs[here.doc]!;
    const beforeBody = bodyDoc >= 0 ? here.doc < bodyDoc : firstChapter >= 0 ? i < firstChapter : !seenBody;
    const byTitle = classifyMatterByTitle(here.title, !beforeBody);
    if (byTitle === "front" && beforeBody && firstChapter >= 0) inFront = true;
    let matter: Matter =
      doc.matter ??
      byTitle ??
      (beforeBody && (inFront || isFrontTitle(here.title, bookTitle, paragraphs)) ? "front" : "body");
    if (bodyDoc >= 0 && here.doc >= bodyDoc && matter === "front" && doc.matter === null) matter = "back";
    if (matter === "body") seenBody = true;
    if (here.part === PART_MARK) {
      if (paragraphs.reduce((n, p) => n + countWords(p), 0) < 150) continue;
      drafts.push({ title: here.title, label: null, part: here.title, matter, paragraphs });
      continue;
    }
    drafts.push({ title: here.title, label: null, part: here.part, matter, paragraphs });
  }
  return buildBook(source, "epub", { title: bookTitle, author: pkg.author, language: pkg.language }, drafts);
}

/** Flattens the TOC to the level that holds the chapters, keeping a parent's title as `part`. */
function chooseLevel(entries: readonly TocEntry[]): Array<TocEntry & { part: string | null }> {
  type Placed = TocEntry & { part: string | null };
  if (entries.length === 1 && entries[0]!.children.length >= 2) return chooseLevel(entries[0]!.children);
  const withChildren = entries.filter(
    (e) => e.children.length >= 2 && classifyMatterByTitle(e.title, false) === null,
  );
  const content = entries.filter((e) => classifyMatterByTitle(e.title, false) === null);
  if (withChildren.length >= 2 && withChildren.length >= content.length * 0.5) {
    return entries.flatMap((entry): Placed[] =>
      entry.children.length >= 2
        ? [
            // The part's own page ends the previous chapter; its text is kept only if it is long.
            { ...entry, children: [], part: PART_MARK },
            ...entry.children.map((child) => ({ ...child, part: entry.title })),
          ]
        : [{ ...entry, part: null }],
    );
  }
  return entries.map((entry) => ({ ...entry, part: null }));
}

/** Where each chapter starts: TOC entries in order, plus untitled front/back documents the TOC skips. */
function findBoundaries(
  docs: readonly SpineDocument[],
  entries: ReadonlyArray<TocEntry & { part: string | null }>,
): Boundary[] {
  const fromToc: Boundary[] = [];
  for (const entry of entries) {
    const doc = docs.findIndex((d) => d.path === entry.path);
    if (doc < 0) continue;
    const block = entry.fragment ? (docs[doc]!.anchors.get(entry.fragment) ?? 0) : 0;
    const previous = fromToc.at(-1);
    if (previous && previous.part === PART_MARK && doc === previous.doc && block === previous.block)
      fromToc.pop();
    else if (previous && (doc < previous.doc || (doc === previous.doc && block <= previous.block))) continue;
    fromToc.push({
      doc,
      block,
      title: entry.title || `Section ${fromToc.length + 1}`,
      part: entry.part,
      fromToc: true,
    });
  }
  const referenced = new Set(fromToc.map((b) => b.doc));
  const boundaries: Boundary[] = [];
  let t = 0;
  for (let doc = 0; doc < docs.length; doc++) {
    while (t < fromToc.length && fromToc[t]!.doc < doc) boundaries.push(fromToc[t++]!);
    const d = docs[doc]!;
    const startsHere = t < fromToc.length && fromToc[t]!.doc === doc && fromToc[t]!.block === 0;
    const beforeFirst = boundaries.length === 0 && !startsHere;
    if (!startsHere && d.blocks.length > 0 && (beforeFirst || (!referenced.has(doc) && d.matter !== null))) {
      boundaries.push({ doc, block: 0, title: untitledName(d), part: null, fromToc: false });
    }
  }
  while (t < fromToc.length) boundaries.push(fromToc[t++]!);
  return boundaries;
}

function collectBlocks(
  docs: readonly SpineDocument[],
  from: Boundary,
  to: Boundary | undefined,
): MarkupBlock[] {
  const blocks: MarkupBlock[] = [];
  for (let doc = from.doc; doc < docs.length; doc++) {
    if (to && doc > to.doc) break;
    const all = docs[doc]!.blocks;
    const start = doc === from.doc ? from.block : 0;
    const end = to && doc === to.doc ? to.block : all.length;
    for (let i = start; i < end; i++) blocks.push(all[i]!);
  }
  return blocks;
}

function untitledName(doc: SpineDocument): string {
  const heading = doc.blocks.find((block) => block.heading !== null);
  if (heading && heading.text.length <= 80) return heading.text.replace(/\s+/g, " ");
  const file = doc.path.split("/").pop() ?? doc.path;
  const name = file.replace(/\.x?html?$/i, "").replace(/[-_]+/g, " ");
  if (/wrap0000|cover/i.test(file)) return "Cover";
  return name.length <= 40 ? name.replace(/^\w/, (c) => c.toUpperCase()) : "Untitled section";
}

/** Before the story: a title page ("The Prince", "Translated by …") is front matter, a real chapter is not. */
function isFrontTitle(title: string, bookTitle: string, paragraphs: readonly string[]): boolean {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  if (clean(title) === clean(bookTitle)) return paragraphs.reduce((n, p) => n + countWords(p), 0) < 1500;
  if (/^(?:by|translated|edited|illustrated|with an introduction)\b/i.test(title.trim())) return true;
  const heading = parseHeading(title);
  return heading === null && paragraphs.reduce((n, p) => n + countWords(p), 0) < 40;
}
