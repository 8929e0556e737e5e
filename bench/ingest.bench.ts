/**
 * Ingest throughput: a ~1 MB plain-text novel and whole-novel EPUBs, as MB/s medians, each against a
 * baseline in the same process (decode + split for text, unzip + decode for EPUB) so the ratio shows
 * what chapter detection and XHTML parsing cost on this machine. Run with `npm run bench:ingest`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { strFromU8, unzipSync } from "fflate";
import { ingestBytes } from "../src/ingest/index.ts";
import { makeEpub } from "../src/ingest/test-support/make-epub.ts";

const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../test/fixtures/ingest/${name}`, import.meta.url))));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(run: () => unknown, rounds: number): Promise<number> {
  for (let i = 0; i < 2; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function report(
  label: string,
  bytes: Uint8Array,
  name: string,
  baseline: () => unknown,
  rounds = 9,
): Promise<void> {
  const megabytes = bytes.byteLength / 1024 / 1024;
  const document = await ingestBytes(bytes, name);
  const parts =
    document.kind === "book" ? `${document.chapters.length} chapters` : `${document.scenes.length} scenes`;
  const ingestMs = await time(() => ingestBytes(bytes, name), rounds);
  const baselineMs = await time(baseline, rounds);
  console.log(
    `${label.padEnd(34)} ${megabytes.toFixed(2)} MB, ${parts.padEnd(12)} ingest ${ingestMs.toFixed(1).padStart(7)} ms = ${(megabytes / (ingestMs / 1000)).toFixed(1).padStart(6)} MB/s | baseline ${baselineMs.toFixed(1).padStart(6)} ms = ${(megabytes / (baselineMs / 1000)).toFixed(1).padStart(7)} MB/s | ${(ingestMs / baselineMs).toFixed(1)}x baseline`,
  );
}

// A ~1.2 MB novel: Treasure Island's text three times over, CRLF and curly quotes as in the PG file.
const treasure = new TextDecoder().decode(fixture("treasure-island.txt"));
const start = treasure.indexOf("*** START OF");
const end = treasure.indexOf("*** END OF");
const story = treasure.slice(treasure.indexOf("\n", start) + 1, end);
const novel = new TextEncoder().encode(`${treasure.slice(0, end)}${story}${story}${treasure.slice(end)}`);

// A ~1 MB EPUB 3 built from the same story, one XHTML document per chapter.
const chapters = story.split(/\r\n\r\n(?=\d+\r\n\r\n)/).slice(1);
const documents = [...chapters, ...chapters, ...chapters].map((chapter, i) => {
  const paragraphs = chapter
    .split(/\r\n\r\n/)
    .map((p) => `<p>${p.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/\r\n/g, " ")}</p>`);
  return {
    file: `chapter-${i + 1}.xhtml`,
    tocTitle: `Chapter ${i + 1}`,
    body: `<section><h2>${i + 1}</h2>${paragraphs.join("")}</section>`,
  };
});
const bigEpub = makeEpub({ version: 3, title: "Treasure Island x3", documents });
const timeMachine = fixture("the-time-machine.epub");

const decodeAndSplit = (bytes: Uint8Array) => () =>
  new TextDecoder().decode(bytes).split(/\r?\n\s*\r?\n/).length;
const unzipAndDecode = (bytes: Uint8Array) => () => {
  let characters = 0;
  for (const data of Object.values(unzipSync(bytes))) characters += strFromU8(data).length;
  return characters;
};

console.log(`node ${process.version}, median of 9 runs after 2 warm-up runs\n`);
await report("plain text novel (Treasure Island x3)", novel, "treasure-island-x3.txt", decodeAndSplit(novel));
await report(
  "EPUB 3 novel (Treasure Island x3)",
  bigEpub,
  "treasure-island-x3.epub",
  unzipAndDecode(bigEpub),
);
await report(
  "EPUB 3 The Time Machine (SE)",
  timeMachine,
  "the-time-machine.epub",
  unzipAndDecode(timeMachine),
);
