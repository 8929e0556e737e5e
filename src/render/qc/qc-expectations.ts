import type { Timeline } from "../timeline.ts";
import { layoutTimeline } from "../timeline-layout.ts";
import type { TimeRange } from "./qc-report.ts";

/** What a timeline promises about its rendered file. */
export interface QcExpectations {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly duration: number;
  readonly loudnessTarget: number;
  /** QC's true-peak ceiling: the issue's -1 dBTP, or the timeline's own if that is higher. */
  readonly truePeakCeiling: number;
  /** Whether the timeline has any audio source (narration or music). */
  readonly hasAudio: boolean;
  /** Where narration plays. */
  readonly narration: readonly TimeRange[];
  /** Where the timeline itself is black (dark colour clips and title cards, fades through black). */
  readonly allowedBlack: readonly TimeRange[];
  readonly captions: readonly TimeRange[] | undefined;
}

/** Measured narration lengths by clip id; clips missing here are assumed to narrate to their end. */
export type NarrationLengths = ReadonlyMap<string, number>;

/** Derives the QC expectations from a timeline. */
export function expectationsOf(
  timeline: Timeline,
  narrationLengths: NarrationLengths = new Map(),
): QcExpectations {
  const layout = layoutTimeline(timeline);
  const narration: TimeRange[] = [];
  const allowedBlack: TimeRange[] = [];
  for (const plan of layout.segments) {
    const clipStart = plan.startFrame / layout.fps;
    const clipEnd = clipStart + plan.clipFrames / layout.fps;
    const { clip } = plan;
    if (clip.narration) {
      const start = clipStart + clip.narration.offset;
      const length = narrationLengths.get(clip.id) ?? clipEnd - start;
      narration.push({ start, end: Math.min(layout.duration, start + length) });
    }
    const dark =
      (clip.type === "colour" && isDark(clip.colour) && (!clip.to || isDark(clip.to))) ||
      (clip.type === "title" && isDark(clip.background));
    if (dark) allowedBlack.push({ start: clipStart, end: clipEnd });
    if (plan.fadeInFrames > 0)
      allowedBlack.push({
        start: clipStart - plan.fadeInFrames / layout.fps,
        end: clipStart + plan.fadeInFrames / layout.fps,
      });
  }
  return {
    width: timeline.output.width,
    height: timeline.output.height,
    fps: timeline.output.fps,
    duration: layout.duration,
    loudnessTarget: timeline.output.loudnessTarget,
    truePeakCeiling: truePeakCeiling(timeline),
    hasAudio: narration.length > 0 || timeline.music !== undefined,
    narration,
    allowedBlack,
    captions: timeline.captions?.cues.map((cue) => ({ start: cue.start, end: cue.end })),
  };
}

function isDark(hex: string): boolean {
  const channel = (offset: number): number => Number.parseInt(hex.slice(offset, offset + 2), 16);
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5) < 0.12 * 255;
}

/** QC's true-peak ceiling for a timeline: the issue's -1 dBTP, or the timeline's own if that is higher. */
export function truePeakCeiling(timeline: Timeline): number {
  return Math.max(-1, timeline.output.truePeak);
}
