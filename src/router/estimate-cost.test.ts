import { describe, expect, it } from "vitest";
import type { ChainEntry, ModelPrice } from "../config/index.ts";
import {
  actualCost,
  countChatTokens,
  DEFAULT_ESTIMATED_OUTPUT_TOKENS,
  estimateCost,
} from "./estimate-cost.ts";

const entry = (price: ModelPrice): ChainEntry => ({ provider: "p", model: "m", price, source: "test" });
const tokens = entry({ unit: "tokens", inputPerMillionMicros: 150_000, outputPerMillionMicros: 600_000 });

function wav(seconds: number, byteRate = 32_000): Uint8Array {
  const dataBytes = Math.round(seconds * byteRate);
  const buffer = new ArrayBuffer(44 + dataBytes);
  const view = new DataView(buffer);
  const text = (offset: number, value: string) => {
    for (let i = 0; i < value.length; i++) view.setUint8(offset + i, value.charCodeAt(i));
  };
  text(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, byteRate / 2, true);
  view.setUint32(28, byteRate, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, dataBytes, true);
  return new Uint8Array(buffer);
}

describe("estimateCost", () => {
  it("counts chat tokens with the o200k tokenizer plus message framing", () => {
    // "Hello world" is two o200k tokens; 4 per message and 3 to prime the reply.
    expect(countChatTokens([{ role: "user", content: "Hello world" }])).toBe(2 + 4 + 3);
    expect(countChatTokens([])).toBe(3);
  });

  it("prices tokens in and out, assuming maxOutputTokens (or the default) for the reply", () => {
    const request = { messages: [{ role: "user" as const, content: "Hello world" }], maxOutputTokens: 1000 };
    // 9 input tokens at $0.15/M = 1.35 -> 1 micro; 1000 output tokens at $0.60/M = 600 micros.
    expect(estimateCost(tokens, request)).toEqual({
      micros: 601,
      unit: "tokens",
      quantity: 1009,
      inputTokens: 9,
      outputTokens: 1000,
    });
    const withoutLimit = estimateCost(tokens, { messages: [] });
    expect(withoutLimit.outputTokens).toBe(DEFAULT_ESTIMATED_OUTPUT_TOKENS);
  });

  it("prices characters as spoken (code points), images, seconds and requests", () => {
    const characters = entry({ unit: "characters", perThousandMicros: 100_000 });
    expect(estimateCost(characters, { text: "héllo 👋", voice: "v" })).toMatchObject({
      micros: 700,
      quantity: 7,
    });
    expect(
      estimateCost(entry({ unit: "image", perImageMicros: 4000 }), { prompt: "x", width: 1, height: 1 }),
    ).toMatchObject({
      micros: 4000,
      quantity: 1,
    });
    const perSecond = entry({ unit: "second", perSecondMicros: 50_000 });
    const image = { data: new Uint8Array(), mediaType: "image/png" };
    expect(estimateCost(perSecond, { image, durationSeconds: 5.5, width: 1, height: 1 }).micros).toBe(
      275_000,
    );
    expect(
      estimateCost(entry({ unit: "request", perRequestMicros: 7 }), { name: "n", samples: [] }).micros,
    ).toBe(7);
  });

  it("reads a lip-sync's duration from its WAV audio", () => {
    const perSecond = entry({ unit: "second", perSecondMicros: 50_000 });
    const face = { data: new Uint8Array(), mediaType: "image/png" };
    const estimate = estimateCost(perSecond, { face, audio: { data: wav(2.5), mediaType: "audio/wav" } });
    expect(estimate).toMatchObject({ quantity: 2.5, micros: 125_000 });
  });
});

describe("actualCost", () => {
  const request = { messages: [{ role: "user" as const, content: "Hi" }] };
  const result = {
    text: "",
    value: undefined,
    usage: { inputTokens: 2000, outputTokens: 1000 },
    modelId: "m",
  };

  it("computes the cost from the usage the provider reports", () => {
    expect(actualCost(tokens, request, result)).toMatchObject({ micros: 300 + 600, inputTokens: 2000 });
  });

  it("takes the provider's own figure when it reports one", () => {
    expect(actualCost(tokens, request, { ...result, costMicros: 1234 }).micros).toBe(1234);
  });

  it("bills the characters the provider counted and the seconds it produced", () => {
    const characters = entry({ unit: "characters", perThousandMicros: 100_000 });
    const speech = {
      audio: new Uint8Array(),
      mediaType: "audio/mpeg",
      durationSeconds: 1,
      characters: 1500,
      modelId: "m",
    };
    expect(actualCost(characters, { text: "short", voice: "v" }, speech).micros).toBe(150_000);
    const perSecond = entry({ unit: "second", perSecondMicros: 100_000 });
    const video = { video: new Uint8Array(), mediaType: "video/mp4", durationSeconds: 8, modelId: "m" };
    const image = { data: new Uint8Array(), mediaType: "image/png" };
    expect(actualCost(perSecond, { image, durationSeconds: 5, width: 1, height: 1 }, video).micros).toBe(
      800_000,
    );
  });
});
