import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isProviderError } from "../../provider-error.ts";
import { createLocal } from "../local-provider.ts";

/**
 * A fake `espeak-ng` binary speaking the real command line: `-v -p -s -x --sep= -w FILE --stdin`. It
 * writes a 16-bit WAV with a 0.2 s tone per word, 0.03 s between words and 0.25 s between clauses, and
 * prints one phoneme line per clause, as the real binary does. Each run appends its arguments and text
 * to the log, one JSON line.
 */
const FAKE = String.raw`
const fs = require("node:fs");
const args = process.argv.slice(2);
const text = fs.readFileSync(0, "utf8");
fs.appendFileSync(process.env.FAKE_ESPEAK_LOG, JSON.stringify({ args, text }) + "\n");
if (args[args.indexOf("-v") + 1].startsWith("zz")) { process.stderr.write("fake crash\n"); process.exit(3); }
const clauses = text.split(/[,.;!?]+/).map((c) => c.trim().split(/\s+/).filter(Boolean)).filter((c) => c.length);
const rate = 22050, samples = [];
const silence = (s) => { for (let i = 0; i < s * rate; i++) samples.push(0); };
clauses.forEach((clause, c) => {
  if (c > 0) silence(0.25);
  clause.forEach((word, w) => {
    if (w > 0) silence(0.03);
    for (let i = 0; i < 0.2 * rate; i++) samples.push(Math.round(8000 * Math.sin(i / 5)));
  });
  console.log("_: " + clause.map((word) => word.split("").join(" ")).join("  "));
});
const data = Buffer.alloc(samples.length * 2);
samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
const header = Buffer.alloc(44);
header.write("RIFF", 0); header.writeUInt32LE(36 + data.length, 4); header.write("WAVE", 8);
header.write("fmt ", 12); header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
header.writeUInt32LE(rate, 24); header.writeUInt32LE(rate * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34);
header.write("data", 36); header.writeUInt32LE(data.length, 40);
fs.writeFileSync(args[args.indexOf("-w") + 1], Buffer.concat([header, data]));
`;

let directory: string;
let binary: string;
let log: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "litink-fake-espeak-"));
  binary = path.join(directory, "espeak-ng");
  log = path.join(directory, "runs.jsonl");
  await writeFile(binary, `#!${process.execPath}\n${FAKE}`);
  await chmod(binary, 0o755);
  process.env.FAKE_ESPEAK_LOG = log;
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("local speech with a system espeak-ng binary", () => {
  it("runs the binary with the voice settings and aligns words to its clauses", async () => {
    const model = createLocal({ espeakPath: binary }).model("voice", "espeak-ng");
    const result = await model.generate({ text: "One two three, four five.", voice: "female-young-della" });
    const runs = (await readFile(log, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { args: string[]; text: string });
    // One run per clause, each with the voice's settings.
    expect(runs.map((run) => run.text).sort()).toEqual(["One two three,", "four five."]);
    for (const { args } of runs) {
      expect(args.slice(0, 2)).toEqual(["-v", args[1]]);
      expect(args[1]).toMatch(/^en-us\+f\d$/);
      expect(args).toEqual(expect.arrayContaining(["-x", "--sep= ", "--stdin", "-w"]));
    }
    expect(result.words!.map((word) => word.word)).toEqual(["One", "two", "three", "four", "five"]);
    // "One two three," is 3 × 0.2 s + 2 × 0.03 s = 0.66 s of sound, then a clause's pause (0.24 s);
    // "four five." is 0.43 s, padded to 0.44 s (20 ms steps), then a sentence's pause (0.4 s).
    expect(result.words![2]!.end).toBeCloseTo(0.66, 3);
    expect(result.words![3]!.start).toBeCloseTo(0.9, 3);
    expect(result.durationSeconds).toBeCloseTo(1.74, 3);
  });

  it("turns a crash of the binary into a retryable provider.server error with its stderr", async () => {
    const model = createLocal({ espeakPath: binary }).model("voice", "espeak-ng");
    // The language becomes eSpeak's -v value: the fake crashes on "-v zz+…".
    const failed = model.generate({ text: "Hello.", voice: "narrator", language: "zz" });
    await expect(failed).rejects.toSatisfy(
      (error) => isProviderError(error) && error.kind === "server" && error.retryable,
    );
    await expect(failed).rejects.toThrow(/fake crash/);
  });
});
