import type { WordTiming } from "../providers/index.ts";
import type { CaptionCue, Chapter, Clip, Motion, TimelineInput } from "../render/index.ts";
import { fnv1a, speechStopAfter } from "../script/index.ts";
import { wordsToCues } from "./captions.ts";

/** Where one beat's speech starts and ends in its scene's audio, in seconds. */
interface BeatSpan {
  readonly start: number;
  readonly end: number;
}

/** One scene as post-processing sees it: local files and timings. */
export interface TimelineScene {
  readonly id: string;
  readonly chapterOrdinal: number;
  readonly chapterTitle: string;
  /** The still (or an animated clip in `videoPath`). */
  readonly imagePath: string;
  readonly videoPath?: string | undefined;
  readonly audioPath: string;
  readonly audioSeconds: number;
  /** Word timings relative to the scene's audio. */
  readonly words: readonly WordTiming[];
  /** Where each beat's speech starts and ends in the scene's audio. */
  readonly beats?: readonly BeatSpan[] | undefined;
}

/** Everything the timeline needs besides the scenes. */
export interface TimelineOptions {
  readonly title: string;
  readonly author?: string | null | undefined;
  readonly width: number;
  readonly height: number;
  /** Narrated stills move slowly: 25 fps looks smooth and encodes a sixth fewer frames than 30. @defaultValue 25 */
  readonly fps?: number | undefined;
  readonly watermark?: string | undefined;
  readonly musicPath?: string | undefined;
  /** Seconds of the opening title card. @defaultValue 3 */
  readonly titleSeconds?: number | undefined;
}

/** Silence kept after a scene's last word before the next scene. */
const TAIL_SECONDS = 0.7;
/** Fade through black between scenes: it changes no length, so each segment stays self-contained. */
const FADE_SECONDS = 0.6;
/** A shot has at least this much of the scene (cut to cut, in the middle of pauses). */
const MIN_SHOT_SECONDS = 8;
/** A shot longer than this is cut again inside, by the same rule. */
const MAX_SHOT_SECONDS = 20;
/** How long before a shot's first word its first caption may come up. */
const CUE_LEAD_SECONDS = 0.35;
/** How long a shot's last caption may stay up after its last word. */
const CUE_HOLD_SECONDS = 1.2;
/** The shortest clip of a scene. */
const MIN_SCENE_SECONDS = 2;

const MOTIONS: readonly Omit<Motion, "easing">[] = [
  { type: "zoom-in", direction: "right", amount: 0.15 },
  { type: "pan", direction: "right", amount: 0.12 },
  { type: "zoom-out", direction: "right", amount: 0.15 },
  { type: "pan", direction: "left", amount: 0.12 },
];

/** One shot of a scene: a run of speech units, with the silence it keeps before and after its speech. */
interface Shot {
  /** Seconds into the scene's audio where the shot's speech starts and ends. */
  readonly speechStart: number;
  readonly speechEnd: number;
  readonly lead: number;
  readonly tail: number;
  /** Where the scene's move stands at the shot's start and end (0 and 1 at the scene's edges). */
  readonly moveFrom: number;
  readonly moveTo: number;
}

/** A piece of speech a shot may end after. */
interface SpeechUnit extends BeatSpan {
  /** How good a cut after it is: 2 at the end of a line, 1 of a sentence, 0 of a clause. */
  readonly rank: number;
  /** 32 bits from its last words' text: what decides among cuts of equal rank, and the move's stop there. */
  readonly key: number;
}

/**
 * Where a scene may be cut: each beat split at its clause ends (from the word timings: , ; : — and
 * sentence ends, where speech engines pause; a title such as "Dr." ends a clause, not a sentence, as the
 * offline voice splits it), ranked line end > sentence end > clause end, each keyed by
 * its last words. The first and last piece of a beat reach the beat's own edges. A beat without word
 * timings is one piece. Pure.
 */
export function speechUnits(beats: readonly BeatSpan[], words: readonly WordTiming[]): SpeechUnit[] {
  return beats.flatMap((beat, beatIndex) => {
    const inside = words.filter((word) => word.start >= beat.start - 1e-6 && word.start < beat.end);
    const units: SpeechUnit[] = [];
    let first: WordTiming | undefined;
    inside.forEach((word, index) => {
      first ??= word;
      const last = index === inside.length - 1;
      const stop = speechStopAfter(word.word);
      const sentence = stop === "sentence";
      if (last || stop) {
        units.push({
          start: units.length === 0 ? beat.start : first.start,
          end: last ? beat.end : word.end,
          rank: last ? 2 : sentence ? 1 : 0,
          key: fnv1a(`${inside[index - 1]?.word ?? ""} ${word.word}`),
        });
        first = undefined;
      }
    });
    return units.length > 0 ? units : [{ ...beat, rank: 2, key: fnv1a(`beat ${beatIndex}`) }];
  });
}

