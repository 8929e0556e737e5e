import type { Mood, TimeOfDay } from "../../../script/index.ts";
import { lowerWords, splitSentences } from "./prose-text.ts";

/** Words that place a scene, the most specific first (a "kitchen" says more than a "house"). */
const PLACES = [
  "kitchen",
  "bedroom",
  "parlour",
  "parlor",
  "flat",
  "apartment",
  "attic",
  "cellar",
  "shop",
  "store",
  "office",
  "library",
  "church",
  "chapel",
  "tavern",
  "inn",
  "hall",
  "castle",
  "palace",
  "cottage",
  "cabin",
  "ship",
  "deck",
  "harbour",
  "harbor",
  "beach",
  "shore",
  "sea",
  "ocean",
  "island",
  "river",
  "lake",
  "forest",
  "woods",
  "garden",
  "park",
  "field",
  "meadow",
  "hill",
  "mountain",
  "valley",
  "road",
  "street",
  "avenue",
  "square",
  "market",
  "village",
  "town",
  "city",
  "station",
  "room",
  "house",
  "home",
];

const PLACE_PHRASE = new RegExp(
  String.raw`\b(?:in|at|into|to|on|inside|outside|through|across|reached|entered|near|by)\s+((?:the|a|an|her|his|their|our|my)\s+(?:[a-z-]+\s+){0,2}(?:${PLACES.join("|")}))\b`,
  "i",
);

/** Cue words of each time of day, in the order they are tried. */
const TIME_CUES: readonly [TimeOfDay, RegExp][] = [
  ["dawn", /\b(?:dawn|daybreak|sunrise|first light)\b/i],
  ["dusk", /\b(?:dusk|sunset|twilight|nightfall)\b/i],
  [
    "night",
    /\b(?:night|midnight|moon|moonlight|stars|candle|lamplight)\b|\b(?:9|10|11|nine|ten|eleven) o'clock\b/i,
  ],
  ["evening", /\b(?:evening|supper|dinner|eve)\b|\b(?:5|6|7|8|five|six|seven|eight) o'clock\b/i],
  ["afternoon", /\b(?:afternoon|teatime)\b/i],
  ["morning", /\b(?:morning|breakfast)\b/i],
  ["day", /\b(?:noon|midday|sunshine|sunlight|daylight|next day|today)\b/i],
];

/** Mood lexicons: word stems scored per scene; the best with at least two hits wins. */
const MOOD_WORDS: readonly [Mood, RegExp][] = [
  [
    "tender",
    /\b(?:love\w*|darling|dear\w*|kiss\w*|tender\w*|gentl\w*|sweet\w*|embrace\w*|hug\w*|fond\w*)\b/gi,
  ],
  [
    "joyful",
    /\b(?:laugh\w*|joy\w*|happ\w*|glad\w*|delight\w*|merr\w*|cheer\w*|smil\w*|ecsta\w*|danc\w*)\b/gi,
  ],
  [
    "somber",
    /\b(?:sad\w*|sob\w*|tears?|wept|weep\w*|cr(?:y|ied|ies)|grief|gr[ae]y|dull\w*|poor|shabby|alone|sorrow\w*|howl\w*)\b/gi,
  ],
  [
    "tense",
    /\b(?:fear\w*|afraid|danger\w*|quick\w*|pant\w*|trembl\w*|nervous\w*|anger|angry|hurr\w*|rac(?:e|ed|ing)|whiten\w*)\b/gi,
  ],
  [
    "mysterious",
    /\b(?:shadow\w*|dark\w*|strange\w*|secret\w*|mist\w*|silen\w*|whisper\w*|mysterious\w*|ghost\w*)\b/gi,
  ],
  [
    "dramatic",
    /\b(?:sudden\w*|scream\w*|storm\w*|fire|blood\w*|crash\w*|fierce\w*|wild\w*|hysteric\w*|shriek\w*|fell|leap\w*)\b/gi,
  ],
  ["calm", /\b(?:quiet\w*|still|peace\w*|calm\w*|slow\w*|rest\w*|soft\w*|serene\w*)\b/gi],
];

/** Words that make a sentence a good still image: things one can see. */
const VISUAL =
  /\b(?:window|door|mirror|hair|eyes|face|light|lamp|fire|snow|rain|street|table|couch|chair|coat|hat|watch|chain|comb\w*|box|cat|fence|tree|sea|sky|sun|moon|gold|silver|brown|gray|grey|red|white|black|green|blue|shining|glass|stairs|candle|flowers?)\b/gi;

/** Verbs of movement that make a scene worth animating. */
const MOTION =
  /\b(?:ran|run|rush\w*|leap\w*|jump\w*|danc\w*|whirl\w*|fell|flung|tore|ripp\w*|hurr\w*|flew|fled|chas\w*|storm\w*|wav\w*|cascad\w*|rippl\w*)\b/gi;

/** The first place a text names ("the shabby little flat"), if any. */
export function findLocation(text: string): string | undefined {
  const home = /\b(?:reached|returned|got|came|arrived|went|at)\s+home\b/i.exec(text);
  const match = PLACE_PHRASE.exec(text);
  if (home && (!match || home.index < match.index)) return "home";
  if (!match?.[1]) return undefined;
  return match[1].replace(/^(?:her|his|their|our|my)\s/i, "the ").toLowerCase();
}

/** The time of day a text gives, trying its first sentences before the rest. */
export function findTimeOfDay(text: string): TimeOfDay | undefined {
  const opening = splitSentences(text).slice(0, 3).join(" ");
  for (const source of [opening, text]) {
    let best: { time: TimeOfDay; at: number } | undefined;
    for (const [time, cue] of TIME_CUES) {
      const at = source.search(cue);
      if (at >= 0 && (!best || at < best.at)) best = { time, at };
    }
    if (best) return best.time;
  }
  return undefined;
}

/** The dominant mood of a text from word lexicons; `neutral` when nothing stands out. */
export function findMood(text: string): Mood {
  let best: { mood: Mood; score: number } = { mood: "neutral", score: 1 };
  for (const [mood, words] of MOOD_WORDS) {
    const score = text.match(words)?.length ?? 0;
    if (score > best.score) best = { mood, score };
  }
  return best.mood;
}

/** The sentence that makes the best still image: the most visible things, at a readable length. */
export function findKeyImage(narration: string): string | undefined {
  let best: { sentence: string; score: number } | undefined;
  for (const sentence of splitSentences(narration)) {
    const words = lowerWords(sentence).length;
    if (words < 5) continue;
    const visible = sentence.match(VISUAL)?.length ?? 0;
    const score = visible * 3 - Math.abs(words - 18) / 6;
    if (!best || score > best.score) best = { sentence, score };
  }
  return best?.sentence;
}

/** How much movement a text shows (to choose the scenes worth image-to-video). */
export function motionScore(text: string): number {
  return text.match(MOTION)?.length ?? 0;
}

/** "at night", "in the morning": the time of day as a phrase for a description. */
export function timePhrase(time: TimeOfDay): string {
  switch (time) {
    case "dawn":
      return "at dawn";
    case "morning":
      return "in the morning";
    case "day":
      return "by day";
    case "afternoon":
      return "in the afternoon";
    case "evening":
      return "in the evening";
    case "dusk":
      return "at dusk";
    case "night":
      return "at night";
    case "unknown":
      return "";
  }
}
