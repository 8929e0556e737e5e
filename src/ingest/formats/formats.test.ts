import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import type { BookDocument, ScreenplayDocument } from "../index.ts";
import { ingestBytes } from "../index.ts";
import { makeDocx } from "../test-support/make-docx.ts";
import { makeEpub } from "../test-support/make-epub.ts";
import { makePdf } from "../test-support/make-pdf.ts";

const prose = (seed: string, sentences = 12) =>
  Array.from(
    { length: sentences },
    (_, i) => `${seed} walked on through the ${i + 1}th field and said nothing at all.`,
  ).join(" ");
const text = (value: string) => new TextEncoder().encode(value);

async function book(bytes: Uint8Array, name: string): Promise<BookDocument> {
  const document = await ingestBytes(bytes, name);
  if (document.kind !== "book") throw new Error(`${name} read as a screenplay`);
  return document;
}

const outline = (document: BookDocument) => document.chapters.map((c) => [c.title, c.matter]);

describe("EPUB", () => {
  const documents = [
    {
      file: "cover.xhtml",
      body: `<section epub:type="cover"><img src="c.jpg" alt="Cover"/></section><p>Cover</p>`,
      bodyType: "frontmatter",
    },
    {
      file: "one.xhtml",
      tocTitle: "Chapter 1: Arrival",
      body: `<h2>Chapter 1: Arrival</h2><p>${prose("Ann")}<a epub:type="noteref" href="#n1">1</a></p><p>Second<br/>line.</p><script>alert(1)</script>`,
    },
    { file: "two.xhtml", tocTitle: "Chapter 2: Departure", body: `<h2>Chapter 2</h2><p>${prose("Ben")}</p>` },
    { file: "colophon.xhtml", tocTitle: "Colophon", body: `<p>Set in type by nobody.</p>` },
  ];

  it("EPUB 3: nav document titles, spine order, cover and colophon marked, scripts and note markers dropped", async () => {
    const document = await book(makeEpub({ version: 3, documents }), "three.epub");
    expect(document.metadata).toMatchObject({
      title: "A Test Book",
      author: "Ada Author",
      language: "en",
      format: "epub",
    });
    expect(outline(document)).toEqual([
      ["Cover", "front"],
      ["Chapter 1: Arrival", "body"],
      ["Chapter 2: Departure", "body"],
      ["Colophon", "back"],
    ]);
    const first = document.chapters[1]!;
    expect(first.paragraphs[0]).toMatch(/^Ann walked/);
    expect(first.paragraphs[0]).not.toMatch(/nothing at all\.1$/);
    expect(first.paragraphs[1]).toBe("Second\nline.");
    expect(first.paragraphs.join(" ")).not.toContain("alert");
  });

  it("EPUB 2: NCX titles", async () => {
    const document = await book(makeEpub({ version: 2, documents }), "two.epub");
    expect(outline(document).slice(1, 3)).toEqual([
      ["Chapter 1: Arrival", "body"],
      ["Chapter 2: Departure", "body"],
    ]);
  });
});

describe("DOCX", () => {
  it("Heading 1 paragraphs become chapters; a lone Title names the book", async () => {
    const bytes = makeDocx(
      [
        { style: "Title", text: "The Manuscript" },
        { text: "For my mother." },
        { style: "Heading1", text: "Chapter One" },
        { text: prose("Cleo") },
        { style: "Heading2", text: "A scene break" },
        { text: "More text here." },
        { style: "Heading1", text: "Chapter Two" },
        { text: prose("Dov") },
        { style: "Heading1", text: "Acknowledgments" },
        { text: "Thanks to everyone." },
      ],
      { author: "Mara Writer" },
    );
    const document = await book(bytes, "draft.docx");
    expect(document.metadata).toMatchObject({
      title: "The Manuscript",
      author: "Mara Writer",
      format: "docx",
    });
    expect(outline(document)).toEqual([
      ["Front matter", "front"],
      ["Chapter One", "body"],
      ["Chapter Two", "body"],
      ["Acknowledgments", "back"],
    ]);
    expect(document.chapters[1]!.paragraphs).toContain("A scene break");
  });
});

