/**
 * Splits text into blocks separated by blank lines, each trimmed, line endings normalised to "\n".
 * Blocks keep their inner line breaks so headings ("CHAPTER I\nTHE TITLE") can be read line by line.
 */
export function splitBlocks(text: string): string[] {
  const normalised =
    text.includes("\r") || text.includes("\f") ? text.replace(/\r\n?/g, "\n").replace(/\f/g, "\n\n") : text;
  const blocks: string[] = [];
  let current: string[] = [];
  let lineStart = 0;
  const flush = () => {
    if (current.length > 0) blocks.push(current.join("\n"));
    current = [];
  };
  while (lineStart <= normalised.length) {
    let lineEnd = normalised.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = normalised.length;
    const line = normalised.slice(lineStart, lineEnd).trimEnd();
    // The line is already trimmed at the end, so a blank line is an empty one.
    if (line.length === 0) flush();
    else current.push(line);
    lineStart = lineEnd + 1;
  }
  flush();
  return blocks;
}

/**
 * Turns a block into one paragraph: hard-wrapped prose lines are joined with spaces; verse (several
 * short lines) keeps its line breaks.
 */
export function blockToParagraph(block: string): string {
  if (!block.includes("\n")) return collapse(block);
  // Verse: at least two lines, every line short.
  let verse = true;
  let lines = 0;
  for (let start = 0; start <= block.length; ) {
    let end = block.indexOf("\n", start);
    if (end < 0) end = block.length;
    const length = end - start;
    if (length >= 55 && block.slice(start, end).trim().length >= 55) {
      verse = false;
      break;
    }
    if (length > 0) lines++;
    start = end + 1;
  }
  if (verse && lines >= 2) {
    return block
      .split("\n")
      .map(collapse)
      .filter((line) => line.length > 0)
      .join("\n");
  }
  return collapse(block.replace(/\n/g, " "));
}

const INNER_SPACE = /\s{2,}|[\t\u00a0\r\f\v\n]/;

function collapse(line: string): string {
  const trimmed = line.trim();
  return INNER_SPACE.test(trimmed) ? trimmed.replace(/\s+/g, " ") : trimmed;
}
