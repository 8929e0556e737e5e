import type { Clip, Timeline } from "./timeline.ts";

/** Where one clip's segment sits on the final video, in whole frames. */
export interface SegmentPlan {
  readonly index: number;
  readonly clip: Clip;
  /** Frame where the clip's own content starts on the final video. */
  readonly startFrame: number;
  /** Frames in this segment (the clip minus the crossfade that the next segment carries). */
  readonly frames: number;
  /** Frames of the whole clip. */
  readonly clipFrames: number;
  /** Frames at the head of this segment blended with the previous clip's tail (crossfade). */
  readonly crossfadeFrames: number;
  /** The previous clip, when this segment starts with a crossfade from it. */
  readonly previous: Clip | undefined;
  /** Frames of the previous clip, for rendering its tail. */
  readonly previousFrames: number;
  /** Frames faded in from black at the head / out to black at the tail. */
  readonly fadeInFrames: number;
  readonly fadeOutFrames: number;
  /** Seconds: segment start on the video, and its length. */
  readonly start: number;
  readonly duration: number;
}

/** The frame-exact layout of a timeline. */
export interface TimelineLayout {
  readonly fps: number;
  readonly totalFrames: number;
  /** Seconds. */
  readonly duration: number;
  readonly segments: readonly SegmentPlan[];
}

/** Frames a duration covers at `fps` (at least one). */
function framesOf(seconds: number, fps: number): number {
  return Math.max(1, Math.round(seconds * fps));
}

/**
 * Lays clips on whole frames. A crossfade into clip i overlaps the tail of clip i-1 and lives in
 * segment i's head, so every segment is self-contained and joins stay copy-only; fade-through-black
 * puts half its duration at each side of the cut and changes no length.
 */
export function layoutTimeline(timeline: Timeline): TimelineLayout {
  const fps = timeline.output.fps;
  const clips = timeline.clips;
  const clipFrames = clips.map((clip) => framesOf(clip.duration, fps));
  const crossfades = clips.map((clip, index) =>
    index > 0 && clip.transitionIn?.type === "crossfade" && clip.transitionIn.duration > 0
      ? Math.round(clip.transitionIn.duration * fps)
      : 0,
  );
  const fadeIns = clips.map((clip, index) =>
    index > 0 && clip.transitionIn?.type === "fade-black"
      ? Math.round((clip.transitionIn.duration * fps) / 2)
      : 0,
  );
  const segments: SegmentPlan[] = [];
  let startFrame = 0;
  clips.forEach((clip, index) => {
    if (index > 0) startFrame += (clipFrames[index - 1] ?? 0) - (crossfades[index] ?? 0);
    const frames = (clipFrames[index] ?? 0) - (crossfades[index + 1] ?? 0);
    const crossfadeFrames = crossfades[index] ?? 0;
    segments.push({
      index,
      clip,
      startFrame,
      frames,
      clipFrames: clipFrames[index] ?? 0,
      crossfadeFrames,
      previous: crossfadeFrames > 0 ? clips[index - 1] : undefined,
      previousFrames: index > 0 ? (clipFrames[index - 1] ?? 0) : 0,
      fadeInFrames: fadeIns[index] ?? 0,
      fadeOutFrames: fadeIns[index + 1] ?? 0,
      start: startFrame / fps,
      duration: frames / fps,
    });
  });
  const last = segments[segments.length - 1];
  const totalFrames = last ? last.startFrame + last.clipFrames : 0;
  return { fps, totalFrames, duration: totalFrames / fps, segments };
}
