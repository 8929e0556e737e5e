import type { CaptionCue } from "../timeline.ts";
import { formatTimestamp } from "./caption-time.ts";

/** SubRip text for `cues`: numbered blocks with `HH:MM:SS,mmm --> HH:MM:SS,mmm`. */
export function writeSrt(cues: readonly CaptionCue[]): string {
  return cues
    .map(
      (cue, index) =>
        `${index + 1}\n${formatTimestamp(cue.start, ",")} --> ${formatTimestamp(cue.end, ",")}\n${cleanText(cue.text)}\n`,
    )
    .join("\n");
}

/** Cue text without blank lines (a blank line would end the cue early). */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .join("\n");
}
