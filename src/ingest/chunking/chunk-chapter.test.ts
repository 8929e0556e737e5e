import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkChapter, countTextTokens, PARAGRAPH_SEPARATOR } from "./chunk-chapter.ts";

const sentence = (i: number) =>
  `Sentence number ${i} says that Mr. Smith went to the market at 5 p.m. and bought bread.`;

describe("chunkChapter", () => {
  const paragraphs = Array.from({ length: 12 }, (_, p) =>
    Array.from({ length: 5 }, (_, s) => sentence(p * 5 + s)).join(" "),
  );
  const chapter = { ordinal: 3, paragraphs };

  it("keeps every passage under the token budget and cuts only between sentences", () => {
    const passages = chunkChapter(chapter, { maxTokens: 100 });
    expect(passages.length).toBeGreaterThan(5);
    for (const passage of passages) {
      expect(passage.tokens).toBeLessThanOrEqual(100);
      expect(passage.tokens).toBe(countTextTokens(passage.text));
      expect(passage.text).toMatch(/^Sentence number \d+/);
      expect(passage.text).toMatch(/bread\.$/);
      expect(passage.chapterOrdinal).toBe(3);
    }
    expect(passages.map((p) => p.index)).toEqual(passages.map((_, i) => i));
  });

  it("keeps positions: offsets slice the chapter text and paragraph indexes bracket the passage", () => {
    const text = paragraphs.join(PARAGRAPH_SEPARATOR);
    const passages = chunkChapter(chapter, { maxTokens: 150 });
    for (const passage of passages) {
      expect(text.slice(passage.charStart, passage.charEnd)).toBe(passage.text);
      expect(paragraphs[passage.paragraphStart]).toContain(
        passage.text.split(PARAGRAPH_SEPARATOR)[0]!.slice(0, 40),
      );
    }
    expect(passages.at(-1)!.paragraphEnd).toBe(paragraphs.length - 1);
    const joined = passages
      .map((p) => p.text)
      .join(" ")
      .replace(/\s+/g, " ");
    expect(joined).toBe(text.replace(/\s+/g, " "));
  });

  it("splits one over-long sentence at commas, then words, still within budget", () => {
    const long = `${Array.from({ length: 200 }, (_, i) => `clause ${i}`).join(", ")}.`;
    const passages = chunkChapter({ ordinal: 1, paragraphs: [long] }, { maxTokens: 40 });
    expect(passages.every((p) => p.tokens <= 40)).toBe(true);
    expect(passages.map((p) => p.text).join(" ")).toBe(long);
  });

  it("counts special-token look-alikes as text", () => {
    expect(
      chunkChapter({ ordinal: 1, paragraphs: ["Say <|endoftext|> now."] }, { maxTokens: 50 }),
    ).toHaveLength(1);
  });

  it("never loses text or breaks the budget on random paragraphs", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 300 }), { maxLength: 8 }),
        fc.integer({ min: 5, max: 200 }),
        (raw, maxTokens) => {
          const passages = chunkChapter({ ordinal: 1, paragraphs: raw }, { maxTokens });
          const text = raw.join(PARAGRAPH_SEPARATOR);
          for (const passage of passages) {
            expect(passage.tokens).toBeLessThanOrEqual(maxTokens);
            expect(text.slice(passage.charStart, passage.charEnd)).toBe(passage.text);
          }
          expect(
            passages
              .map((p) => p.text)
              .join("")
              .replace(/\s+/g, ""),
          ).toBe(text.replace(/\s+/g, ""));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("chunkChapter on hostile text", () => {
  it("handles a long run of dots and a giant word without stalling", () => {
    const dots = `${".".repeat(200_000)} end.`;
    const passages = chunkChapter({ ordinal: 1, paragraphs: [dots, "x".repeat(50_000)] }, { maxTokens: 500 });
    expect(passages.every((p) => p.tokens <= 500)).toBe(true);
  });
});
