import { describe, expect, it } from "vitest";
import { ELEVENLABS_LOGICAL_VOICE_IDS, elevenLabsVoiceId } from "./voice-catalog.ts";

describe("voice catalog", () => {
  it("maps logical voices to ElevenLabs premade voices by hints, deterministically", () => {
    expect(elevenLabsVoiceId("narrator")).toBe("JBFqnCBsd6RMkjVDRZzb");
    expect(elevenLabsVoiceId("female-young-1")).toBe("EXAVITQu4vr4xnSDxMaL");
    expect(elevenLabsVoiceId("female-young-2")).toBe("AZnzlk1XvdvUeBnXmlld");
    expect(elevenLabsVoiceId("male-adult-1")).toBe("pNInz6obpgDQGcFmaJgB");
    expect(elevenLabsVoiceId("male-adult-4")).toBe(elevenLabsVoiceId("male-adult-1"));
    expect(elevenLabsVoiceId("neutral-adult-1")).not.toBe(elevenLabsVoiceId("female-adult-1"));
  });

  it("passes provider voice ids through untouched", () => {
    expect(elevenLabsVoiceId("21m00Tcm4TlvDq8ikWAM")).toBe("21m00Tcm4TlvDq8ikWAM");
    expect(elevenLabsVoiceId("my-cloned-voice")).toBe("my-cloned-voice");
  });

  it("lists every id it can produce", () => {
    for (const voice of ["narrator", "female-child-1", "male-elderly-2", "neutral-young-3"]) {
      expect(ELEVENLABS_LOGICAL_VOICE_IDS).toContain(elevenLabsVoiceId(voice));
    }
  });
});
