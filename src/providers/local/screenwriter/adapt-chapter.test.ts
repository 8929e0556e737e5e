import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scriptSchema } from "../../../script/index.ts";
import { adaptChapter } from "./adapt-chapter.ts";

const sentence = fc.constantFrom(
  "Anna walked to the window and looked at the grey street.",
  "The next morning the sun rose over the harbour.",
  "He said nothing for a long while.",
  "She laughed, and the room grew warm.",
  "That night the wind howled around the cottage.",
  "Tom counted the coins twice.",
  "When they reached the village, the lamps were lit.",
  "Nobody answered.",
);
const line = fc.constantFrom(
  "I am tired,",
  "Where is it?",
  "Come here at once!",
  "We are late.",
  "No,",
  "Look at the sea",
);
const attribution = fc.constantFrom(
  "said Anna.",
  "he said.",
  "she asked.",
  "Tom cried.",
  "said he,",
  "whispered Anna.",
  "",
);
const paragraph = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.array(sentence, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(" ")),
  },
  {
    weight: 4,
    arbitrary: fc
      .tuple(line, attribution, fc.option(line, { nil: undefined }), fc.option(sentence, { nil: undefined }))
      .map(([first, said, second, after]) =>
        [`"${first}"`, said, second ? `"${second}"` : "", after ?? ""].filter(Boolean).join(" "),
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom("* * *", "#", "", '"unclosed quotation runs on', "———") },
);

describe("adaptChapter (property)", () => {
  it("always yields a valid, deterministic script whose scenes cover the text paragraphs in order", () => {
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 1, maxLength: 30 }), (paragraphs) => {
        const input = { title: "Chapter", ordinal: 3, paragraphs };
        const script = adaptChapter(input);
        expect(scriptSchema.safeParse(script).success).toBe(true);
        expect(adaptChapter(input)).toEqual(script);

        const speakers = script.scenes.flatMap((scene) =>
          scene.beats.flatMap((beat) => (beat.kind === "dialogue" ? [beat.speaker] : [])),
        );
        for (const speaker of speakers) expect(speaker).not.toMatch(/^(?:he|she|they|i|we)$/i);
        const names = new Set(script.characters.map((character) => character.name));
        for (const speaker of speakers) expect(names.has(speaker)).toBe(true);

        let next = -1;
        script.scenes.forEach((scene, index) => {
          expect(scene.ordinal).toBe(index + 1);
          expect(scene.source.chapter).toBe(3);
          expect(scene.source.firstParagraph).toBeGreaterThan(next);
          next = scene.source.lastParagraph;
        });
        const hasWords = paragraphs.some((text) => /[A-Za-z]/.test(text) && !/^[*#\s—]+$/.test(text));
        expect(script.scenes.length > 0).toBe(hasWords);
      }),
      { numRuns: 60, seed: 20261124 },
    );
  });
});
