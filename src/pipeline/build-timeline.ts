import type { WordTiming } from "../providers/index.ts";
import type { CaptionCue, Chapter, Clip, Motion, TimelineInput } from "../render/index.ts";
import { wordsToCues } from "./captions.ts";

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
  readonly beats?: readonly { readonly start: number; readonly end: number }[] | undefined;
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

const MOTIONS: readonly Omit<Motion, "easing">[] = [
  { type: "zoom-in", direction: "right", amount: 0.15 },
  { type: "pan", direction: "right", amount: 0.12 },
  { type: "zoom-out", direction: "right", amount: 0.15 },
  { type: "pan", direction: "left", amount: 0.12 },
];

/**
 * `post_processing`'s plan: a title card, then one clip per scene (its still with Ken Burns motion, or
 * its generated clip) carrying the scene's track, fades through black between scenes, word-timed
 * captions on the video's timeline, a chapter marker where each book chapter starts, the watermark and
 * optional music. Pure.
 */
export function buildTimeline(scenes: readonly TimelineScene[], options: TimelineOptions): TimelineInput {
  const fps = options.fps ?? 25;
  // Whole frames: the renderer lays clips on frames, so a scene's captions keep the same offsets inside
  // its segment whatever the scenes before it last, and an edit elsewhere never changes its segment.
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
  scenes.forEach((scene, index) => {
    const duration = frames(Math.max(2, scene.audioSeconds + TAIL_SECONDS));
    if (scene.chapterOrdinal !== lastChapter) {
      chapters.push({ title: scene.chapterTitle, start: chapters.length === 0 ? 0 : cursor });
      lastChapter = scene.chapterOrdinal;
    }
    const common = {
      id: scene.id,
      duration,
      transitionIn: { type: "fade-black" as const, duration: FADE_SECONDS },
      narration: { path: scene.audioPath, offset: 0, volume: 1 },
    };
    clips.push(
      scene.videoPath
        ? ({ ...common, type: "video", path: scene.videoPath, fill: "freeze", fit: "blur" } as Clip)
        : ({
            ...common,
            type: "image",
            path: scene.imagePath,
            motion: { ...MOTIONS[index % MOTIONS.length]!, easing: "ease-in-out" },
            fit: "blur",
          } as Clip),
    );
    cues.push(
      ...wordsToCues(
        scene.words.map((word) => ({ ...word, start: word.start + cursor, end: word.end + cursor })),
      ),
    );
    cursor = Math.round((cursor + duration) * fps) / fps;
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
