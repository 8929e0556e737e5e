import type { WordTiming } from "../providers/index.ts";
import type { CaptionCue, Chapter, Clip, Motion, TimelineInput } from "../render/index.ts";
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
/** A shot ends only after this much speech; shorter sentences and lines join the next one. */
const MIN_SHOT_SECONDS = 8;
/** A shot this long may end inside a sentence, at a clause. */
const LONG_SHOT_SECONDS = 12;
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

/** One shot of a scene: a run of beats, with the silence it keeps before and after its speech. */
interface Shot {
  /** Seconds into the scene's audio where the shot's speech starts and ends. */
  readonly speechStart: number;
  readonly speechEnd: number;
  readonly lead: number;
  readonly tail: number;
}

/** A piece of speech a shot may end after; `strong` when it ends a sentence or a line. */
interface SpeechUnit extends BeatSpan {
  readonly strong?: boolean | undefined;
}

/**
 * Where a scene may be cut: each beat split at its clause ends (from the word timings: , ; : — and
 * sentence ends, where speech engines pause), marking the sentence and line ends as the preferred
 * cuts. The first and last piece of a beat reach the beat's own edges. A beat without word timings is
 * one piece. Pure.
 */
export function speechUnits(beats: readonly BeatSpan[], words: readonly WordTiming[]): SpeechUnit[] {
  return beats.flatMap((beat) => {
    const inside = words.filter((word) => word.start >= beat.start - 1e-6 && word.start < beat.end);
    const units: SpeechUnit[] = [];
    let first: WordTiming | undefined;
    inside.forEach((word, index) => {
      first ??= word;
      const last = index === inside.length - 1;
      const sentence = /[.!?…]["'”’)\]]*$/.test(word.word);
      if (last || sentence || /[,;:—–]["'”’)\]]*$/.test(word.word)) {
        units.push({
          start: units.length === 0 ? beat.start : first.start,
          end: last ? beat.end : word.end,
          strong: last || sentence,
        });
        first = undefined;
      }
    });
    return units.length > 0 ? units : [{ ...beat, strong: true }];
  });
}

export function planShots(
  beats: readonly SpeechUnit[],
  audioSeconds: number,
  tailSeconds = TAIL_SECONDS,
): Shot[] {
  const groups: { first: number; last: number }[] = [];
  let first = 0;
  beats.forEach((beat, index) => {
    const length = beat.end - (beats[first]?.start ?? 0);
    // Cut after a sentence or a line once the shot is long enough, or mid-sentence (at a clause) once
    // it is long: shorter shots make an edit cheaper to re-render, sentence cuts read better.
    const cut = length >= MIN_SHOT_SECONDS && (beat.strong !== false || length >= LONG_SHOT_SECONDS);
    if (cut || index === beats.length - 1) {
      groups.push({ first, last: index });
      first = index + 1;
    }
  });
  const lastGroup = groups[groups.length - 1];
  const beforeLast = groups[groups.length - 2];
  if (lastGroup && beforeLast) {
    const length = (beats[lastGroup.last]?.end ?? 0) - (beats[lastGroup.first]?.start ?? 0);
    if (length < MIN_SHOT_SECONDS) {
      groups.pop();
      beforeLast.last = lastGroup.last;
    }
  }
  return groups.map((group, index) => {
    const start = beats[group.first]?.start ?? 0;
    const end = beats[group.last]?.end ?? 0;
    const previousEnd = beats[group.first - 1]?.end;
    const nextStart = beats[group.last + 1]?.start;
    return {
      speechStart: start,
      speechEnd: end,
      lead: index === 0 || previousEnd === undefined ? start : (start - previousEnd) / 2,
      tail:
        index === groups.length - 1 || nextStart === undefined
          ? // Audio measured past the last line's end by less than this is rounding, not sound: ignoring
            // it keeps the last shot's length when an earlier line changes.
            (audioSeconds - end > 0.1 ? audioSeconds - end : 0) + tailSeconds
          : (nextStart - end) / 2,
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
        ? [{ speechStart: 0, speechEnd: scene.audioSeconds, lead: 0, tail: TAIL_SECONDS }]
        : planShots(speechUnits(scene.beats, scene.words), scene.audioSeconds);
    const motion = MOTIONS[sceneIndex % MOTIONS.length]!;
    shots.forEach((shot, shotIndex) => {
      // Microseconds, not milliseconds: the distance from here to the shot's words must not move on a rounding edge.
      const from = Math.round((shot.speechStart - shot.lead) * 1_000_000) / 1_000_000;
      const speech = shot.lead + (shot.speechEnd - shot.speechStart) + shot.tail;
      const duration = frames(shots.length === 1 ? Math.max(MIN_SCENE_SECONDS, speech) : speech);
      const common = {
        id: shots.length === 1 ? scene.id : `${scene.id}-shot-${shotIndex + 1}`,
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
              motion:
                shots.length === 1
                  ? { ...motion, easing: "ease-in-out" }
                  : {
                      ...motion,
                      // One move across the scene, in equal parts per shot: a shot's part depends only
                      // on how many shots there are, never on how long the others are.
                      easing: "linear",
                      range: { from: shotIndex / shots.length, to: (shotIndex + 1) / shots.length },
                    },
              fit: "blur",
            } as Clip),
      );
      const shotWords = scene.words.filter(
        (word) => word.start >= shot.speechStart - 1e-6 && word.start < shot.speechEnd + 1e-6,
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
