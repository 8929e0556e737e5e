import { readFile } from "node:fs/promises";
import path from "node:path";

const SOURCE = path.resolve(
  import.meta.dirname,
  "..",
  "..",
  "test",
  "fixtures",
  "ingest",
  "treasure-island.txt",
);

/** Body paragraphs of Treasure Island (after the contents), as a pool of real prose for benchmarks. */
export async function treasureIslandProse(): Promise<string[]> {
  const text = (await readFile(SOURCE, "utf8")).replace(/\r\n/g, "\n");
  const start = text.indexOf("SQUIRE TRELAWNEY");
  return text
    .slice(start)
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.replace(/\s+/g, " ").trim())
    .filter((paragraph) => paragraph.split(" ").length > 12 && !/^\d+$/.test(paragraph));
}

/** A book of `chapters` chapters of about `words` words each, cycling through `paragraphs`. */
export function benchmarkBook(paragraphs: readonly string[], chapters: number, words: number): string {
  const out: string[] = ["TREASURE ISLAND (BENCHMARK EXCERPT)", "", "by Robert Louis Stevenson", ""];
  let index = 0;
  for (let chapter = 1; chapter <= chapters; chapter++) {
    out.push(`CHAPTER ${chapter}`, "");
    let count = 0;
    while (count < words) {
      const paragraph = paragraphs[index++ % paragraphs.length]!;
      out.push(paragraph, "");
      count += paragraph.split(" ").length;
    }
  }
  return out.join("\n");
}
