import { makeZip, type ZipFiles } from "./make-zip.ts";

/** One content document of a test EPUB. */
interface TestEpubDocument {
  readonly file: string;
  /** TOC label; omit to leave the document out of the TOC. */
  readonly tocTitle?: string;
  readonly body: string;
  readonly bodyType?: string;
  /** EPUB 3 only: nest this entry under the TOC entry of the document with this file name. */
  readonly parent?: string;
}

/** Options of {@link makeEpub}. */
export interface TestEpubOptions {
  readonly version: 2 | 3;
  readonly title?: string;
  readonly author?: string;
  readonly documents: readonly TestEpubDocument[];
  /** Replace or add raw files (to break the book on purpose). */
  readonly override?: ZipFiles;
  /** Drop files by path. */
  readonly omit?: readonly string[];
}

const xhtml = (title: string, body: string, bodyType = "") =>
  `<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>${title}</title><style>p { color: red }</style></head><body${bodyType ? ` epub:type="${bodyType}"` : ""}>${body}</body></html>`;

/** Builds a small EPUB 2 (NCX) or EPUB 3 (nav document) in memory. */
export function makeEpub(options: TestEpubOptions): Uint8Array {
  const title = options.title ?? "A Test Book";
  const author = options.author ?? "Ada Author";
  const files: Record<string, string | Uint8Array> = {
    mimetype: "application/epub+zip",
    "META-INF/container.xml": `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`,
  };
  const manifest: string[] = [];
  const spine: string[] = [];
  options.documents.forEach((doc, index) => {
    files[`OEBPS/${doc.file}`] = xhtml(doc.tocTitle ?? doc.file, doc.body, doc.bodyType);
    manifest.push(`<item id="d${index}" href="${doc.file}" media-type="application/xhtml+xml"/>`);
    spine.push(`<itemref idref="d${index}"/>`);
  });
  const listed = options.documents.filter((doc) => doc.tocTitle !== undefined);
  if (options.version === 3) {
    manifest.push(`<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>`);
    files["OEBPS/nav.xhtml"] = xhtml(
      "Contents",
      `<nav epub:type="toc"><h1>Contents</h1><ol>${listed
        .filter((d) => d.parent === undefined)
        .map((d) => {
          const children = listed.filter((c) => c.parent === d.file);
          const nested =
            children.length > 0
              ? `<ol>${children.map((c) => `<li><a href="${c.file}">${c.tocTitle}</a></li>`).join("")}</ol>`
              : "";
          return `<li><a href="${d.file}">${d.tocTitle}</a>${nested}</li>`;
        })
        .join("")}</ol></nav>`,
    );
  } else {
    manifest.push(`<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>`);
    files["OEBPS/toc.ncx"] =
      `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE ncx PUBLIC "-//NISO//DTD ncx 2005-1//EN" "http://www.daisy.org/z3986/2005/ncx-2005-1.dtd"><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>${listed
        .map(
          (d, i) =>
            `<navPoint id="n${i}" playOrder="${i + 1}"><navLabel><text>${d.tocTitle}</text></navLabel><content src="${d.file}"/></navPoint>`,
        )
        .join("")}</navMap></ncx>`;
  }
  files["OEBPS/content.opf"] =
    `<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="${options.version}.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:test</dc:identifier><dc:title>${title}</dc:title><dc:creator>${author}</dc:creator><dc:language>en</dc:language></metadata><manifest>${manifest.join("")}</manifest><spine${options.version === 2 ? ' toc="ncx"' : ""}>${spine.join("")}</spine></package>`;
  for (const [path, value] of Object.entries(options.override ?? {})) files[path] = value;
  for (const path of options.omit ?? []) delete files[path];
  return makeZip(files);
}
