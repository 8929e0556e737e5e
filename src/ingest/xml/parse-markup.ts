import type { Deadline } from "../deadline.ts";
import { IngestError } from "../ingest-error.ts";
import { decodeEntities } from "./decode-entities.ts";

/** An element of a parsed XML/XHTML document. */
export interface MarkupElement {
  readonly type: "element";
  /** Qualified name in lower case ("dc:title", "p"). */
  readonly name: string;
  /** Local name in lower case ("title", "p"). */
  readonly local: string;
  /** Attributes by qualified name as written, values with entities decoded. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: MarkupNode[];
}

/** A run of text, entities decoded. */
interface MarkupText {
  readonly type: "text";
  readonly text: string;
}

/** A node of a parsed XML/XHTML document. */
type MarkupNode = MarkupElement | MarkupText;

const VOID = new Set([
  "br",
  "hr",
  "img",
  "meta",
  "link",
  "input",
  "col",
  "area",
  "base",
  "wbr",
  "source",
  "embed",
  "param",
]);
const MAX_DEPTH = 256;
const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

/**
 * A small, lenient, linear-time XML/XHTML parser for book content. It never reads a DTD: no entity is
 * ever expanded except the five XML ones, character references and the usual HTML names, so "billion
 * laughs" and XXE cannot happen; a document that declares entities is refused with `ingest.xml_entities`.
 * Unclosed or misnested tags are repaired the way browsers do it, roughly.
 */
export function parseMarkup(
  source: string,
  fileName: string,
  deadline: Deadline,
  entryName = "",
): MarkupElement {
  const root: MarkupElement = {
    type: "element",
    name: "#document",
    local: "#document",
    attributes: {},
    children: [],
  };
  const stack: MarkupElement[] = [root];
  let i = 0;
  const length = source.length;
  while (i < length) {
    deadline.tick();
    const lt = source.indexOf("<", i);
    if (lt < 0) {
      pushText(stack, source.slice(i));
      break;
    }
    if (lt > i) pushText(stack, source.slice(i, lt));
    if (source.startsWith("<!--", lt)) {
      const end = source.indexOf("-->", lt + 4);
      i = end < 0 ? length : end + 3;
      continue;
    }
    if (source.startsWith("<![CDATA[", lt)) {
      const end = source.indexOf("]]>", lt + 9);
      const text = source.slice(lt + 9, end < 0 ? length : end);
      stack.at(-1)!.children.push({ type: "text", text });
      i = end < 0 ? length : end + 3;
      continue;
    }
    if (source.startsWith("<!", lt)) {
      i = skipDeclaration(source, lt, fileName, entryName);
      continue;
    }
    if (source.startsWith("<?", lt)) {
      const end = source.indexOf("?>", lt + 2);
      i = end < 0 ? length : end + 2;
      continue;
    }
    const end = findTagEnd(source, lt + 1, deadline);
    if (end < 0) {
      // A stray "<" ("a < b" in sloppy HTML) is text; keep reading after it.
      pushText(stack, "<");
      i = lt + 1;
      continue;
    }
    const inner = source.slice(lt + 1, end);
    i = end + 1;
    if (inner.startsWith("/")) {
      const name = inner.slice(1).trim().toLowerCase();
      for (let d = stack.length - 1; d > 0; d--) {
        if (stack[d]!.name === name) {
          stack.length = d;
          break;
        }
      }
      continue;
    }
    const nameMatch = /^[^\s/>]+/.exec(inner);
    if (!nameMatch) {
      pushText(stack, `<${inner}>`);
      continue;
    }
    const name = nameMatch[0].toLowerCase();
    const attributes: Record<string, string> = {};
    const attributeText = inner.slice(nameMatch[0].length);
    ATTRIBUTE.lastIndex = 0;
    for (let m = ATTRIBUTE.exec(attributeText); m !== null; m = ATTRIBUTE.exec(attributeText)) {
      const key = m[1]!;
      if (key === "/") continue;
      attributes[key] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? "");
    }
    const element: MarkupElement = {
      type: "element",
      name,
      local: name.includes(":") ? name.slice(name.indexOf(":") + 1) : name,
      attributes,
      children: [],
    };
    const parent = stack.length > MAX_DEPTH ? stack[MAX_DEPTH - 1]! : stack.at(-1)!;
    parent.children.push(element);
    const selfClosing = inner.endsWith("/") || VOID.has(element.local);
    if (!selfClosing && stack.length <= MAX_DEPTH) stack.push(element);
    if (!selfClosing && (element.local === "script" || element.local === "style")) {
      // Raw text: skip to the matching close tag without reading markup inside.
      const closeTag = new RegExp(`</${element.local}`, "ig");
      closeTag.lastIndex = i;
      const close = closeTag.exec(source)?.index ?? -1;
      i = close < 0 ? length : close;
    }
  }
  return root;
}