describe("PDF", () => {
  const page = (heading: string, who: string) => [
    heading,
    "",
    ...prose(who, 6)
      .match(/.{1,80}(?:\s|$)/g)!
      .map((l) => l.trim()),
    "",
  ];

  it("with an outline: bookmarks give the chapters, the printed heading is dropped", async () => {
    const bytes = makePdf({
      pages: [
        ["A Title Page", "", "by Someone"],
        page("Chapter 1", "Eve"),
        page("Chapter 2", "Finn"),
        ["License", "", "Use it freely."],
      ],
      outline: [
        { title: "Chapter 1", page: 1 },
        { title: "Chapter 2", page: 2 },
        { title: "License", page: 3 },
      ],
      title: "Outlined",
      author: "Pat Writer",
    });
    const document = await book(bytes, "outlined.pdf");
    expect(document.metadata).toMatchObject({ title: "Outlined", author: "Pat Writer", format: "pdf" });
    expect(outline(document)).toEqual([
      ["Front matter", "front"],
      ["Chapter 1", "body"],
      ["Chapter 2", "body"],
      ["License", "back"],
    ]);
    expect(document.chapters[1]!.paragraphs[0]).toMatch(/^Eve walked on through the 1th field/);
  });

  it("without an outline: headings found in the text", async () => {
    const bytes = makePdf({
      pages: [page("CHAPTER I", "Gus"), page("CHAPTER II", "Hal"), page("CHAPTER III", "Ivy")],
    });
    const document = await book(bytes, "plain.pdf");
    expect(document.chapters.map((c) => c.label)).toEqual(["CHAPTER I", "CHAPTER II", "CHAPTER III"]);
  });
});

describe("plain text and Markdown", () => {
  const novel = [
    "CHAPTER I.",
    "The Beginning",
    prose("Ida"),
    "CHAPTER II.",
    "The Middle",
    prose("Jon"),
    "CHAPTER III.",
    "The End",
    prose("Kim"),
  ].join("\n\n");

  it("UTF-16 with a BOM and Windows-1252 decode to the same chapters as UTF-8", async () => {
    const curly = novel.replace("The Middle", "The “Middle” — café");
    const utf16 = new Uint8Array([0xff, 0xfe, ...iconv.encode(curly, "utf16le")]);
    const cp1252 = new Uint8Array(iconv.encode(curly, "windows-1252"));
    for (const [bytes, name] of [
      [utf16, "u16.txt"],
      [cp1252, "cp.txt"],
      [text(curly), "u8.txt"],
    ] as const) {
      const document = await book(bytes, name);
      expect(document.chapters.map((c) => c.title)).toEqual([
        "The Beginning",
        "The “Middle” — café",
        "The End",
      ]);
    }
  });

  it("Markdown: a lone # title and ## chapters", async () => {
    const markdown = `---\ntitle: "Front Matter Title"\nauthor: Lee\n---\n# My Book\n\nIntro text.\n\n## One\n\n${prose("Lu")}\n\n## Two\n\n*Emphasis* and a [link](http://x).\n`;
    const document = await book(text(markdown), "book.md");
    expect(document.metadata).toMatchObject({
      title: "Front Matter Title",
      author: "Lee",
      format: "markdown",
    });
    expect(outline(document)).toEqual([
      ["Front matter", "front"],
      ["One", "body"],
      ["Two", "body"],
    ]);
    expect(document.chapters[2]!.paragraphs).toEqual(["Emphasis and a link."]);
  });
});