/**
 * Cuts a scene's speech into shots, each decided by what lies around it so that an edit changes only
 * the shots near it: a cut goes in the middle of the pause after a unit when no other cut place within
 * 8 s either side ranks higher (line end > sentence end > clause end, ties by the units' last words),
 * and it is at least 8 s from the scene's first and last word. Cuts are thus at least 8 s apart, a
 * clause is cut only where no sentence ends within 8 s, and no cut depends on how long the shots
 * before it last (a first-to-last greedy cut moves every later cut when one shot grows past its
 * threshold). A shot over 20 s is cut again inside by the same rule. Pure.
 */
export function planShots(
  units: readonly SpeechUnit[],
  audioSeconds: number,
  tailSeconds = TAIL_SECONDS,
): Shot[] {
  const last = units.length - 1;
  if (last < 0) return [];
  // Edges are "after unit i" (the middle of the pause there); -1 and `last` are the scene's first and last word.
  const place = (edge: number): number =>
    edge < 0
      ? units[0]!.start
      : edge === last
        ? units[last]!.end
        : (units[edge]!.end + units[edge + 1]!.start) / 2;
  // Whole microseconds: an edit earlier in the scene moves both ends of a distance by the same amount.
  const apart = (a: number, b: number): number => Math.abs(Math.round((place(b) - place(a)) * 1_000_000));
  const min = MIN_SHOT_SECONDS * 1_000_000;
  const max = MAX_SHOT_SECONDS * 1_000_000;
  const beats = (a: number, b: number): boolean => {
    const [x, y] = [units[a]!, units[b]!];
    return x.rank > y.rank || (x.rank === y.rank && (x.key > y.key || (x.key === y.key && a < b)));
  };
  const cutsBetween = (from: number, to: number): number[] => {
    const eligible: number[] = [];
    for (let edge = from + 1; edge < to; edge += 1) {
      if (apart(from, edge) >= min && apart(edge, to) >= min) eligible.push(edge);
    }
    const cuts = eligible.filter((edge) =>
      eligible.every((other) => other === edge || apart(edge, other) >= min || beats(edge, other)),
    );
    const edges = [from, ...cuts, to];
    return edges.slice(1).flatMap((edge, index) => {
      const previous = edges[index]!;
      const within = cuts.length > 0 && apart(previous, edge) > max ? cutsBetween(previous, edge) : [];
      return edge === to ? within : [...within, edge];
    });
  };
  const cuts = cutsBetween(-1, last);
  const edges = [-1, ...cuts, last];
  // The move's stop at a cut: 0.15–0.85 of the way, from the unit's key; the scene's edges are 0 and 1.
  const stop = (edge: number): number =>
    edge < 0 ? 0 : edge === last ? 1 : 0.15 + (0.7 * (units[edge]!.key >>> 16)) / 65_536;
  return edges.slice(1).map((edge, index) => {
    const previous = edges[index]!;
    const start = units[previous + 1]!.start;
    const end = units[edge]!.end;
    return {
      speechStart: start,
      speechEnd: end,
      lead: previous < 0 ? start : (start - units[previous]!.end) / 2,
      tail:
        edge === last
          ? // Audio measured past the last line's end by less than this is rounding, not sound: ignoring
            // it keeps the last shot's length when an earlier line changes.
            (audioSeconds - end > 0.1 ? audioSeconds - end : 0) + tailSeconds
          : (units[edge + 1]!.start - end) / 2,
      moveFrom: Math.round(stop(previous) * 1e6) / 1e6,
      moveTo: Math.round(stop(edge) * 1e6) / 1e6,
    };
  });
}

/**
 * `post_processing`'s plan: a title card, then each scene's still with Ken Burns motion (or its
 * generated clip), cut into shots between its lines so that one move continues across the cuts;
 * fades through black between scenes, word-timed captions on the video's timeline, a chapter marker
 * where each book chapter starts, the watermark and optional music. Each shot plays its part of the
 * scene's track and starts in a pause, so frame rounding only ever moves silence. Pure.
 */
