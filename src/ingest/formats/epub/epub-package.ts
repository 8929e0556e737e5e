import type { ZipArchive } from "../../archive/zip-archive.ts";
import type { Deadline } from "../../deadline.ts";
import { IngestError } from "../../ingest-error.ts";
import {
  attributeOf,
  childElements,
  findElement,
  findElements,
  parseMarkup,
  textOf,
} from "../../xml/parse-markup.ts";

/** One manifest item of an EPUB package. */
interface ManifestItem {
  readonly id: string;
  /** Path inside the archive, resolved against the OPF and URL-decoded. */
  readonly path: string;
  readonly mediaType: string;
  readonly properties: string;
}

/** What the OPF package document says. */
export interface EpubPackage {
  readonly version: string;
  readonly title: string | null;
  readonly author: string | null;
  readonly language: string | null;
  readonly manifest: ReadonlyMap<string, ManifestItem>;
  /** Spine items in reading order (linear and non-linear). */
  readonly spine: ReadonlyArray<ManifestItem & { readonly linear: boolean }>;
  /** The NCX named by the spine's toc attribute, or any NCX in the manifest. */
  readonly ncx: ManifestItem | null;
  /** The EPUB 3 navigation document. */
  readonly nav: ManifestItem | null;
  /** EPUB 2 guide references: archive path (no fragment) → type ("cover", "toc", "text", …). */
  readonly guide: ReadonlyMap<string, string>;
}

const FONT_OBFUSCATION = new Set(["http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"]);

/** Reads container.xml and the OPF; refuses DRM-protected books. */
export function readEpubPackage(archive: ZipArchive, fileName: string, deadline: Deadline): EpubPackage {
  refuseDrm(archive, fileName, deadline);
  if (!archive.has("META-INF/container.xml")) {
    throw new IngestError(
      "ingest.epub_missing_container",
      fileName,
      "the EPUB has no META-INF/container.xml, so its contents cannot be found; the file is damaged, export it again",
    );
  }
  const container = parseMarkup(
    decode(archive.read("META-INF/container.xml")),
    fileName,
    deadline,
    "META-INF/container.xml",
  );
  const rootfiles = findElements(container, (e) => e.local === "rootfile");
  const rootfile =
    rootfiles.find((e) => (e.attributes["media-type"] ?? "") === "application/oebps-package+xml") ??
    rootfiles[0];
  const opfPath = rootfile?.attributes["full-path"];
  if (!opfPath || !archive.has(opfPath)) {
    throw new IngestError(
      "ingest.epub_missing_opf",
      fileName,
      `the EPUB's package document${opfPath ? ` (${opfPath})` : ""} is missing, so its chapters cannot be listed; the file is damaged, export it again`,
    );
  }
  const opf = parseMarkup(decode(archive.read(opfPath)), fileName, deadline, opfPath);
  const packageElement = findElement(opf, (e) => e.local === "package");
  const base = opfPath.includes("/") ? opfPath.slice(0, opfPath.lastIndexOf("/") + 1) : "";
  const manifest = new Map<string, ManifestItem>();
  const manifestElement = packageElement && findElement(packageElement, (e) => e.local === "manifest");
  for (const item of manifestElement ? childElements(manifestElement, "item") : []) {
    const id = item.attributes.id;
    const href = item.attributes.href;
    if (!id || !href) continue;
    manifest.set(id, {
      id,
      path: resolvePath(base, href),
      mediaType: item.attributes["media-type"] ?? "",
      properties: item.attributes.properties ?? "",
    });
  }
  const spineElement = packageElement && findElement(packageElement, (e) => e.local === "spine");
  const itemrefs = spineElement ? childElements(spineElement, "itemref") : [];
  const broken = (problem: string) =>
    new IngestError(
      "ingest.epub_broken_spine",
      fileName,
      `the EPUB's reading order is broken (${problem}); the file is damaged, export it again`,
    );
  if (itemrefs.length === 0) throw broken("the spine lists no documents");
  const spine = itemrefs.map((ref) => {
    const item = manifest.get(ref.attributes.idref ?? "");
    if (!item) throw broken(`the spine names "${ref.attributes.idref ?? ""}", which is not in the manifest`);
    if (!archive.has(item.path)) throw broken(`the spine document ${item.path} is missing from the archive`);
    return { ...item, linear: (ref.attributes.linear ?? "yes") !== "no" };
  });
  const metadata = packageElement && findElement(packageElement, (e) => e.local === "metadata");
  const creators = metadata
    ? findElements(metadata, (e) => e.name === "dc:creator" || e.local === "creator")
    : [];
  const author = creators.find((c) => (attributeOf(c, "role") ?? "aut") === "aut") ?? creators[0] ?? null;
  const first = (local: string) => {
    const element = metadata
      ? findElement(metadata, (e) => e.local === local && e.name.startsWith("dc:"))
      : null;
    return element ? textOf(element) || null : null;
  };
  const tocId = spineElement?.attributes.toc;
  const ncx =
    (tocId ? manifest.get(tocId) : undefined) ??
    [...manifest.values()].find((item) => item.mediaType === "application/x-dtbncx+xml") ??
    null;
  const nav = [...manifest.values()].find((item) => item.properties.split(/\s+/).includes("nav")) ?? null;
  const guide = new Map<string, string>();
  const guideElement = packageElement && findElement(packageElement, (e) => e.local === "guide");
  for (const reference of guideElement ? childElements(guideElement, "reference") : []) {
    const href = reference.attributes.href;
    if (href)
      guide.set(resolvePath(base, href.split("#")[0] ?? ""), (reference.attributes.type ?? "").toLowerCase());
  }
  return {
    version: packageElement?.attributes.version ?? "",
    title: first("title"),
    author: author ? textOf(author) || null : null,
    language: first("language"),
    manifest,
    spine,
    ncx: ncx && archive.has(ncx.path) ? ncx : null,
    nav: nav && archive.has(nav.path) ? nav : null,
    guide,
  };
}

