/**
 * Splits text into blocks separated by blank lines, each trimmed, line endings normalised to "\n".
 * Blocks keep their inner line breaks so headings ("CHAPTER I\nTHE TITLE") can be read line by line.
 */
export function splitBlocks(text: string): string[] {
  const normalised = text.replace(/\r\n?/g, "\n").replace(/\f/g, "\n\n");
  const blocks: string[] = [];
  for (const raw of normalised.split(/\n[ \t\u00a0]*\n/)) {
    const block = raw.replace(/^\s*\n|\s+$/g, "");
    if (block.trim().length > 0) blocks.push(block);
  }
  return blocks;
}

/**
 * Turns a block into one paragraph: hard-wrapped prose lines are joined with spaces; verse (several
 * short lines) keeps its line breaks.
 */
export function blockToParagraph(block: string): string {
  const lines = block
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  const verse = lines.length >= 2 && lines.every((line) => line.length < 55);
  return verse ? lines.join("\n") : lines.join(" ");
}
