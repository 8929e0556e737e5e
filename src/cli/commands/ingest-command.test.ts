import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { createIngestCommand } from "./ingest-command.ts";

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../test/fixtures/ingest/${name}`, import.meta.url));

async function run(...args: string[]): Promise<string> {
  let out = "";
  const program = new Command("litink")
    .exitOverride()
    .addCommand(createIngestCommand({ write: (text: string) => (out += text) }));
  await program.parseAsync(["node", "litink", "ingest", ...args]);
  return out;
}

describe("litink ingest", () => {
  it("--json prints exactly one JSON object with the book's chapters", async () => {
    const out = await run(fixture("the-time-machine.epub"), "--json");
    expect(out.trim().split("\n")).toHaveLength(1);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(["format", "kind", "title", "author", "language", "words", "chapters"]);
    expect(json).toMatchObject({
      format: "epub",
      kind: "book",
      title: "The Time Machine",
      author: "H. G. Wells",
    });
    expect(json.chapters[2]).toEqual({ title: "I", ordinal: 3, words: expect.any(Number), matter: "body" });
  });

  it("--json for a screenplay has scenes and characters", async () => {
    const json = JSON.parse(await run(fixture("ascent-to-guru-peak.fountain"), "--json"));
    expect(Object.keys(json)).toEqual([
      "format",
      "kind",
      "title",
      "author",
      "language",
      "words",
      "scenes",
      "characters",
    ]);
    expect(json.scenes[0]).toEqual({
      heading: "EXT. MOUNT GURU FOOTHILLS--DAY",
      location: "MOUNT GURU FOOTHILLS",
      time: "DAY",
      characters: ["YORBLEF"],
    });
    expect(json.characters).toEqual(["YORBLEF", "GURU"]);
  });

  it("prints a readable outline without --json", async () => {
    const out = await run(fixture("gift-of-the-magi.txt"));
    expect(out).toContain("The Gift of the Magi");
    expect(out).toContain("author:   O. Henry");
    expect(out).toMatch(/1 chapter \(0 front\/back matter\)/);
  });

  it("refuses a file over --max-mb with a user-facing error", async () => {
    await expect(run(fixture("robin-hood.pdf"), "--max-mb", "0.1")).rejects.toMatchObject({
      code: "ingest.too_large",
      userFacing: true,
    });
  });
});