export function buildTimeline(scenes: readonly TimelineScene[], options: TimelineOptions): TimelineInput {
  const fps = options.fps ?? 25;
  // Whole frames: the renderer lays clips on frames, so a shot's captions keep the same offsets inside
  // its segment whatever the shots before it last, and an edit elsewhere never changes its segment.
  const frames = (seconds: number): number => Math.ceil(seconds * fps - 1e-6) / fps;
  const titleSeconds = frames(options.titleSeconds ?? 3);
  const clips: Clip[] = [];
  const cues: CaptionCue[] = [];
  const chapters: Chapter[] = [];
  clips.push({
    id: "title",
    type: "title",
    duration: titleSeconds,
    text: options.title,
    ...(options.author ? { subtitle: `by ${options.author}` } : {}),
    font: "DejaVuSerif-Bold.ttf",
    size: 0.08,
    colour: "#f5f0e6",
    background: "#101418",
  } as Clip);
  let cursor = titleSeconds;
  let lastChapter: number | undefined;
  scenes.forEach((scene, sceneIndex) => {
    if (scene.chapterOrdinal !== lastChapter) {
      chapters.push({ title: scene.chapterTitle, start: chapters.length === 0 ? 0 : cursor });
      lastChapter = scene.chapterOrdinal;
    }
    const transitionIn = { type: "fade-black" as const, duration: FADE_SECONDS };
    // A generated clip (or a scene without beat spans) stays one shot that plays the whole track.
    const shots =
      scene.videoPath || !scene.beats || scene.beats.length === 0
        ? [
            {
              speechStart: 0,
              speechEnd: scene.audioSeconds,
              lead: 0,
              tail: TAIL_SECONDS,
              moveFrom: 0,
              moveTo: 1,
            },
          ]
        : planShots(speechUnits(scene.beats, scene.words), scene.audioSeconds);
    const motion = MOTIONS[sceneIndex % MOTIONS.length]!;
    const ids = new Set<string>();
    shots.forEach((shot, shotIndex) => {
      // Microseconds, not milliseconds: the distance from here to the shot's words must not move on a rounding edge.
      const from = Math.round((shot.speechStart - shot.lead) * 1_000_000) / 1_000_000;
      const speech = shot.lead + (shot.speechEnd - shot.speechStart) + shot.tail;
      const duration = frames(shots.length === 1 ? Math.max(MIN_SCENE_SECONDS, speech) : speech);
      const shotWords = scene.words.filter(
        (word) => word.start >= shot.speechStart - 1e-6 && word.start < shot.speechEnd + 1e-6,
      );
      // Named by its words, not its place: a cut added or dropped earlier in the scene renames no later shot.
      let id = `${scene.id}-shot-${fnv1a(shotWords.map((word) => word.word).join(" "))
        .toString(16)
        .padStart(8, "0")}`;
      for (let copy = 2; ids.has(id); copy += 1) id = `${id.replace(/~\d+$/, "")}~${copy}`;
      ids.add(id);
      const common = {
        id: shots.length === 1 ? scene.id : id,
        duration,
        ...(shotIndex === 0 ? { transitionIn } : {}),
        narration: { path: scene.audioPath, offset: 0, volume: 1, from, length: duration },
      };
      clips.push(
        scene.videoPath
          ? ({ ...common, type: "video", path: scene.videoPath, fill: "freeze", fit: "blur" } as Clip)
          : ({
              ...common,
              type: "image",
              path: scene.imagePath,
              motion: shots.length === 1 ? { ...motion, easing: "ease-in-out" } : shotMotion(motion, shot),
              fit: "blur",
            } as Clip),
      );
      const shotCues = wordsToCues(
        shotWords.map((word) => ({
          ...word,
          start: cursor + round3(word.start - from),
          end: cursor + round3(word.end - from),
        })),
      );
      // Cues hold through short pauses; a shot's first and last ones also cover the silence at its
      // edges, which only this shot decides, so its neighbours' segments do not depend on it.
      // The first caption comes up with the shot, at most a moment before its first word (time to read).
      const first = shotCues[0];
      if (first) shotCues[0] = { ...first, start: round3(Math.max(cursor, first.start - CUE_LEAD_SECONDS)) };
      const last = shotCues.at(-1);
      if (last) {
        const shotEnd = Math.round((cursor + duration) * fps) / fps;
        shotCues[shotCues.length - 1] = {
          ...last,
          end: round3(Math.max(last.end, Math.min(shotEnd, last.end + CUE_HOLD_SECONDS))),
        };
      }
      cues.push(...shotCues);
      cursor = Math.round((cursor + duration) * fps) / fps;
    });
  });
  return {
    version: 1,
    output: { width: options.width, height: options.height, fps, quality: "standard" },
    clips,
    captions: { burnIn: true, cues },
    chapters,
    ...(options.watermark
      ? { watermark: { type: "text", text: options.watermark, position: "bottom-right" } }
      : {}),
    ...(options.musicPath ? { music: { path: options.musicPath } } : {}),
  } as TimelineInput;
}

function round3(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

/**
 * A shot's part of its scene's move, continued across each cut from where it stands there: a shot's
 * part depends only on its own two cuts, never on the other shots. Where the move goes back (the
 * stop at its end comes before the one at its start), the shot plays the opposite move (zoom out for
 * zoom in, pan left for pan right), which passes through the same frames the other way.
 */
function shotMotion(motion: Omit<Motion, "easing">, shot: Shot): Motion {
  if (shot.moveTo >= shot.moveFrom) {
    return { ...motion, easing: "linear", range: { from: shot.moveFrom, to: shot.moveTo } };
  }
  const back = (stop: number): number => Math.round((1 - stop) * 1e6) / 1e6;
  return {
    ...motion,
    ...(motion.type === "zoom-in"
      ? { type: "zoom-out" }
      : motion.type === "zoom-out"
        ? { type: "zoom-in" }
        : { direction: motion.direction === "left" ? "right" : "left" }),
    easing: "linear",
    range: { from: back(shot.moveFrom), to: back(shot.moveTo) },
  };
}
