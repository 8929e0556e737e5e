import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IngestError, ingestBytes } from "./index.ts";
import { makeDocx } from "./test-support/make-docx.ts";
import { makeEpub } from "./test-support/make-epub.ts";
import { makePdf } from "./test-support/make-pdf.ts";

const encoder = new TextEncoder();
const BUDGET = { timeBudgetMs: 5_000 };

/** Parses, or fails with a typed, user-facing IngestError; anything else (a crash) fails the property. */
async function parsesOrRefuses(bytes: Uint8Array, fileName: string): Promise<void> {
  try {
    await ingestBytes(bytes, fileName, BUDGET);
  } catch (error) {
    if (!(error instanceof IngestError) || !error.userFacing || !error.message.startsWith(fileName))
      throw error;
  }
}

const valid: ReadonlyArray<[string, Uint8Array]> = [
  [
    "book.epub",
    makeEpub({
      version: 3,
      documents: [
        { file: "a.xhtml", tocTitle: "Chapter 1", body: "<h1>Chapter 1</h1><p>It began &amp; ended.</p>" },
        { file: "b.xhtml", tocTitle: "Chapter 2", body: "<p>Then <em>more</em>.</p>" },
      ],
    }),
  ],
  ["draft.docx", makeDocx([{ style: "Heading1", text: "One" }, { text: "Body text." }])],
  [
    "small.pdf",
    makePdf({ pages: [["Chapter 1", "", "Some text here."]], outline: [{ title: "Chapter 1", page: 0 }] }),
  ],
  [
    "novel.txt",
    encoder.encode("CHAPTER I\n\nThe Start\n\nIt began.\n\nCHAPTER II\n\nThe End\n\nIt ended.\n"),
  ],
  ["script.fountain", encoder.encode("Title: X\n\nINT. ROOM - DAY\n\nBOB\n(sighs)\nHi.\n\n> CUT TO:\n")],
  [
    "script.fdx",
    encoder.encode(
      `<FinalDraft><Content><Paragraph Type="Scene Heading"><Text>INT. A - DAY</Text></Paragraph></Content></FinalDraft>`,
    ),
  ],
];

describe("parsers never crash or hang on hostile bytes", () => {
  it("random bytes under any name parse or raise a typed error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4096 }),
        fc.constantFrom("a.txt", "a.epub", "a.pdf", "a.docx", "a.fountain", "a.fdx", "a.md", "a"),
        (bytes, name) => parsesOrRefuses(bytes, name),
      ),
      { numRuns: 150 },
    );
  });

  it("random text (screenplay- and heading-like lines included) parses or raises a typed error", async () => {
    const line = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom(
        "CHAPTER I",
        "PART TWO",
        "INT. HOUSE - DAY",
        "BOB",
        "(beat)",
        "> FADE IN:",
        "# One",
        "===",
        "[[note",
        "/*",
        "1.  THE END    12",
        "XII",
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 120 }),
        fc.constantFrom("t.txt", "t.fountain", "t.md"),
        (lines, name) => parsesOrRefuses(encoder.encode(lines.join("\n")), name),
      ),
      { numRuns: 150 },
    );
  });

  it("mutated valid files (bytes flipped, cut, spliced) parse or raise a typed error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
        fc.option(fc.nat(), { nil: undefined }),
        ([name, original], flips, cut) => {
          const bytes = new Uint8Array(original);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          const mutated = cut === undefined ? bytes : bytes.subarray(0, Math.max(1, cut % bytes.length));
          return parsesOrRefuses(mutated, name);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("random markup inside a valid EPUB or FDX parses or raises a typed error", async () => {
    const token = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(
        "<p>",
        "</p>",
        "<div id='a'>",
        "</div>",
        "<br/>",
        "<h1>",
        "</h1>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "&amp;",
        "&#x1F600;",
        "&bogus;",
        "<script>",
        "</script>",
        "<a href='#a'>",
        "<!DOCTYPE x [",
        "]>",
        "<?pi?>",
        "<",
        ">",
        '"',
        "'",
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 60 }), fc.boolean(), async (tokens, asFdx) => {
        const markup = tokens.join("");
        if (asFdx) {
          await parsesOrRefuses(
            encoder.encode(`<FinalDraft><Content>${markup}</Content></FinalDraft>`),
            "fuzz.fdx",
          );
        } else {
          const bytes = makeEpub({
            version: 3,
            documents: [{ file: "a.xhtml", tocTitle: "One", body: markup }],
          });
          await parsesOrRefuses(bytes, "fuzz.epub");
        }
      }),
      { numRuns: 150 },
    );
  });

  it("every successfully parsed document satisfies the schema invariants", async () => {
    for (const [name, bytes] of valid) {
      const document = await ingestBytes(bytes, name);
      if (document.kind === "book") {
        expect(document.chapters.map((c) => c.ordinal)).toEqual(document.chapters.map((_, i) => i + 1));
      } else {
        expect(document.scenes.length).toBeGreaterThan(0);
      }
    }
  });
});
