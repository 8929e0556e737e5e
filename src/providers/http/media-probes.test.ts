import { describe, expect, it } from "vitest";
import { fakeMedia } from "../../../test/fakes/fake-media.ts";
import { audioDurationSeconds } from "./audio-duration.ts";
import { parseRetryAfter, secondsToMs } from "./retry-after.ts";
import { sniffMediaType } from "./sniff-media-type.ts";
import { pngSize, videoDurationSeconds } from "./video-duration.ts";

function wav(seconds: number, sampleRate = 8000): Uint8Array {
  const dataBytes = Math.round(seconds * sampleRate) * 2;
  const buffer = Buffer.alloc(44 + dataBytes);
  buffer.write("RIFF", 0);
  buffer.writeUInt32LE(36 + dataBytes, 4);
  buffer.write("WAVEfmt ", 8);
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(sampleRate, 24);
  buffer.writeUInt32LE(sampleRate * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write("data", 36);
  buffer.writeUInt32LE(dataBytes, 40);
  return buffer;
}

describe("media probes", () => {
  it("reads durations and sizes of real files", () => {
    const { mp3, mp4, png } = fakeMedia();
    expect(audioDurationSeconds(mp3)).toBeCloseTo(1.567, 1);
    expect(audioDurationSeconds(wav(2.5))).toBeCloseTo(2.5, 3);
    expect(videoDurationSeconds(mp4)).toBeCloseTo(2, 2);
    expect(pngSize(png)).toEqual({ width: 64, height: 64 });
    expect(audioDurationSeconds(png)).toBeUndefined();
    expect(pngSize(mp3)).toBeUndefined();
  });

  it("sniffs media types from magic bytes", () => {
    const { mp3, mp4, png } = fakeMedia();
    expect([sniffMediaType(png), sniffMediaType(mp3), sniffMediaType(mp4), sniffMediaType(wav(0.1))]).toEqual(
      ["image/png", "audio/mpeg", "video/mp4", "audio/wav"],
    );
    expect(sniffMediaType(new TextEncoder().encode("<!doctype html>"))).toBeUndefined();
  });
});

describe("Retry-After", () => {
  it("parses delta seconds, HTTP dates and body seconds", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter("1.5", now)).toBe(1500);
    expect(parseRetryAfter("Tue, 24 Nov 2026 12:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Tue, 24 Nov 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(secondsToMs(30)).toBe(30_000);
    expect(secondsToMs("2")).toBe(2000);
    expect(secondsToMs(-1)).toBeUndefined();
  });
});
