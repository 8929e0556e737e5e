import { describe, expect, it } from "vitest";
import { z } from "zod";
import { estimateBeatsSeconds, estimateSpeechSeconds } from "./estimate-duration.ts";
import { SCRIPT_SCHEMA_VERSION, type Script, scriptSchema } from "./script-schema.ts";

const script: Script = {
  version: SCRIPT_SCHEMA_VERSION,
  title: "The Gift of the Magi",
  characters: [
    {
      name: "Della",
      aliases: ["Dell"],
      description: "Della, a young woman.",
      voice: { gender: "female", age: "young" },
    },
  ],
  scenes: [
    {
      ordinal: 1,
      source: { chapter: 1, firstParagraph: 0, lastParagraph: 2 },
      location: "the flat",
      timeOfDay: "evening",
      mood: "tender",
      visualDescription: "The flat, in the evening. Della is there.",
      beats: [
        { kind: "narration", text: "One dollar and eighty-seven cents." },
        { kind: "dialogue", speaker: "Della", text: "Will you buy my hair?", parenthetical: "quietly" },
      ],
      estimatedSeconds: 3.3,
      key: false,
    },
  ],
};

describe("script schema", () => {
  it("accepts a well-formed script and round-trips it through JSON", () => {
    expect(scriptSchema.parse(JSON.parse(JSON.stringify(script)))).toEqual(script);
  });

  it("rejects a reversed paragraph range, an unknown beat kind and a missing version", () => {
    const reversed = structuredClone(script);
    reversed.scenes[0]!.source = { chapter: 1, firstParagraph: 3, lastParagraph: 2 };
    expect(scriptSchema.safeParse(reversed).error?.issues[0]?.path).toEqual([
      "scenes",
      0,
      "source",
      "lastParagraph",
    ]);
    const badBeat = structuredClone(script) as unknown as { scenes: { beats: unknown[] }[] };
    badBeat.scenes[0]!.beats.push({ kind: "song", text: "la" });
    expect(scriptSchema.safeParse(badBeat).success).toBe(false);
    const { version: _version, ...unversioned } = script;
    expect(scriptSchema.safeParse(unversioned).success).toBe(false);
  });

  it("converts to a JSON schema for LLM structured output, with every scene field required", () => {
    const json = z.toJSONSchema(scriptSchema) as unknown as {
      properties: { scenes: { items: { required: string[]; additionalProperties: boolean } } };
    };
    const scene = json.properties.scenes.items;
    expect(scene.required).toEqual(
      expect.arrayContaining([
        "ordinal",
        "source",
        "location",
        "timeOfDay",
        "mood",
        "beats",
        "estimatedSeconds",
        "key",
      ]),
    );
    expect(scene.additionalProperties).toBe(false);
  });

  it("estimates speech at narration pace, with a pause between beats", () => {
    expect(estimateSpeechSeconds("word ".repeat(155))).toBe(60);
    expect(estimateSpeechSeconds("It's twenty-two o'clock")).toBe(1.2);
    expect(estimateBeatsSeconds(script.scenes[0]!.beats)).toBe(4.1); // 1.9 s + 1.9 s of speech + a 0.35 s pause
  });
});
