import type { WordTiming } from "../types.ts";
import type { ElevenLabsAlignment } from "./elevenlabs-api-types.ts";

/**
 * Groups ElevenLabs' per-character alignment into words: a word is a run of non-whitespace characters,
 * starting when its first character starts and ending when its last one ends. Arrays of unequal length
 * are cut to the shortest.
 */
export function alignmentToWords(alignment: ElevenLabsAlignment): WordTiming[] {
  const count = Math.min(
    alignment.characters.length,
    alignment.character_start_times_seconds.length,
    alignment.character_end_times_seconds.length,
  );
  const words: WordTiming[] = [];
  let text = "";
  let start = 0;
  let end = 0;
  for (let index = 0; index < count; index++) {
    const character = alignment.characters[index]!;
    if (/^\s*$/.test(character)) {
      if (text) words.push({ word: text, start, end });
      text = "";
      continue;
    }
    if (!text) start = alignment.character_start_times_seconds[index]!;
    text += character;
    end = Math.max(end, alignment.character_end_times_seconds[index]!);
  }
  if (text) words.push({ word: text, start, end });
  return words;
}
