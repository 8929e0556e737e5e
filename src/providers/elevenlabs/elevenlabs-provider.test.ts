import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createElevenLabsFake, type ElevenLabsFake } from "../../../test/fakes/elevenlabs-fake.ts";
import { fakeMedia } from "../../../test/fakes/fake-media.ts";
import { isProviderError, type ProviderError } from "../provider-error.ts";
import { alignmentToWords } from "./alignment-to-words.ts";
import { createElevenLabs, type ElevenLabsProvider } from "./elevenlabs-provider.ts";

let fake: ElevenLabsFake;
let elevenlabs: ElevenLabsProvider;
const RACHEL = "21m00Tcm4TlvDq8ikWAM";
const line = { text: "The lamp went out, and the sea grew loud.", voice: RACHEL };

beforeAll(async () => {
  fake = await createElevenLabsFake();
  elevenlabs = createElevenLabs({ apiKey: fake.apiKey, baseURL: fake.baseURL });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.server.resetFaultsAndCalls();
  fake.charges.length = 0;
});

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

describe("ElevenLabs provider against the fake", () => {
  it("speaks with word timings from the alignment and the billed character count", async () => {
    const result = await elevenlabs
      .model("voice", "eleven_multilingual_v2")
      .generate({ ...line, speed: 1.1, seed: 3 });
    expect(Buffer.from(result.audio).equals(fakeMedia().mp3)).toBe(true);
    expect(result.mediaType).toBe("audio/mpeg");
    expect(result.durationSeconds).toBeCloseTo(1.567, 1);
    expect(result.characters).toBe(line.text.length);
    expect(result.characters).toBe(fake.totalCharacters());
    expect(result.words?.map((word) => word.word)).toEqual(line.text.split(" "));
    const words = result.words!;
    for (let index = 1; index < words.length; index++) {
      expect(words[index]!.start).toBeGreaterThanOrEqual(words[index - 1]!.end);
      expect(words[index]!.end).toBeGreaterThan(words[index]!.start);
    }
    const sent = fake.server.requests[0]!;
    expect(sent.path).toBe(`/v1/text-to-speech/${RACHEL}/with-timestamps`);
    expect(sent.headers["xi-api-key"]).toBe(fake.apiKey);
    expect(sent.json).toMatchObject({
      model_id: "eleven_multilingual_v2",
      voice_settings: { speed: 1.1 },
      seed: 3,
    });
    expect(sent.json).not.toHaveProperty("language_code");
  });

  it("sends language_code only to the v2.5 models that accept it", async () => {
    await elevenlabs.model("voice", "eleven_flash_v2_5").generate({ ...line, language: "fr" });
    expect(fake.server.requests[0]!.json).toMatchObject({ language_code: "fr" });
  });

  it("groups characters into words across whitespace", () => {
    const words = alignmentToWords({
      characters: ["H", "i", " ", " ", "y", "o", "u", "!"],
      character_start_times_seconds: [0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6],
      character_end_times_seconds: [0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7],
    });
    expect(words).toEqual([
      { word: "Hi", start: 0, end: 0.2 },
      { word: "you!", start: 0.3, end: 0.7 },
    ]);
  });

  it("clones a voice from multipart samples and then speaks with it", async () => {
    const sample = { data: fakeMedia().mp3, mediaType: "audio/mpeg" };
    const { voiceId } = await elevenlabs
      .model("voice_clone", "instant-voice-clone")
      .clone({ name: "Narrator", description: "warm", samples: [sample, sample] });
    expect(fake.voices.some((voice) => voice.voice_id === voiceId && voice.name === "Narrator")).toBe(true);
    const voices = await elevenlabs.listVoices();
    expect(voices.map((voice) => voice.voice_id)).toContain(voiceId);
    const spoken = await elevenlabs
      .model("voice", "eleven_multilingual_v2")
      .generate({ text: "Hello.", voice: voiceId });
    expect(spoken.characters).toBe(6);
  });

  it("maps validation and unknown voices", async () => {
    const notAudio = await failure(
      elevenlabs
        .model("voice_clone", "instant-voice-clone")
        .clone({ name: "X", samples: [{ data: fakeMedia().png, mediaType: "image/png" }] }),
    );
    expect([notAudio.kind, notAudio.status]).toEqual(["bad_request", 422]);
    expect(notAudio.message).toContain("is not audio");
    const unknown = await failure(
      elevenlabs.model("voice", "eleven_multilingual_v2").generate({ ...line, voice: "nobody" }),
    );
    expect([unknown.kind, unknown.providerCode]).toEqual(["not_found", "voice_not_found"]);
    const tooLong = await failure(
      elevenlabs.model("voice", "eleven_multilingual_v2").generate({ ...line, text: "a".repeat(10_001) }),
    );
    expect([tooLong.kind, tooLong.providerCode]).toEqual(["bad_request", "max_character_limit_exceeded"]);
  });

  const errorCases = [
    { status: 401, code: undefined, kind: "auth", retryable: false },
    { status: 401, code: "quota_exceeded", kind: "no_credits", retryable: false },
    { status: 402, code: undefined, kind: "no_credits", retryable: false },
    { status: 403, code: undefined, kind: "auth", retryable: false },
    { status: 422, code: undefined, kind: "bad_request", retryable: false },
    { status: 429, code: undefined, kind: "rate_limited", retryable: true },
    { status: 429, code: "system_busy", kind: "rate_limited", retryable: true },
    { status: 500, code: undefined, kind: "server", retryable: true },
    { status: 503, code: undefined, kind: "server", retryable: true },
  ] as const;
  it.each(errorCases)(
    "maps HTTP $status $code to $kind in both envelopes",
    async ({ status, code, kind, retryable }) => {
      const model = elevenlabs.model("voice", "eleven_multilingual_v2");
      for (const variant of ["old", "new"]) {
        fake.server.fail("tts-timestamps", { kind: "error", status, code, variant, retryAfterSeconds: 2 });
        const error = await failure(model.generate(line));
        expect([error.kind, error.status, error.retryable]).toEqual([kind, status, retryable]);
        expect(error.retryAfterMs).toBe(2000);
      }
      expect(fake.charges).toHaveLength(0);
    },
  );

  it("rejects a wrong key, transport faults and unsupported requests", async () => {
    const wrong = createElevenLabs({ apiKey: "nope", baseURL: fake.baseURL });
    expect((await failure(wrong.model("voice", "eleven_multilingual_v2").generate(line))).kind).toBe("auth");
    const model = elevenlabs.model("voice", "eleven_multilingual_v2");
    fake.server.fail("tts-timestamps", { kind: "truncated-json" });
    expect((await failure(model.generate(line))).kind).toBe("network");
    fake.server.fail("tts-timestamps", { kind: "wrong-content-type" });
    expect((await failure(model.generate(line))).kind).toBe("invalid_response");
    fake.server.fail("tts-timestamps", { kind: "hang" });
    expect((await failure(model.generate(line, { signal: AbortSignal.timeout(150) }))).kind).toBe("timeout");
    expect(() => elevenlabs.model("image", "x")).toThrow(/not supported/);
    const calls = fake.server.calls();
    const empty = await failure(
      elevenlabs.model("voice_clone", "instant-voice-clone").clone({ name: "X", samples: [] }),
    );
    expect(empty.kind).toBe("bad_request");
    expect(fake.server.calls()).toBe(calls);
  });
});
