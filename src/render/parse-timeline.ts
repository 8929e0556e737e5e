import { readFile } from "node:fs/promises";
import path from "node:path";
import type { z } from "zod";
import { LitinkError } from "../errors/index.ts";
import { type Timeline, TimelineSchema } from "./timeline.ts";
import { layoutTimeline } from "./timeline-layout.ts";

/**
 * Validates unknown input as a {@link Timeline}: the zod schema, then the rules a schema cannot say
 * (even sizes for yuv420p, transitions that fit their clips, captions and chapters inside the video).
 * Throws a user-facing LitinkError naming the field (`render.invalid_timeline`).
 *
 * @param source - named in messages, e.g. the file the timeline came from
 */
export function parseTimeline(input: unknown, source = "timeline"): Timeline {
  const parsed = TimelineSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(formatIssue);
    throw invalid(source, problems);
  }
  const problems = checkTimeline(parsed.data);
  if (problems.length > 0) throw invalid(source, problems);
  return parsed.data;
}

/** Reads and validates a timeline JSON file; relative asset paths resolve against the file's folder. */
export async function readTimelineFile(file: string): Promise<Timeline> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new LitinkError(
      "render.timeline_unreadable",
      `${file}: cannot read the timeline file; check the path`,
      {
        userFacing: true,
        cause,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new LitinkError(
      "render.invalid_timeline",
      `${file}: not valid JSON (${(cause as Error).message})`,
      {
        userFacing: true,
        cause,
      },
    );
  }
  return resolveAssetPaths(parseTimeline(json, file), path.dirname(path.resolve(file)));
}

/** Returns a copy of the timeline whose relative asset paths are resolved against `folder`. */
function resolveAssetPaths(timeline: Timeline, folder: string): Timeline {
  const resolve = (file: string): string => path.resolve(folder, file);
  return {
    ...timeline,
    clips: timeline.clips.map((clip) => {
      const narration = clip.narration
        ? { ...clip.narration, path: resolve(clip.narration.path) }
        : undefined;
      const withNarration = narration ? { ...clip, narration } : clip;
      return withNarration.type === "image" || withNarration.type === "video"
        ? { ...withNarration, path: resolve(withNarration.path) }
        : withNarration;
    }),
    ...(timeline.music ? { music: { ...timeline.music, path: resolve(timeline.music.path) } } : {}),
    ...(timeline.watermark?.type === "image"
      ? { watermark: { ...timeline.watermark, path: resolve(timeline.watermark.path) } }
      : {}),
    ...(timeline.logo?.type === "image"
      ? { logo: { ...timeline.logo, path: resolve(timeline.logo.path) } }
      : {}),
  };
}

function checkTimeline(timeline: Timeline): string[] {
  const problems: string[] = [];
  const { width, height, fps } = timeline.output;
  if (width % 2 !== 0 || height % 2 !== 0) {
    problems.push(`output: ${width}x${height} has an odd side; H.264 yuv420p needs even width and height`);
  }
  const ids = new Set<string>();
  timeline.clips.forEach((clip, index) => {
    const where = `clips.${index} (${clip.id})`;
    if (ids.has(clip.id)) problems.push(`${where}: duplicate clip id; every clip needs its own id`);
    ids.add(clip.id);
    const transition = clip.transitionIn;
    const previous = timeline.clips[index - 1];
    if (transition && transition.type !== "none" && previous) {
      const limit =
        transition.type === "crossfade"
          ? Math.min(clip.duration, previous.duration)
          : 2 * Math.min(clip.duration, previous.duration);
      if (transition.duration >= limit) {
        problems.push(
          `${where}.transitionIn.duration: ${transition.duration}s is longer than the clips it joins allow (< ${limit}s)`,
        );
      }
    }
    const next = timeline.clips[index + 1];
    if (clip.transitionIn?.type === "crossfade" && next?.transitionIn?.type === "crossfade" && index > 0) {
      if (clip.transitionIn.duration + next.transitionIn.duration >= clip.duration) {
        problems.push(`${where}: its two crossfades together are longer than the clip (${clip.duration}s)`);
      }
    }
    if (clip.type === "video" && clip.trimEnd !== undefined && clip.trimEnd <= clip.trimStart) {
      problems.push(`${where}.trimEnd: ${clip.trimEnd}s must be after trimStart ${clip.trimStart}s`);
    }
    if (clip.type === "image" && clip.motion.range && clip.motion.range.to < clip.motion.range.from) {
      const { from, to } = clip.motion.range;
      problems.push(`${where}.motion.range: to (${to}) must not be before from (${from})`);
    }
    if (clip.duration * fps < 1)
      problems.push(`${where}.duration: ${clip.duration}s is shorter than one frame`);
  });
  if (problems.length > 0) return problems;
  const { duration } = layoutTimeline(timeline);
  const tolerance = 1 / fps;
  timeline.captions?.cues.forEach((cue, index) => {
    const where = `captions.cues.${index}`;
    if (cue.end <= cue.start) problems.push(`${where}: end ${cue.end}s must be after start ${cue.start}s`);
    if (cue.end > duration + tolerance) {
      problems.push(
        `${where}: ends at ${cue.end}s, after the video ends (${duration.toFixed(3)}s); durations do not add up`,
      );
    }
  });
  timeline.chapters.forEach((chapter, index) => {
    if (chapter.start >= duration) {
      problems.push(
        `chapters.${index} (${chapter.title}): starts at ${chapter.start}s, after the video ends (${duration.toFixed(3)}s)`,
      );
    }
    const before = timeline.chapters[index - 1];
    if (before && chapter.start <= before.start) {
      problems.push(`chapters.${index} (${chapter.title}): chapters must be in increasing start order`);
    }
  });
  if (timeline.thumbnailAt !== undefined && timeline.thumbnailAt >= duration) {
    problems.push(`thumbnailAt: ${timeline.thumbnailAt}s is after the video ends (${duration.toFixed(3)}s)`);
  }
  return problems;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "(top level)";
  const input =
    "input" in issue && issue.input !== undefined ? `, got ${JSON.stringify(issue.input)?.slice(0, 60)}` : "";
  return `${where}: ${issue.message}${input}`;
}

function invalid(source: string, problems: readonly string[]): LitinkError {
  return new LitinkError(
    "render.invalid_timeline",
    `${source}: invalid timeline:\n  ${problems.join("\n  ")}`,
    {
      userFacing: true,
      details: { source, problems },
    },
  );
}
