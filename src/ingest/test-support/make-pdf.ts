/** Options of {@link makePdf}. */
export interface TestPdfOptions {
  /** Lines per page; an empty string leaves a paragraph gap. */
  readonly pages: ReadonlyArray<readonly string[]>;
  /** Bookmarks: title and 0-based page index. */
  readonly outline?: ReadonlyArray<{ title: string; page: number }>;
  readonly title?: string;
  readonly author?: string;
  /** Add a /Encrypt dictionary whose user password is not empty. */
  readonly encrypted?: boolean;
  /** Draw shapes only: no text layer, like a scan. */
  readonly noText?: boolean;
}

const pdfString = (text: string) => `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;

/** Writes a small valid PDF 1.4 with Helvetica text, optional outline, info and encryption. */
export function makePdf(options: TestPdfOptions): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => {
    objects.push(body);
    return objects.length;
  };
  const catalog = add("");
  const pagesId = add("");
  const font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  const pageIds: number[] = [];
  for (const lines of options.pages) {
    const ops = options.noText
      ? "0.5 g 72 72 468 648 re f"
      : `BT /F1 12 Tf 16 TL 72 740 Td ${lines.map((line) => (line ? `${pdfString(line)} Tj T*` : "T*")).join(" ")} ET`;
    const content = add(`<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`);
    pageIds.push(
      add(
        `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`,
      ),
    );
  }
  objects[pagesId - 1] =
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${pageIds.length} >>`;
  let outlineRef = "";
  if (options.outline && options.outline.length > 0) {
    const outlineId = add("");
    const itemIds = options.outline.map(() => add(""));
    options.outline.forEach((item, i) => {
      const links = [
        i > 0 ? `/Prev ${itemIds[i - 1]} 0 R` : "",
        i < itemIds.length - 1 ? `/Next ${itemIds[i + 1]} 0 R` : "",
      ].join(" ");
      objects[itemIds[i]! - 1] =
        `<< /Title ${pdfString(item.title)} /Parent ${outlineId} 0 R ${links} /Dest [${pageIds[item.page]} 0 R /XYZ 0 792 0] >>`;
    });
    objects[outlineId - 1] =
      `<< /Type /Outlines /First ${itemIds[0]} 0 R /Last ${itemIds.at(-1)} 0 R /Count ${itemIds.length} >>`;
    outlineRef = ` /Outlines ${outlineId} 0 R /PageMode /UseOutlines`;
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesId} 0 R${outlineRef} >>`;
  const info = add(
    `<< /Title ${pdfString(options.title ?? "Test PDF")} /Author ${pdfString(options.author ?? "Pat Writer")} >>`,
  );
  let encrypt = "";
  if (options.encrypted) {
    const hex = "A1".repeat(32);
    const id = add(`<< /Filter /Standard /V 1 /R 2 /O <${hex}> /U <${"B2".repeat(32)}> /P -4 >>`);
    encrypt = ` /Encrypt ${id} 0 R /ID [<${"00".repeat(16)}> <${"00".repeat(16)}>]`;
  }
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${info} 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}
