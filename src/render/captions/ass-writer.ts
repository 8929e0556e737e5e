import type { CaptionCue, CaptionStyle, CaptionWord } from "../timeline.ts";
import { formatAssTimestamp } from "./caption-time.ts";

/** Options of {@link writeAss}. */
export interface AssOptions {
  readonly width: number;
  readonly height: number;
  readonly style: CaptionStyle;
  /** Seconds subtracted from every cue (a segment's start), so cue times are segment-local. */
  readonly shift?: number;
  /** Only cues overlapping [0, until) after the shift are written. */
  readonly until?: number;
}

/**
 * An ASS subtitle script for libass: one style from {@link CaptionStyle}, cues wrapped to at most
 * `maxLines` lines (longer cues are split in time), and with `highlightWords` a karaoke `\k` tag per
 * word so the spoken word turns the highlight colour.
 */
export function writeAss(cues: readonly CaptionCue[], options: AssOptions): string {
  const { width, height, style } = options;
  const shift = options.shift ?? 0;
  const until = options.until ?? Number.POSITIVE_INFINITY;
  const fontSize = Math.max(8, Math.round(style.size * height));
  const alignment = style.position === "bottom" ? 2 : style.position === "middle" ? 5 : 8;
  const margin = Math.round(height * 0.06);
  const primary = style.highlightWords ? assColour(style.highlightColour) : assColour(style.colour);
  const secondary = assColour(style.colour);
  const header = [
    "[Script Info]",
    "ScriptType: v4.00+",
    `PlayResX: ${width}`,
    `PlayResY: ${height}`,
    "WrapStyle: 2",
    "ScaledBorderAndShadow: yes",
    "",
    "[V4+ Styles]",
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
    `Style: Caption,${style.font.replace(/,/g, " ")},${fontSize},${primary},${secondary},${assColour(style.outlineColour)},&H80000000,${style.bold ? -1 : 0},0,0,0,100,100,0,0,1,${style.outline},0,${alignment},${margin},${margin},${margin},1`,
    "",
    "[Events]",
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
  ];
  const charsPerLine = Math.max(8, Math.floor((width - 2 * margin) / (fontSize * 0.6)));
  const events: string[] = [];
  for (const cue of cues) {
    for (const part of splitCue(cue, charsPerLine, style.maxLines)) {
      // Subtract in whole milliseconds: float noise (16.34 - 16.04 = 0.2999…) must not move a cue by a
      // centisecond, or a segment's captions — and its cache key — would change with earlier scenes.
      const start = (Math.round(part.start * 1000) - Math.round(shift * 1000)) / 1000;
      const end = (Math.round(part.end * 1000) - Math.round(shift * 1000)) / 1000;
      if (end <= 0 || start >= until) continue;
      const text = style.highlightWords && part.words ? karaoke(part) : escapeAss(part.lines.join("\n"));
      events.push(
        `Dialogue: 0,${formatAssTimestamp(Math.max(0, start))},${formatAssTimestamp(end)},Caption,,0,0,0,,${text}`,
      );
    }
  }
  return `${[...header, ...events].join("\n")}\n`;
}

/** A cue piece that fits on screen. */
interface CuePart {
  readonly start: number;
  readonly end: number;
  readonly lines: readonly string[];
  readonly words: readonly CaptionWord[] | undefined;
}

/**
 * Wraps a cue's words into lines of at most `charsPerLine` characters and cuts it into pieces of at
 * most `maxLines` lines; each piece keeps its words' timings, or a share of the cue proportional to
 * its characters when the cue has no word timings.
 */
export function splitCue(cue: CaptionCue, charsPerLine: number, maxLines: number): CuePart[] {
  const words = cue.words && cue.words.length > 0 ? cue.words : undefined;
  const tokens = words ? words.map((word) => word.text) : cue.text.split(/\s+/).filter(Boolean);
  const lines: { tokens: number[] }[] = [];
  let current: number[] = [];
  let length = 0;
  tokens.forEach((token, index) => {
    const added = current.length === 0 ? token.length : length + 1 + token.length;
    if (current.length > 0 && added > charsPerLine) {
      lines.push({ tokens: current });
      current = [index];
      length = token.length;
    } else {
      current.push(index);
      length = added;
    }
  });
  if (current.length > 0) lines.push({ tokens: current });
  const pieces: { tokens: number[]; lines: string[] }[] = [];
  for (let index = 0; index < lines.length; index += maxLines) {
    const group = lines.slice(index, index + maxLines);
    pieces.push({
      tokens: group.flatMap((line) => line.tokens),
      lines: group.map((line) => line.tokens.map((token) => tokens[token] ?? "").join(" ")),
    });
  }
  if (pieces.length <= 1) {
    return [{ start: cue.start, end: cue.end, lines: pieces[0]?.lines ?? [cue.text], words }];
  }
  const totalChars = pieces.reduce((sum, piece) => sum + piece.lines.join(" ").length, 0);
  let cursor = cue.start;
  return pieces.map((piece, index) => {
    const pieceWords = words
      ? piece.tokens.map((token) => words[token]).filter((word) => word !== undefined)
      : undefined;
    const share = ((cue.end - cue.start) * piece.lines.join(" ").length) / totalChars;
    const last = index === pieces.length - 1;
    const start = pieceWords?.[0] && index > 0 ? pieceWords[0].start : cursor;
    const nextWords = pieces[index + 1] && words ? words[pieces[index + 1]?.tokens[0] ?? -1] : undefined;
    const end = last ? cue.end : (nextWords?.start ?? cursor + share);
    cursor = end;
    return { start, end, lines: piece.lines, words: pieceWords };
  });
}

/**
 * Karaoke text: each word's `\k` runs from its own start to the next word's start, so the highlight
 * lands when the word is spoken; an empty syllable covers the lead-in before the first word.
 */
function karaoke(part: CuePart): string {
  const words = part.words ?? [];
  const centis = (time: number): number => Math.max(0, Math.round((time - part.start) * 100));
  const lead = centis(words[0]?.start ?? part.start);
  let wordIndex = 0;
  const lines = part.lines.map((line) => {
    const count = line.split(" ").length;
    const tagged = words.slice(wordIndex, wordIndex + count).map((word, offset) => {
      const next = words[wordIndex + offset + 1];
      const duration = centis(next ? next.start : part.end) - centis(word.start);
      return `{\\k${Math.max(0, duration)}}${escapeAss(word.text)}`;
    });
    wordIndex += count;
    return tagged.join(" ");
  });
  return `${lead > 0 ? `{\\k${lead}}` : ""}${lines.join("\\N")}`;
}

/** ASS `&HAABBGGRR` from `#rrggbb[aa]` (ASS alpha is inverted: 00 = opaque). */
export function assColour(hex: string): string {
  const r = hex.slice(1, 3);
  const g = hex.slice(3, 5);
  const b = hex.slice(5, 7);
  const alpha = hex.length === 9 ? 255 - Number.parseInt(hex.slice(7, 9), 16) : 0;
  return `&H${alpha.toString(16).padStart(2, "0")}${b}${g}${r}`.toUpperCase();
}

function escapeAss(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\{/g, "\\{").replace(/\}/g, "\\}").replace(/\r?\n/g, "\\N");
}
