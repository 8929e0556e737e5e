import { constants } from "node:fs";
import { access, open, stat } from "node:fs/promises";
import { LitinkError } from "../../errors/index.ts";
import type { Timeline } from "../timeline.ts";
import { layoutTimeline } from "../timeline-layout.ts";
import { probeMedia } from "./probe-media.ts";

type AssetKind = "image" | "video" | "audio";

interface AssetReference {
  readonly field: string;
  readonly path: string;
  readonly kind: AssetKind;
}

/** Durations of the narration files, by clip id (seconds), measured while validating. */
export type NarrationDurations = ReadonlyMap<string, number>;

/** Every local file a timeline references, with the field that names it. */
function assetReferences(timeline: Timeline): AssetReference[] {
  const references: AssetReference[] = [];
  timeline.clips.forEach((clip, index) => {
    const where = `clips.${index} (${clip.id})`;
    if (clip.type === "image") references.push({ field: `${where}.path`, path: clip.path, kind: "image" });
    if (clip.type === "video") references.push({ field: `${where}.path`, path: clip.path, kind: "video" });
    if (clip.narration)
      references.push({ field: `${where}.narration.path`, path: clip.narration.path, kind: "audio" });
  });
  if (timeline.music) references.push({ field: "music.path", path: timeline.music.path, kind: "audio" });
  if (timeline.watermark?.type === "image") {
    references.push({ field: "watermark.path", path: timeline.watermark.path, kind: "image" });
  }
  if (timeline.logo?.type === "image")
    references.push({ field: "logo.path", path: timeline.logo.path, kind: "image" });
  return references;
}

/**
 * Checks every asset before FFmpeg runs: it exists and is readable, images are images, audio is not
 * empty, videos have a video stream, and narration ends before the video does. Throws one
 * user-facing LitinkError (`render.invalid_asset`) listing every problem.
 */
export async function validateAssets(
  timeline: Timeline,
  ffprobePath: string,
  options: { readonly skipAudio?: boolean } = {},
): Promise<NarrationDurations> {
  const problems: string[] = [];
  const durations = new Map<string, number>();
  const references = assetReferences(timeline).filter(
    (reference) => !options.skipAudio || reference.kind !== "audio",
  );
  const probed = await Promise.all(references.map((reference) => checkAsset(reference, ffprobePath)));
  probed.forEach((result) => {
    if (typeof result === "string") problems.push(result);
  });
  if (problems.length === 0 && !options.skipAudio) {
    const layout = layoutTimeline(timeline);
    for (const plan of layout.segments) {
      const narration = plan.clip.narration;
      if (!narration) continue;
      const index = references.findIndex(
        (reference) => reference.path === narration.path && reference.kind === "audio",
      );
      const duration = probed[index];
      if (typeof duration !== "number") continue;
      durations.set(plan.clip.id, duration);
      const where = `clips.${plan.index} (${plan.clip.id}).narration`;
      const from = narration.from ?? 0;
      if (from >= duration) {
        problems.push(
          `${where}.from: ${from}s is at or past the end of the file (${duration.toFixed(2)}s); start earlier in the file`,
        );
        continue;
      }
      const played = Math.min(narration.length ?? Number.POSITIVE_INFINITY, duration - from);
      const clipStart = plan.startFrame / layout.fps;
      const end = clipStart + narration.offset + played;
      if (end > layout.duration + 0.05) {
        problems.push(
          `${where}: the narration (${played.toFixed(2)}s from ${(clipStart + narration.offset).toFixed(2)}s) ends at ${end.toFixed(2)}s, after the video ends (${layout.duration.toFixed(2)}s); durations do not add up, lengthen the clips or shorten the narration`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new LitinkError(
      "render.invalid_asset",
      `the timeline's assets cannot be rendered:\n  ${problems.join("\n  ")}`,
      {
        userFacing: true,
        details: { problems },
      },
    );
  }
  return durations;
}

/** Returns an error line, or the media duration in seconds (NaN for stills). */
async function checkAsset(reference: AssetReference, ffprobePath: string): Promise<string | number> {
  const { field, path, kind } = reference;
  try {
    await access(path, constants.R_OK);
  } catch {
    return `${field}: ${path} does not exist or cannot be read; check the path and its permissions`;
  }
  const info = await stat(path);
  if (!info.isFile()) return `${field}: ${path} is not a file`;
  if (info.size === 0) return `${field}: ${path} is empty (0 bytes)`;
  if (kind === "image") {
    const header = await readHeader(path);
    return isImageHeader(header)
      ? Number.NaN
      : `${field}: ${path} is not an image (expected PNG, JPEG, WebP, GIF, BMP or TIFF)`;
  }
  let media: Awaited<ReturnType<typeof probeMedia>>;
  try {
    media = await probeMedia(ffprobePath, path);
  } catch {
    return `${field}: ${path} is not a readable ${kind} file (ffprobe could not open it)`;
  }
  const stream = media.streams.find((candidate) => candidate.type === kind);
  if (!stream) return `${field}: ${path} has no ${kind} stream`;
  const duration = Number.isFinite(media.duration) ? media.duration : (stream.duration ?? 0);
  if (!(duration > 0)) return `${field}: ${path} has zero length`;
  return duration;
}

async function readHeader(path: string): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(16);
    const { bytesRead } = await handle.read(buffer, 0, 16, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Whether the first bytes of a file are those of an image format FFmpeg decodes. */
export function isImageHeader(header: Uint8Array): boolean {
  const starts = (...bytes: number[]): boolean => bytes.every((byte, index) => header[index] === byte);
  const ascii = (offset: number, text: string): boolean =>
    [...text].every((character, index) => header[offset + index] === character.charCodeAt(0));
  return (
    starts(0x89, 0x50, 0x4e, 0x47) ||
    starts(0xff, 0xd8, 0xff) ||
    ascii(0, "GIF8") ||
    (ascii(0, "RIFF") && ascii(8, "WEBP")) ||
    ascii(0, "BM") ||
    starts(0x49, 0x49, 0x2a, 0x00) ||
    starts(0x4d, 0x4d, 0x00, 0x2a)
  );
}