describe("screenplays", () => {
  const fountain = `Title: **The Test**
Credit: Written by
Author: Sam Script
Draft date: 1/1/2026

/* boneyard: INT. CUT SCENE - DAY */

# Act One

= The hero wakes up.

> FADE IN:

INT. KITCHEN - MORNING #1#

Rain hits the window. [[a note]]

MARY (V.O.)
(whispering)
It's *too* early.
I mean it.

@McCLANE
Yippee.

BRICK
Dual one.

STEEL ^
Dual two.

CUT TO:

.FLASHBACK

!ALL CAPS ACTION LINE.

~Singing in the rain
~Just singing

>THE END<

===

EXT./INT. CAR — CONTINUOUS

I/E. SHIP DECK - NIGHT

EST. CITY SKYLINE

MARY (CONT'D)
Again.
`;

  it("Fountain: every element", async () => {
    const document = (await ingestBytes(text(fountain), "test.fountain")) as ScreenplayDocument;
    expect(document.kind).toBe("screenplay");
    expect(document.metadata).toMatchObject({ title: "The Test", author: "Sam Script", format: "fountain" });
    expect(document.opening.map((e) => e.type)).toEqual(["section", "synopsis", "transition"]);
    expect(document.scenes.map((s) => [s.heading, s.setting, s.location, s.time, s.forced])).toEqual([
      ["INT. KITCHEN - MORNING", "INT", "KITCHEN", "MORNING", false],
      ["FLASHBACK", null, "FLASHBACK", null, true],
      ["EXT./INT. CAR — CONTINUOUS", "INT/EXT", "CAR", "CONTINUOUS", false],
      ["I/E. SHIP DECK - NIGHT", "INT/EXT", "SHIP DECK", "NIGHT", false],
      ["EST. CITY SKYLINE", "EST", "CITY SKYLINE", null, false],
    ]);
    expect(document.scenes[0]!.sceneNumber).toBe("1");
    expect(document.scenes[0]!.elements).toEqual([
      { type: "action", text: "Rain hits the window." },
      {
        type: "dialogue",
        character: "MARY",
        extensions: ["V.O."],
        parts: [
          { type: "parenthetical", text: "(whispering)" },
          { type: "line", text: "It's too early.\nI mean it." },
        ],
        dual: false,
      },
      {
        type: "dialogue",
        character: "MCCLANE",
        extensions: [],
        parts: [{ type: "line", text: "Yippee." }],
        dual: false,
      },
      {
        type: "dialogue",
        character: "BRICK",
        extensions: [],
        parts: [{ type: "line", text: "Dual one." }],
        dual: true,
      },
      {
        type: "dialogue",
        character: "STEEL",
        extensions: [],
        parts: [{ type: "line", text: "Dual two." }],
        dual: true,
      },
      { type: "transition", text: "CUT TO:" },
    ]);
    expect(document.scenes[1]!.elements).toEqual([
      { type: "action", text: "ALL CAPS ACTION LINE." },
      { type: "lyrics", text: "Singing in the rain\nJust singing" },
      { type: "centered", text: "THE END" },
      { type: "page_break" },
    ]);
    expect(document.scenes[4]!.elements[0]).toMatchObject({ character: "MARY", extensions: ["CONT'D"] });
    expect(document.characters).toEqual(["MARY", "MCCLANE", "BRICK", "STEEL"]);
    expect(JSON.stringify(document)).not.toMatch(/boneyard|a note/);
  });

  it("Final Draft FDX: paragraph types, dual dialogue, title page", async () => {
    const p = (type: string, value: string) => `<Paragraph Type="${type}"><Text>${value}</Text></Paragraph>`;
    const fdx = `<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<FinalDraft DocumentType="Script" Template="No" Version="5">
<Content>
${p("Transition", "FADE IN:")}
${p("Scene Heading", "INT. OFFICE - DAY")}
${p("Action", "Papers everywhere.")}
${p("Character", "JOAN (O.S.)")}
${p("Parenthetical", "(calling)")}
${p("Dialogue", "Anyone here?")}
<Paragraph><DualDialogue>${p("Character", "AL")}${p("Dialogue", "Yes!")}${p("Character", "BO")}${p("Dialogue", "No!")}</DualDialogue></Paragraph>
${p("Transition", "CUT TO:")}
${p("Scene Heading", "EXT. STREET - NIGHT")}
<Paragraph Type="Action"><Text>Cars </Text><Text Style="Bold">pass</Text><Text>.</Text></Paragraph>
</Content>
<TitlePage><Content>${p("Title", "Office Hours")}${p("Normal", "Written by")}${p("Normal", "Jo Writer")}</Content></TitlePage>
</FinalDraft>`;
    const document = (await ingestBytes(text(fdx), "office.fdx")) as ScreenplayDocument;
    expect(document.metadata).toMatchObject({ title: "Office Hours", author: "Jo Writer", format: "fdx" });
    expect(document.opening).toEqual([{ type: "transition", text: "FADE IN:" }]);
    expect(document.scenes.map((s) => [s.location, s.time])).toEqual([
      ["OFFICE", "DAY"],
      ["STREET", "NIGHT"],
    ]);
    expect(document.scenes[0]!.elements).toEqual([
      { type: "action", text: "Papers everywhere." },
      {
        type: "dialogue",
        character: "JOAN",
        extensions: ["O.S."],
        parts: [
          { type: "parenthetical", text: "(calling)" },
          { type: "line", text: "Anyone here?" },
        ],
        dual: false,
      },
      {
        type: "dialogue",
        character: "AL",
        extensions: [],
        parts: [{ type: "line", text: "Yes!" }],
        dual: true,
      },
      {
        type: "dialogue",
        character: "BO",
        extensions: [],
        parts: [{ type: "line", text: "No!" }],
        dual: true,
      },
      { type: "transition", text: "CUT TO:" },
    ]);
    expect(document.scenes[1]!.elements).toEqual([{ type: "action", text: "Cars pass." }]);
    expect(document.characters).toEqual(["JOAN", "AL", "BO"]);
  });
});

