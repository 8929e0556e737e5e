import type { ZipArchive } from "../../archive/zip-archive.ts";
import type { Deadline } from "../../deadline.ts";
import {
  attributeOf,
  childElements,
  findElement,
  findElements,
  type MarkupElement,
  parseMarkup,
  textOf,
} from "../../xml/parse-markup.ts";
import { decode, type EpubPackage, resolvePath } from "./epub-package.ts";

/** One entry of an EPUB's table of contents. */
export interface TocEntry {
  readonly title: string;
  /** Archive path of the target document. */
  readonly path: string;
  readonly fragment: string | null;
  readonly children: TocEntry[];
}

/** The TOC of the EPUB 3 nav document, else of the EPUB 2 NCX; landmarks when the nav has them. */
export function readEpubToc(
  archive: ZipArchive,
  pkg: EpubPackage,
  fileName: string,
  deadline: Deadline,
): { entries: TocEntry[]; bodyStart: string | null } {
  if (pkg.nav) {
    const root = parseMarkup(decode(archive.read(pkg.nav.path)), fileName, deadline, pkg.nav.path);
    const base = folderOf(pkg.nav.path);
    const navs = findElements(root, (e) => e.local === "nav");
    const toc = navs.find((nav) => /\btoc\b/.test(attributeOf(nav, "type") ?? "")) ?? navs[0];
    const list = toc ? findElement(toc, (e) => e.local === "ol" || e.local === "ul") : null;
    const entries = list ? readNavList(list, base) : [];
    const landmarks = navs.find((nav) => /\blandmarks\b/.test(attributeOf(nav, "type") ?? ""));
    const body = landmarks
      ? findElements(landmarks, (e) => e.local === "a" && /\bbodymatter\b/.test(attributeOf(e, "type") ?? ""))
      : [];
    const bodyHref = body[0]?.attributes.href;
    if (entries.length > 0 || !pkg.ncx) {
      return { entries, bodyStart: bodyHref ? resolvePath(base, bodyHref.split("#")[0] ?? "") : null };
    }
  }
  if (pkg.ncx) {
    const root = parseMarkup(decode(archive.read(pkg.ncx.path)), fileName, deadline, pkg.ncx.path);
    const navMap = findElement(root, (e) => e.local === "navmap");
    const textPath =
      [...pkg.guide.entries()].find(([, type]) => type === "text" || type === "bodymatter")?.[0] ?? null;
    return { entries: navMap ? readNavPoints(navMap, folderOf(pkg.ncx.path)) : [], bodyStart: textPath };
  }
  return { entries: [], bodyStart: null };
}

function readNavList(list: MarkupElement, base: string): TocEntry[] {
  const entries: TocEntry[] = [];
  for (const item of childElements(list, "li")) {
    const link = childElements(item, "a")[0] ?? childElements(item, "span")[0];
    const nested = childElements(item, "ol")[0] ?? childElements(item, "ul")[0];
    const children = nested ? readNavList(nested, base) : [];
    const href = link?.attributes.href;
    if (!link || !href) {
      entries.push(...children);
      continue;
    }
    entries.push({ title: textOf(link), ...target(base, href), children });
  }
  return entries;
}

function readNavPoints(parent: MarkupElement, base: string): TocEntry[] {
  const entries: TocEntry[] = [];
  for (const point of childElements(parent, "navpoint")) {
    const label = findElement(point, (e) => e.local === "navlabel");
    const content = childElements(point, "content")[0];
    const children = readNavPoints(point, base);
    const src = content?.attributes.src;
    if (!src) {
      entries.push(...children);
      continue;
    }
    entries.push({ title: label ? textOf(label) : "", ...target(base, src), children });
  }
  return entries;
}

function target(base: string, href: string): { path: string; fragment: string | null } {
  const hash = href.indexOf("#");
  const file = hash < 0 ? href : href.slice(0, hash);
  let fragment: string | null = hash < 0 ? null : href.slice(hash + 1);
  if (fragment) {
    try {
      fragment = decodeURIComponent(fragment);
    } catch {
      // Keep the raw fragment.
    }
  }
  return { path: resolvePath(base, file), fragment: fragment || null };
}

function folderOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.lastIndexOf("/") + 1) : "";
}