/** Adobe/Readium DRM leaves META-INF/rights.xml or encryption.xml entries for content (fonts aside). */
function refuseDrm(archive: ZipArchive, fileName: string, deadline: Deadline): void {
  const drm = (evidence: string) =>
    new IngestError(
      "ingest.drm_protected",
      fileName,
      `the EPUB is DRM-protected (${evidence}); LitinkAI can only read DRM-free books`,
      { details: { evidence } },
    );
  if (archive.has("META-INF/rights.xml")) throw drm("META-INF/rights.xml");
  if (!archive.has("META-INF/encryption.xml")) return;
  const encryption = parseMarkup(
    decode(archive.read("META-INF/encryption.xml")),
    fileName,
    deadline,
    "META-INF/encryption.xml",
  );
  for (const data of findElements(encryption, (e) => e.local === "encrypteddata")) {
    const method = findElement(data, (e) => e.local === "encryptionmethod")?.attributes.Algorithm ?? "";
    const target = findElement(data, (e) => e.local === "cipherreference")?.attributes.URI ?? "";
    const isFont = /\.(?:otf|ttf|woff2?)$/i.test(target) || FONT_OBFUSCATION.has(method);
    if (!isFont) throw drm("META-INF/encryption.xml encrypts book content");
  }
}

/** Resolves an href against a folder inside the archive, URL-decoded, without "." or ".." segments. */
export function resolvePath(base: string, href: string): string {
  let decoded = href;
  try {
    decoded = decodeURIComponent(href);
  } catch {
    // Keep the raw href when it is not valid percent-encoding.
  }
  const segments = `${base}${decoded}`.split("/");
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  return out.join("/");
}

/** UTF-8 (or UTF-16 with BOM) bytes of an XML entry as a string. */
export function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  return new TextDecoder("utf-8").decode(bytes);
}
