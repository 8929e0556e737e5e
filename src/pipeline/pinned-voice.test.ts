import { describe, expect, it } from "vitest";
import { pinnedVoice, unpinVoice } from "./pinned-voice.ts";

describe("pinned voices", () => {
  it("round-trips a cloned voice with its provider, and leaves plain voice names alone", () => {
    expect(unpinVoice(pinnedVoice("elevenlabs", "Xb7hH8w:2"))).toEqual({
      provider: "elevenlabs",
      voice: "Xb7hH8w:2",
    });
    expect(unpinVoice("narrator")).toEqual({ voice: "narrator" });
    expect(unpinVoice("female-adult-della")).toEqual({ voice: "female-adult-della" });
    expect(unpinVoice("Rachel")).toEqual({ voice: "Rachel" });
  });
});