describe("documents without heading styles", () => {
  it("DOCX whose chapters are typed as plain paragraphs falls back to text heading detection", async () => {
    const paragraphs = [
      "Chapter One",
      prose("Ola"),
      "Chapter Two",
      prose("Pia"),
      "Chapter Three",
      prose("Quin"),
    ].map((t) => ({ text: t }));
    const document = await book(makeDocx(paragraphs), "manuscript.docx");
    expect(document.chapters.map((c) => c.label)).toEqual(["Chapter One", "Chapter Two", "Chapter Three"]);
  });
});

describe("EPUB structure variants", () => {
  it("an EPUB without any TOC gets one chapter per spine document, named by its heading", async () => {
    const bytes = makeEpub({
      version: 2,
      documents: [
        { file: "a.xhtml", body: `<h1>The First</h1><p>${prose("Rae")}</p>` },
        { file: "b.xhtml", body: `<h1>The Second</h1><p>${prose("Sol")}</p>` },
      ],
    });
    const document = await book(bytes, "notoc.epub");
    expect(outline(document)).toEqual([
      ["The First", "body"],
      ["The Second", "body"],
    ]);
  });
});

describe("EPUB with parts", () => {
  it("nested Part → Chapter entries give chapters with their part; short part pages are not chapters", async () => {
    const bytes = makeEpub({
      version: 3,
      documents: [
        { file: "p1.xhtml", tocTitle: "Part One", body: "<h1>Part One</h1>" },
        {
          file: "c1.xhtml",
          tocTitle: "Chapter 1",
          parent: "p1.xhtml",
          body: `<h2>Chapter 1</h2><p>${prose("Tam")}</p>`,
        },
        {
          file: "c2.xhtml",
          tocTitle: "Chapter 2",
          parent: "p1.xhtml",
          body: `<h2>Chapter 2</h2><p>${prose("Uma")}</p>`,
        },
        { file: "p2.xhtml", tocTitle: "Part Two", body: "<h1>Part Two</h1>" },
        {
          file: "c3.xhtml",
          tocTitle: "Chapter 3",
          parent: "p2.xhtml",
          body: `<h2>Chapter 3</h2><p>${prose("Vic")}</p>`,
        },
        {
          file: "c4.xhtml",
          tocTitle: "Chapter 4",
          parent: "p2.xhtml",
          body: `<h2>Chapter 4</h2><p>${prose("Wes")}</p>`,
        },
      ],
    });
    const document = await book(bytes, "parts.epub");
    expect(document.chapters.map((c) => [c.title, c.part, c.matter])).toEqual([
      ["Chapter 1", "Part One", "body"],
      ["Chapter 2", "Part One", "body"],
      ["Chapter 3", "Part Two", "body"],
      ["Chapter 4", "Part Two", "body"],
    ]);
    expect(document.chapters[1]!.paragraphs.join(" ")).not.toContain("Part Two");
  });
});

describe("EPUB file names", () => {
  it("Calibre's index_split files are story text, not an index", async () => {
    const bytes = makeEpub({
      version: 2,
      documents: [
        {
          file: "index_split_000.html",
          tocTitle: "Chapter 1",
          body: `<h1>Chapter 1</h1><p>${prose("Xia")}</p>`,
        },
        {
          file: "index_split_001.html",
          tocTitle: "Chapter 2",
          body: `<h1>Chapter 2</h1><p>${prose("Yan")}</p>`,
        },
      ],
    });
    expect(outline(await book(bytes, "calibre.epub"))).toEqual([
      ["Chapter 1", "body"],
      ["Chapter 2", "body"],
    ]);
  });
});
