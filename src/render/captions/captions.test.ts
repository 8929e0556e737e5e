import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CaptionStyleSchema } from "../timeline.ts";
import {
  assColour,
  formatAssTimestamp,
  formatTimestamp,
  splitCue,
  writeAss,
  writeSrt,
  writeVtt,
} from "./index.ts";

const style = CaptionStyleSchema.parse({});

describe("caption timestamps", () => {
  it("formats SRT with a comma and VTT with a dot", () => {
    expect(formatTimestamp(3723.456, ",")).toBe("01:02:03,456");
    expect(formatTimestamp(3723.456, ".")).toBe("01:02:03.456");
    expect(formatTimestamp(0, ",")).toBe("00:00:00,000");
    expect(formatAssTimestamp(62.345)).toBe("0:01:02.35");
  });

  it("round-trips any time to the millisecond", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99 * 3_600_000 - 1 }), (millis) => {
        const text = formatTimestamp(millis / 1000, ",");
        expect(text).toMatch(/^\d{2}:\d{2}:\d{2},\d{3}$/);
        const [h, m, rest] = text.split(":");
        const [s, ms] = (rest ?? "").split(",");
        expect(Number(h) * 3_600_000 + Number(m) * 60_000 + Number(s) * 1000 + Number(ms)).toBe(millis);
      }),
    );
  });
});

describe("SRT and VTT writers", () => {
  const cues = [
    { start: 0.5, end: 2.25, text: "Call me Ishmael." },
    { start: 2.5, end: 4, text: "Some years ago <never mind>\n\nhow long" },
  ];

  it("writes numbered SRT blocks without blank lines inside a cue", () => {
    expect(writeSrt(cues)).toBe(
      "1\n00:00:00,500 --> 00:00:02,250\nCall me Ishmael.\n\n2\n00:00:02,500 --> 00:00:04,000\nSome years ago <never mind>\nhow long\n",
    );
  });

  it("writes a WEBVTT header and escapes markup", () => {
    const vtt = writeVtt(cues);
    expect(vtt.startsWith("WEBVTT\n\n00:00:00.500 --> 00:00:02.250\n")).toBe(true);
    expect(vtt).toContain("Some years ago &lt;never mind&gt;");
  });
});

describe("ASS writer", () => {
  it("converts colours to &HAABBGGRR", () => {
    expect(assColour("#112233")).toBe("&H00332211");
    expect(assColour("#11223380")).toBe("&H7F332211");
  });

  it("writes the style and shifts cues into segment time, dropping those outside", () => {
    const ass = writeAss(
      [
        { start: 1, end: 2, text: "before" },
        { start: 10.5, end: 12, text: "inside {braces}" },
      ],
      { width: 320, height: 180, style: { ...style, position: "top" }, shift: 10, until: 5 },
    );
    expect(ass).toContain("PlayResX: 320");
    expect(ass).toMatch(/Style: Caption,DejaVu Sans,10,&H00FFFFFF,/);
    expect(ass).toContain("Dialogue: 0,0:00:00.50,0:00:02.00,Caption,,0,0,0,,inside \\{braces\\}");
    expect(ass).not.toContain("before");
    expect(ass).toMatch(/,8,\d+,\d+,\d+,1$/m);
  });

  it("splits long cues into pieces of at most maxLines lines, in time order", () => {
    const text = "one two three four five six seven eight nine ten eleven twelve";
    const parts = splitCue({ start: 0, end: 6, text }, 10, 2);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.lines.length).toBeLessThanOrEqual(2);
    expect(parts.map((part) => part.lines.join(" ")).join(" ")).toBe(text);
    expect(parts[0]?.start).toBe(0);
    expect(parts.at(-1)?.end).toBe(6);
    parts.slice(1).forEach((part, index) => {
      expect(part.start).toBeCloseTo(parts[index]?.end ?? -1);
    });
  });

  it("uses word timings for split points and karaoke highlights", () => {
    const words = [
      { text: "Hello", start: 0.2, end: 0.6 },
      { text: "brave", start: 0.7, end: 1.1 },
      { text: "world", start: 1.5, end: 2 },
    ];
    const ass = writeAss([{ start: 0, end: 2, text: "Hello brave world", words }], {
      width: 640,
      height: 360,
      style: { ...style, highlightWords: true },
    });
    expect(ass).toContain(",,{\\k20}{\\k50}Hello {\\k80}brave {\\k50}world");
    // The highlight colour is the primary colour (sung), the normal colour the secondary.
    expect(ass).toMatch(/Style: Caption,DejaVu Sans,\d+,&H0000D7FF,&H00FFFFFF,/);
    const parts = splitCue({ start: 0, end: 2, text: "Hello brave world", words }, 6, 1);
    expect(parts.map((part) => [part.start, part.end])).toEqual([
      [0, 0.7],
      [0.7, 1.5],
      [1.5, 2],
    ]);
  });
});

describe("writeAss shifting", () => {
  it("gives a segment the same captions wherever the segment starts (no float noise)", () => {
    const at = (offset: number) =>
      writeAss([{ start: offset + 0.305, end: offset + 1.305, text: "Hello there." }], {
        width: 640,
        height: 360,
        style,
        shift: offset,
        until: 5,
      });
    expect(at(16.04)).toBe(at(0));
    expect(at(123.48)).toBe(at(0));
    expect(at(0)).toContain("Dialogue: 0,0:00:00.31,0:00:01.31,Caption");
  });
});
