import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, "..", "..", "bin", "litink.js");

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

/** What `litink render --json` reports in its result line, as far as the benchmarks read it. */
export interface RenderResultLine {
  readonly durationSeconds: number;
  readonly peakRssMb: number;
  readonly segmentsRendered: number;
  readonly scenes: number;
}

/**
 * Times one `litink render FILE --json --tier enterprise --resolution 720p --out WORK/out [extra…]` in
 * a child process (the benchmarks' shared 720p settings) and returns its wall seconds and result line.
 */
export async function timedRender(
  file: string,
  work: string,
  env: NodeJS.ProcessEnv,
  extra: readonly string[] = [],
): Promise<{ seconds: number; result: RenderResultLine }> {
  const started = performance.now();
  const { stdout } = await execFileAsync(
    process.execPath,
    [
      BIN,
      "render",
      file,
      "--json",
      "--tier",
      "enterprise",
      "--resolution",
      "720p",
      ...extra,
      "--out",
      path.join(work, "out"),
    ],
    { cwd: work, env, maxBuffer: 256 * 1024 * 1024 },
  );
  const seconds = (performance.now() - started) / 1000;
  const result = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { type: string } & RenderResultLine)
    .find((line) => line.type === "result");
  if (!result) throw new Error(`no result:\n${stdout.slice(-2000)}`);
  return { seconds, result };
}
