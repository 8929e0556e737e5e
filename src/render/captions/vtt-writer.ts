import type { CaptionCue } from "../timeline.ts";
import { formatTimestamp } from "./caption-time.ts";
import { cleanText } from "./srt-writer.ts";

/** WebVTT text for `cues`, with `HH:MM:SS.mmm` timings and `<`, `>`, `&` escaped. */
export function writeVtt(cues: readonly CaptionCue[]): string {
  const blocks = cues.map(
    (cue) =>
      `${formatTimestamp(cue.start, ".")} --> ${formatTimestamp(cue.end, ".")}\n${escapeVtt(cleanText(cue.text).replace(/-->/g, "->"))}\n`,
  );
  return ["WEBVTT\n", ...blocks].join("\n");
}

function escapeVtt(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
