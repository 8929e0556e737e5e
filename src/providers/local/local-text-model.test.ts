import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { characterBibleSchema, type Script, scriptSchema } from "../../script/index.ts";
import { isProviderError } from "../provider-error.ts";
import { createLocal } from "./local-provider.ts";

const STORY = new URL("../../../test/fixtures/local/gift-of-the-magi.txt", import.meta.url);

/** The story's paragraphs, from "One dollar…" to the end, without the Project Gutenberg frame. */
function storyParagraphs(): string[] {
  const text = readFileSync(STORY, "utf8").replace(/\r\n/g, "\n");
  const body = text.split(/\*\*\* START[^\n]*\n/)[1]!.split(/End of the Project Gutenberg/)[0]!;
  const paragraphs = body
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
  return paragraphs.slice(paragraphs.findIndex((paragraph) => paragraph.startsWith("One dollar")));
}

const model = createLocal().model("script", "local-screenwriter");

async function adapt(paragraphs: string[], title = "The Gift of the Magi"): Promise<Script> {
  const result = await model.generate({
    messages: [],
    schema: scriptSchema,
    task: { name: "adapt_chapter", input: { title, ordinal: 1, paragraphs } },
  });
  return result.value!;
}

describe("local screenwriter: adapt_chapter", () => {
  it("adapts a real short story: Della and Jim speak, scenes of sensible length", async () => {
    const paragraphs = storyParagraphs();
    const script = await adapt(paragraphs);
    expect(scriptSchema.parse(script)).toEqual(script);

    const speakers = new Set(
      script.scenes.flatMap((scene) =>
        scene.beats.flatMap((beat) => (beat.kind === "dialogue" ? [beat.speaker] : [])),
      ),
    );
    expect(speakers).toContain("Della");
    expect(speakers).toContain("Jim");
    for (const speaker of speakers) expect(speaker).not.toMatch(/^(?:he|she|i|they)$/i);
    const della = script.characters.find((character) => character.name === "Della");
    const jim = script.characters.find((character) => character.name === "Jim");
    expect(della?.voice.gender).toBe("female");
    expect(jim?.voice.gender).toBe("male");

    // ~2,100 words at narration pace is ~13 minutes: 45–90 s scenes make roughly 8–18 of them.
    expect(script.scenes.length).toBeGreaterThanOrEqual(6);
    expect(script.scenes.length).toBeLessThanOrEqual(20);
    for (const [position, scene] of script.scenes.entries()) {
      expect(scene.ordinal).toBe(position + 1);
      expect(scene.estimatedSeconds).toBeLessThanOrEqual(150);
      expect(scene.visualDescription).toContain("Key image:");
    }
    expect(script.scenes.some((scene) => scene.key)).toBe(true);
    // The scenes cover the chapter in order, without gaps or overlaps.
    expect(script.scenes[0]!.source.firstParagraph).toBe(0);
    expect(script.scenes.at(-1)!.source.lastParagraph).toBe(paragraphs.length - 1);
    for (let index = 1; index < script.scenes.length; index += 1) {
      expect(script.scenes[index]!.source.firstParagraph).toBe(
        script.scenes[index - 1]!.source.lastParagraph + 1,
      );
    }

    // Known lines with their speakers, attributed by "said X", "X asked", pronouns and conversation turns.
    const lines = script.scenes.flatMap((scene) => scene.beats.filter((beat) => beat.kind === "dialogue"));
    expect(lines).toContainEqual({ kind: "dialogue", speaker: "Della", text: "Will you buy my hair?" });
    expect(lines.find((line) => line.text.startsWith("You've cut off your hair?"))?.speaker).toBe("Jim");
    expect(
      lines.find((line) => line.text.startsWith("Dell, let's put our Christmas presents"))?.speaker,
    ).toBe("Jim");
    expect(lines.find((line) => line.text.startsWith("Isn't it a dandy, Jim?"))?.speaker).toBe("Della");
    // A name on a card is not a line of dialogue.
    expect(lines.some((line) => line.text.includes("Dillingham Young"))).toBe(false);
  });

  it("is deterministic: the same chapter gives the same script, byte for byte", async () => {
    const paragraphs = storyParagraphs().slice(0, 20);
    const first = await model.generate({
      messages: [],
      task: { name: "adapt_chapter", input: { title: "T", ordinal: 2, paragraphs } },
    });
    const second = await model.generate({
      messages: [],
      task: { name: "adapt_chapter", input: { title: "T", ordinal: 2, paragraphs } },
    });
    expect(second.text).toBe(first.text);
    expect(first.costMicros).toBe(0);
  });

  it("splits at scene-break markers and at time cues", async () => {
    const long =
      "Anna walked along the grey street past the shops and the church, thinking of the letter. ".repeat(4);
    const script = await adapt(
      [long, long, "* * *", long, `The next morning the sun rose over the harbour. ${long}`, long],
      "Breaks",
    );
    expect(script.scenes.map((scene) => [scene.source.firstParagraph, scene.source.lastParagraph])).toEqual([
      [0, 1],
      [3, 3],
      [4, 5],
    ]);
    expect(script.scenes[2]!.timeOfDay).toBe("morning");

    // A passage of a longer chapter: sources name chapter paragraphs.
    const passage = await model.generate({
      messages: [],
      schema: scriptSchema,
      task: {
        name: "adapt_chapter",
        input: { title: "P", ordinal: 4, paragraphs: [long, long], firstParagraph: 12 },
      },
    });
    expect(passage.value!.scenes[0]!.source).toEqual({ chapter: 4, firstParagraph: 12, lastParagraph: 13 });
  });
});

