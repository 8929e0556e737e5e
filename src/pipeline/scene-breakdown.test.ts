import { describe, expect, it } from "vitest";
import type { CharacterBible, Script } from "../script/index.ts";
import { breakDownScenes, castVoices } from "./stages/scene-breakdown.ts";

const scene = (
  ordinal: number,
  beats: Script["scenes"][number]["beats"],
  seconds = 60,
): Script["scenes"][number] => ({
  ordinal,
  source: { chapter: 1, firstParagraph: 0, lastParagraph: 0 },
  location: "a flat",
  timeOfDay: "evening",
  mood: "tender",
  visualDescription: "A small flat at dusk",
  beats,
  estimatedSeconds: seconds,
  key: false,
});

const script: Script = {
  version: 1,
  title: "The Gift",
  characters: [],
  scenes: [
    scene(1, [
      { kind: "narration", text: "Della counted the money." },
      { kind: "dialogue", speaker: "Della", text: "Jim will love it." },
    ]),
    scene(2, [
      { kind: "dialogue", speaker: "Jim", text: "Della, dear." },
      { kind: "dialogue", speaker: "Mrs. Young", text: "Yes, Jim?" },
    ]),
    scene(3, [
      { kind: "narration", text: "The end." },
      { kind: "dialogue", speaker: "Narrator", text: "I said no more." },
    ]),
  ],
};

const bible: CharacterBible = {
  version: 1,
  characters: [
    {
      name: "Della",
      aliases: ["Mrs. Young"],
      description: "young woman, long brown hair",
      voice: { gender: "female", age: "young" },
    },
    {
      name: "Jim",
      aliases: [],
      description: "young man, worn coat",
      voice: { gender: "male", age: "young" },
    },
  ],
};

describe("scene breakdown", () => {
  it("casts one voice per character, shared with its aliases", () => {
    const cast = castVoices([{ script }], bible);
    expect(cast.get("della")).toBe("female-young-1");
    expect(cast.get("mrs. young")).toBe("female-young-1");
    expect(cast.get("jim")).toBe("male-young-1");
  });

  it("numbers scenes, voices every beat and finds the characters present", () => {
    const planned = breakDownScenes([{ chapter: undefined, script }], bible, { narratorVoice: "narrator" });
    expect(planned.map((p) => p.ordinal)).toEqual([1, 2, 3]);
    expect(planned[0]?.voices).toEqual(["narrator", "female-young-1"]);
    expect(planned[1]?.voices).toEqual(["male-young-1", "female-young-1"]);
    expect(planned[0]?.characters.map((c) => c.name)).toEqual(["Della", "Jim"]);
    expect(planned[2]?.characters).toEqual([]);
    expect(planned[2]?.voices).toEqual(["narrator", "narrator"]);
  });

  it("keeps whole scenes up to the trim length, and at least one", () => {
    expect(breakDownScenes([{ chapter: undefined, script }], bible, { trimToSeconds: 130 })).toHaveLength(2);
    expect(breakDownScenes([{ chapter: undefined, script }], bible, { trimToSeconds: 10 })).toHaveLength(1);
  });
});