function pushText(stack: MarkupElement[], raw: string): void {
  if (raw.length === 0) return;
  stack.at(-1)!.children.push({ type: "text", text: decodeEntities(raw) });
}

function findTagEnd(source: string, from: number, deadline: Deadline): number {
  let quote = "";
  for (let j = from; j < source.length; j++) {
    if ((j & 4095) === 0) deadline.tick();
    const c = source[j]!;
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ">") return j;
    else if (c === "<" && j > from) return -1;
  }
  return -1;
}

function skipDeclaration(source: string, lt: number, fileName: string, entryName: string): number {
  const bracket = source.indexOf("[", lt);
  const close = source.indexOf(">", lt);
  if (close < 0) return source.length;
  if (bracket < 0 || bracket > close) return close + 1;
  // An internal DTD subset: refuse entity declarations instead of expanding them.
  const subsetEnd = source.indexOf("]", bracket);
  const subset = source.slice(bracket, subsetEnd < 0 ? source.length : subsetEnd);
  if (/<!ENTITY/i.test(subset)) {
    throw new IngestError(
      "ingest.xml_entities",
      fileName,
      `${entryName ? `${entryName} ` : ""}declares XML entities (<!ENTITY>); LitinkAI never expands them (billion-laughs and external-entity attacks), so export the file again without a custom DTD`,
    );
  }
  const end = subsetEnd < 0 ? -1 : source.indexOf(">", subsetEnd);
  return end < 0 ? source.length : end + 1;
}

/** Child elements of `element` with the given local name. */
export function childElements(element: MarkupElement, local?: string): MarkupElement[] {
  return element.children.filter(
    (child): child is MarkupElement =>
      child.type === "element" && (local === undefined || child.local === local),
  );
}

/** The first descendant element (depth first) matching `predicate`. */
export function findElement(
  element: MarkupElement,
  predicate: (e: MarkupElement) => boolean,
): MarkupElement | null {
  for (const child of element.children) {
    if (child.type !== "element") continue;
    if (predicate(child)) return child;
    const found = findElement(child, predicate);
    if (found) return found;
  }
  return null;
}

/** Every descendant element matching `predicate`, in document order. */
export function findElements(
  element: MarkupElement,
  predicate: (e: MarkupElement) => boolean,
): MarkupElement[] {
  const found: MarkupElement[] = [];
  const walk = (node: MarkupElement) => {
    for (const child of node.children) {
      if (child.type !== "element") continue;
      if (predicate(child)) found.push(child);
      walk(child);
    }
  };
  walk(element);
  return found;
}

/** The text content of an element, white space collapsed. */
export function textOf(element: MarkupElement): string {
  const parts: string[] = [];
  const walk = (node: MarkupElement) => {
    for (const child of node.children) {
      if (child.type === "text") parts.push(child.text);
      else walk(child);
    }
  };
  walk(element);
  return parts.join("").replace(/\s+/g, " ").trim();
}

/** An attribute by local name, whatever its prefix ("epub:type" or "type"). */
export function attributeOf(element: MarkupElement, local: string): string | undefined {
  if (element.attributes[local] !== undefined) return element.attributes[local];
  for (const [key, value] of Object.entries(element.attributes)) {
    if (key.toLowerCase().endsWith(`:${local}`)) return value;
  }
  return undefined;
}