describe("local screenwriter: other tasks and errors", () => {
  it("builds a character bible from scripts, folding pet names", async () => {
    const script = await adapt(storyParagraphs());
    const result = await model.generate({
      messages: [],
      schema: characterBibleSchema,
      task: { name: "character_bible", input: { scripts: [script] } },
    });
    const names = result.value!.characters.map((character) => character.name);
    expect(names).toContain("Della");
    expect(names).toContain("Jim");
    expect(names.filter((name) => /James/.test(name))).toEqual([]);
  });

  it("passes screenplay scenes through, reading the heading", async () => {
    const result = await model.generate({
      messages: [],
      schema: scriptSchema,
      task: {
        name: "adapt_screenplay",
        input: {
          title: "Magi",
          scenes: [
            {
              heading: "INT. DELLA'S FLAT - NIGHT",
              elements: [
                { kind: "action", text: "Della counts coins on the table." },
                {
                  kind: "dialogue",
                  speaker: "DELLA (V.O.)",
                  text: "One dollar and eighty-seven cents.",
                  parenthetical: "(quietly)",
                },
              ],
            },
          ],
        },
      },
    });
    const scene = result.value!.scenes[0]!;
    expect(scene.location).toBe("Della's Flat");
    expect(scene.timeOfDay).toBe("night");
    expect(scene.beats[1]).toEqual({
      kind: "dialogue",
      speaker: "Della",
      text: "One dollar and eighty-seven cents.",
      parenthetical: "quietly",
    });
  });

  it("refuses requests without a named task, and unknown tasks, as provider.unsupported", async () => {
    const noTask = model.generate({ messages: [{ role: "user", content: "Write a poem" }] });
    await expect(noTask).rejects.toSatisfy(
      (error) => isProviderError(error) && error.code === "provider.unsupported",
    );
    await expect(noTask).rejects.toThrow(/only performs named tasks/);
    await expect(model.generate({ messages: [], task: { name: "summarize", input: {} } })).rejects.toThrow(
      /does not know the task "summarize"/,
    );
  });

  it("rejects invalid task input as provider.bad_request naming the field", async () => {
    const bad = model.generate({
      messages: [],
      task: { name: "adapt_chapter", input: { title: "T", ordinal: 0, paragraphs: [] } },
    });
    await expect(bad).rejects.toSatisfy((error) => isProviderError(error) && error.kind === "bad_request");
    await expect(bad).rejects.toThrow(/adapt_chapter task input is invalid at ordinal/);
  });
});
