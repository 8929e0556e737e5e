import { describe, expect, it } from "vitest";
import type { BookDocument, ScreenplayDocument } from "./index.ts";
import { ingestFile, toIngestJson } from "./index.ts";
import { fixturePath } from "./test-support/fixture-path.ts";

async function book(name: string): Promise<BookDocument> {
  const document = await ingestFile(fixturePath(name));
  if (document.kind !== "book") throw new Error(`${name} read as ${document.kind}`);
  return document;
}

const body = (document: BookDocument) => document.chapters.filter((chapter) => chapter.matter === "body");
const near = (actual: number, expected: number, tolerance = 0.02) =>
  expect(Math.abs(actual - expected) / expected).toBeLessThanOrEqual(tolerance);

describe("real public-domain books", () => {
  it("Treasure Island: 34 numbered chapters with titles, parts, the CONTENTS list kept as front matter", async () => {
    const document = await book("treasure-island.txt");
    expect(document.metadata).toMatchObject({
      title: "Treasure Island",
      author: "Robert Louis Stevenson",
      format: "text",
      language: "en",
    });
    const chapters = body(document);
    expect(chapters).toHaveLength(34);
    expect(chapters[0]).toMatchObject({
      title: "The Old Sea-dog at the Admiral Benbow",
      label: "1",
      part: "PART ONE: The Old Buccaneer",
    });
    expect(chapters[15]!.title).toBe("Narrative Continued by the Doctor: How the Ship Was Abandoned");
    expect(chapters[33]).toMatchObject({ title: "And Last", part: "PART SIX: Captain Silver" });
    expect(chapters[0]!.paragraphs[0]).toMatch(
      /^SQUIRE TRELAWNEY, Dr\. Livesey, and the rest of these gentlemen/,
    );
    expect(new Set(chapters.map((c) => c.part)).size).toBe(6);
    const front = document.chapters.filter((chapter) => chapter.matter === "front");
    expect(front.map((c) => c.title)).toContain("CONTENTS");
    expect(document.chapters.at(-1)!.paragraphs.join(" ")).not.toMatch(/Project Gutenberg/);
    near(toIngestJson(document).words, 68_600);
  });

  it("The Gift of the Magi: one section without the Gutenberg header, title lines or license", async () => {
    const document = await book("gift-of-the-magi.txt");
    expect(document.metadata).toMatchObject({ title: "The Gift of the Magi", author: "O. Henry" });
    expect(document.chapters).toHaveLength(1);
    const [story] = document.chapters;
    expect(story!.paragraphs[0]).toMatch(/^One dollar and eighty-seven cents\./);
    expect(story!.paragraphs.at(-1)).toMatch(/They are the magi\.$/);
    near(story!.words, 2_100, 0.05);
  });

  it("The Time Machine (EPUB 3): 12 chapters and the Epilogue, front and back matter marked", async () => {
    const document = await book("the-time-machine.epub");
    expect(document.metadata).toMatchObject({
      title: "The Time Machine",
      author: "H. G. Wells",
      format: "epub",
    });
    const chapters = body(document);
    expect(chapters.map((c) => c.title)).toEqual([
      "I",
      "II",
      "III",
      "IV",
      "V",
      "VI",
      "VII",
      "VIII",
      "IX",
      "X",
      "XI",
      "XII",
      "Epilogue",
    ]);
    const expected = [3014, 1988, 2086, 3835, 6483, 2156, 2522, 2441, 2638, 1067, 1901, 1873, 278];
    for (const [i, chapter] of chapters.entries()) near(chapter.words, expected[i]!);
    expect(document.chapters[0]!.matter).toBe("front");
    expect(document.chapters.slice(-3).map((c) => [c.title, c.matter])).toEqual([
      ["Endnotes", "back"],
      ["Colophon", "back"],
      ["Uncopyright", "back"],
    ]);
    expect(chapters[0]!.paragraphs[0]).toMatch(/^The Time Traveller \(for so it will be convenient/);
  });

  it("The Prince (EPUB 2, nested NCX): the NCX's 39 top-level entries, chapters I–XXVI in the body", async () => {
    const document = await book("the-prince.epub");
    expect(document.chapters).toHaveLength(39);
    const numbered = document.chapters.filter((c) => /^CHAPTER [IVXL]+/.test(c.title));
    expect(numbered).toHaveLength(26);
    expect(numbered.every((c) => c.matter === "body")).toBe(true);
    expect(numbered[17]!.title).toBe(
      "CHAPTER XVIII(*) — CONCERNING THE WAY IN WHICH PRINCES SHOULD KEEP FAITH",
    );
    const beforeChapterOne = document.chapters.slice(0, document.chapters.indexOf(numbered[0]!));
    expect(beforeChapterOne.map((c) => c.matter)).toEqual(beforeChapterOne.map(() => "front"));
    expect(beforeChapterOne.map((c) => c.title)).toEqual(
      expect.arrayContaining(["INTRODUCTION", "DEDICATION"]),
    );
  });

  it("The Yellow Wallpaper (EPUB 2, one NCX entry): one chapter without the Gutenberg boilerplate", async () => {
    const document = await book("the-yellow-wallpaper.epub");
    expect(document.chapters).toHaveLength(1);
    expect(document.chapters[0]).toMatchObject({ title: "The Yellow Wallpaper", matter: "body" });
    const text = document.chapters[0]!.paragraphs.join("\n");
    expect(text).not.toMatch(/Project Gutenberg/i);
    near(document.chapters[0]!.words, 6_100, 0.03);
  });

  it("Robin Hood (PDF with bookmarks): 24 chapters from the outline, the license as back matter", async () => {
    const document = await book("robin-hood.pdf");
    expect(document.metadata).toMatchObject({
      title: "Robin Hood",
      author: "J. Walker McSpadden",
      format: "pdf",
    });
    const chapters = body(document);
    expect(chapters).toHaveLength(24);
    expect(chapters[0]!.title).toBe("How Robin Hood Became an Outlaw");
    expect(chapters[1]!.title).toBe("How Robin Hood Met Little John");
    expect(chapters[23]!.title).toBe("How Robin Hood Met His Death");
    expect(document.chapters.at(-1)).toMatchObject({ title: "Project Gutenberg License", matter: "back" });
    const first = chapters[0]!.paragraphs.join("\n");
    expect(first).toContain("In the days of good King Harry the Second");
    expect(first).not.toMatch(/^how robin hood became an outlaw/m);
    expect(first).not.toMatch(/\brobin hood \d+$/m);
  });
});

describe("real screenplay", () => {
  it("Ascent to Guru Peak (Fountain): 6 scenes, YORBLEF with 26 cues and GURU with 1", async () => {
    const document = (await ingestFile(fixturePath("ascent-to-guru-peak.fountain"))) as ScreenplayDocument;
    expect(document.kind).toBe("screenplay");
    expect(document.metadata.title).toBe("ASCENT TO GURU PEAK");
    expect(document.metadata.author).toBe("Richard Alexander Hall");
    expect(document.titlePage.map((f) => f.key)).toEqual([
      "Title",
      "Credit",
      "Author",
      "Source",
      "Copyright",
      "Contact",
    ]);
    expect(document.scenes.map((s) => s.location)).toEqual([
      "MOUNT GURU FOOTHILLS",
      "MOUNT GURU FOREST",
      "MOUNT GURU MEADOW",
      "MOUNT GURU STREAM",
      "SADDLE OF MOUNT GURU PEAK",
      "PEAK OF MOUNT GURU",
    ]);
    expect(document.scenes.map((s) => s.time)).toEqual(["DAY", "DAY", "DAY", "DAY", "NIGHT", "NIGHT"]);
    expect(document.scenes.every((s) => s.setting === "EXT")).toBe(true);
    expect(document.characters).toEqual(["YORBLEF", "GURU"]);
    const elements = [...document.opening, ...document.scenes.flatMap((s) => s.elements)];
    const cues = (name: string) =>
      elements.filter((e) => e.type === "dialogue" && e.character === name).length;
    expect(cues("YORBLEF")).toBe(26);
    expect(cues("GURU")).toBe(1);
    const parentheticals = elements.flatMap((e) =>
      e.type === "dialogue" ? e.parts.filter((p) => p.type === "parenthetical") : [],
    );
    expect(parentheticals.map((p) => p.text)).toEqual(["(agitated)", "(sarcastic)"]);
    expect(
      elements.filter((e) => e.type === "transition").map((e) => (e.type === "transition" ? e.text : "")),
    ).toEqual(["FADE IN:", "CUT TO BLACK:"]);
    expect(elements.filter((e) => e.type === "centered")).toEqual([{ type: "centered", text: "THE END" }]);
    expect(JSON.stringify(elements)).not.toMatch(/\*\*|(?:^|\s)_\w/);
  });
});
