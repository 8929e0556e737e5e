/** One line of text on a PDF page, top to bottom. */
export interface PdfLine {
  text: string;
  readonly x: number;
  /** Baseline height from the bottom of the page (PDF user space). */
  readonly y: number;
  readonly size: number;
  /** Whether the line is the first of its page, where the vertical gap means nothing. */
  pageStart?: boolean;
}

/** A text item as pdf.js reports it (only the fields used here). */
export interface PdfTextItem {
  readonly str: string;
  readonly transform: readonly number[];
  readonly hasEOL?: boolean;
}

/** Groups pdf.js text items into lines by baseline, left to right. */
export function itemsToLines(items: readonly PdfTextItem[]): PdfLine[] {
  const lines: PdfLine[] = [];
  let current: PdfLine | null = null;
  for (const item of items) {
    if (!("str" in item) || !Array.isArray(item.transform)) continue;
    const x = item.transform[4] ?? 0;
    const y = item.transform[5] ?? 0;
    const size = Math.abs(item.transform[3] ?? item.transform[0] ?? 0) || 10;
    if (current && Math.abs(current.y - y) <= size * 0.35) {
      current.text += item.str;
    } else if (item.str.trim() !== "") {
      current = { text: item.str, x, y, size };
      lines.push(current);
    }
    if (item.hasEOL) current = null;
  }
  for (const line of lines) line.text = line.text.replace(/\s+/g, " ").trim();
  return lines.filter((line) => line.text.length > 0);
}

/** A key that matches running heads across pages: lower case, digits and roman page numbers removed. */
function runningKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\b[ivxlc]+\b|\d+/g, "")
    .replace(/[^\p{L}]+/gu, " ")
    .trim();
}

/**
 * Removes running headers, footers and page numbers: a first or last line of a page that is a bare
 * number, or whose text (digits aside) repeats at the top or bottom of three or more pages.
 */
export function removeRunningLines(pages: PdfLine[][]): PdfLine[][] {
  const counts = new Map<string, number>();
  for (const lines of pages) {
    for (const line of [lines[0], lines.at(-1)]) {
      if (!line) continue;
      const key = runningKey(line.text);
      if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const threshold = pages.length >= 6 ? 3 : Number.POSITIVE_INFINITY;
  const isRunning = (line: PdfLine | undefined) => {
    if (!line) return false;
    if (/^[-–—\s]*(?:\d{1,4}|[ivxlc]{1,7})[-–—\s]*$/i.test(line.text)) return true;
    const key = runningKey(line.text);
    return key.length > 0 && (counts.get(key) ?? 0) >= threshold && line.text.length < 100;
  };
  return pages.map((lines) => {
    let start = 0;
    let end = lines.length;
    if (isRunning(lines[start])) start++;
    if (end > start && isRunning(lines[end - 1])) end--;
    return lines.slice(start, end);
  });
}

/**
 * Joins lines into paragraphs: a new paragraph after a larger vertical gap or at an indented line;
 * words hyphenated at a line end are repaired; a drop cap ("I" then "n the days") is joined back.
 */
export function linesToParagraphs(lines: readonly PdfLine[]): string[] {
  if (lines.length === 0) return [];
  // Margins differ between odd and even pages: measure indentation against each page's own left edge.
  const indent: number[] = [];
  for (let start = 0; start < lines.length; ) {
    let end = start + 1;
    while (end < lines.length && !lines[end]!.pageStart) end++;
    let left = Number.POSITIVE_INFINITY;
    for (let i = start; i < end; i++) left = Math.min(left, lines[i]!.x);
    for (let i = start; i < end; i++) indent.push(lines[i]!.x - left);
    start = end;
  }
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const gap = lines[i - 1]!.y - lines[i]!.y;
    if (gap > 0 && !lines[i]!.pageStart) gaps.push(gap);
  }
  gaps.sort((a, b) => a - b);
  const typicalGap = gaps[Math.floor(gaps.length / 2)] ?? 14;
  const paragraphs: string[] = [];
  let current = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const previous = lines[i - 1];
    const gap = previous && !line.pageStart ? previous.y - line.y : typicalGap;
    const dropCap = previous && /^\p{Lu}$/u.test(previous.text) && /^\p{Ll}/u.test(line.text);
    const breakHere =
      previous !== undefined &&
      !dropCap &&
      (gap > typicalGap * 1.45 ||
        gap < -typicalGap ||
        (indent[i]! > Math.max(6, line.size * 0.6) && indent[i]! > indent[i - 1]! + 2) ||
        Math.abs(line.size - previous.size) > 1.5);
    if (breakHere && current) {
      paragraphs.push(current);
      current = "";
    }
    if (!current) current = line.text;
    else if (dropCap) current += line.text;
    else if (/\p{L}-$/u.test(current) && /^\p{Ll}/u.test(line.text))
      current = current.slice(0, -1) + line.text;
    else current += ` ${line.text}`;
  }
  if (current) paragraphs.push(current);
  return paragraphs;
}
