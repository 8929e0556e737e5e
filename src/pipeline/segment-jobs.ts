import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline as pump } from "node:stream/promises";
import { z } from "zod";
import { defineJob, type JobContext } from "../queue/index.ts";
import {
  type RenderOptions,
  type RenderResult,
  type SegmentResult,
  type Timeline,
  TimelineSchema,
} from "../render/index.ts";
import type { ObjectStore } from "../storage/index.ts";
import type { CachedAsset } from "./asset-cache.ts";
import { sha256Hex } from "./input-key.ts";
import type { PipelineResources, RunContext } from "./pipeline-types.ts";
import { fanOut } from "./scene-jobs.ts";

/** How a portable timeline names a file: its key in the object store. */
const STORED = "objectstore:";
/** Percent of post_processing's progress that the segment jobs make up; assembling is the rest. */
const SEGMENTS_SHARE = 80;

/** The payload of {@link segmentJob}: a timeline whose files are object-store keys, and one clip of it. */
interface SegmentPayload {
  /** Object-store key of the portable timeline's JSON (named by its hash). */
  readonly timelineKey: string;
  readonly index: number;
}

/** What a segment job returns: the renderer's result as it was, and where the segment file is stored. */
interface SegmentJobResult {
  readonly segment: SegmentResult;
  readonly storageKey: string;
}

/** One timeline clip encoded into its segment by whichever process takes the job. */
export const segmentJob = defineJob<SegmentPayload, SegmentJobResult>({
  type: "pipeline.segment",
  payload: z.object({
    timelineKey: z.string().regex(/^timelines\/[0-9a-f]{64}\.json$/),
    index: z.number().int().min(0),
  }),
  timeoutMs: 30 * 60 * 1000,
  attempts: 2,
  backoffMs: 1000,
});

/**
 * The handler of {@link segmentJob}: fetches the portable timeline, materializes the files of its clip
 * (and of the clip before it, for a crossfade, and the overlays) into this process's work folder,
 * renders the segment (or finds it in this process's render cache) and stores it under its key.
 */
export async function renderStoredSegment(
  resources: PipelineResources,
  payload: SegmentPayload,
  job: JobContext,
): Promise<SegmentJobResult> {
  const json = new TextDecoder().decode(await resources.storage.getBytes(payload.timelineKey));
  const portable = TimelineSchema.parse(JSON.parse(json));
  const directory = path.join(resources.workDir, "assets");
  const fetch = (key: string) => fetchObject(resources.storage, key, directory);
  const clips = await Promise.all(
    portable.clips.map((clip, index) =>
      index === payload.index || index === payload.index - 1 ? localFiles(clip, fetch) : clip,
    ),
  );
  const timeline: Timeline = {
    ...portable,
    clips,
    watermark: await localFiles(portable.watermark, fetch),
    logo: await localFiles(portable.logo, fetch),
  };
  const segment = await resources.renderer.renderSegment(timeline, payload.index, { signal: job.signal });
  const storageKey = `segments/${segment.key}.mp4`;
  if (!(await resources.storage.exists(storageKey))) {
    await resources.storage.put(storageKey, createReadStream(segment.path), { contentType: "video/mp4" });
  }
  return { segment, storageKey };
}

/**
 * post_processing on BullMQ workers: one {@link segmentJob} per timeline clip at the tier's scene
 * parallelism, then the segments are fetched from the object store (unless this job fetched them
 * already) and assembled here with the audio track. `timeline` names local files; the assets among
 * them are referred to by their object-store keys, any other file (music) is stored by its hash first.
 */
export async function renderOnWorkers(
  context: RunContext,
  timeline: Timeline,
  assets: readonly CachedAsset[],
  outputPath: string,
  options: RenderOptions,
): Promise<RenderResult> {
  const { queue, renderer } = context.resources;
  const timelineKey = await storePortableTimeline(context.resources.storage, timeline, assets);
  // post_processing reports percent: the segments are the first 80, assembling the rest.
  const segmentsContext: RunContext = {
    ...context,
    emit: (event) =>
      context.emit(
        event.stage === "post_processing" && event.total
          ? { ...event, done: Math.round((SEGMENTS_SHARE * (event.done ?? 0)) / event.total), total: 100 }
          : event,
      ),
  };
  const results = await fanOut(
    segmentsContext,
    "post_processing",
    timeline.clips.length,
    (index, jobOptions) => queue.run(segmentJob, { timelineKey, index }, jobOptions),
  );
  // A segment's path is a file of the worker that rendered it, maybe on another machine, and that
  // worker's cache is its own: this process assembles from its own copies.
  const directory = path.join(context.workDir, "segments");
  const segments = await Promise.all(
    results.map(async ({ segment, storageKey }) => ({
      ...segment,
      path: await fetchObject(context.resources.storage, storageKey, directory),
    })),
  );
  return renderer.assemble(timeline, segments, outputPath, {
    ...options,
    onProgress: (progress) =>
      options.onProgress?.({
        ...progress,
        percent: SEGMENTS_SHARE + ((100 - SEGMENTS_SHARE) * progress.percent) / 100,
      }),
  });
}

/** Stores `timeline` with every file replaced by its object-store key; returns the timeline's key. */
async function storePortableTimeline(
  storage: ObjectStore,
  timeline: Timeline,
  assets: readonly CachedAsset[],
): Promise<string> {
  const byName = new Map(assets.map((asset) => [`${asset.sha256}${path.extname(asset.storageKey)}`, asset]));
  const keys = new Map<string, Promise<string>>();
  const keyOf = (file: string): Promise<string> => {
    let key = keys.get(file);
    if (!key) {
      const asset = byName.get(path.basename(file));
      key = asset ? Promise.resolve(asset.storageKey) : storeInput(storage, file);
      keys.set(file, key);
    }
    return key;
  };
  const portable = await mapPaths(timeline, async (file) => `${STORED}${await keyOf(file)}`);
  const data = new TextEncoder().encode(JSON.stringify(portable));
  const key = `timelines/${sha256Hex(data)}.json`;
  if (!(await storage.exists(key))) await storage.put(key, data, { contentType: "application/json" });
  return key;
}

/** A file that is not a cached asset (e.g. the user's music), stored by its content hash. */
async function storeInput(storage: ObjectStore, file: string): Promise<string> {
  const data = await readFile(file);
  const key = `render-inputs/${sha256Hex(data)}${path.extname(file)}`;
  if (!(await storage.exists(key))) await storage.put(key, data);
  return key;
}

/** `value` with the object-store references among its `path` fields replaced by local files. */
function localFiles<T>(value: T, fetch: (key: string) => Promise<string>): Promise<T> {
  return mapPaths(value, async (file) => (file.startsWith(STORED) ? fetch(file.slice(STORED.length)) : file));
}

/** A copy of `value` with every string `path` field passed through `map`. */
async function mapPaths<T>(value: T, map: (file: string) => Promise<string>): Promise<T> {
  if (Array.isArray(value)) return (await Promise.all(value.map((item) => mapPaths(item, map)))) as T;
  if (value === null || typeof value !== "object") return value;
  const entries = await Promise.all(
    Object.entries(value).map(async ([name, entry]) => [
      name,
      name === "path" && typeof entry === "string" ? await map(entry) : await mapPaths(entry, map),
    ]),
  );
  return Object.fromEntries(entries) as T;
}

/** The object at `key` as a local file under `directory`, named by the key's last part, written once. */
async function fetchObject(storage: ObjectStore, key: string, directory: string): Promise<string> {
  const file = path.join(directory, path.basename(key));
  if (await isFile(file)) return file;
  await mkdir(directory, { recursive: true });
  // Several jobs may fetch the same object at once: each writes its own temp file, renames are atomic.
  const temporary = `${file}.${randomUUID()}.tmp`;
  try {
    await pump(await storage.get(key), createWriteStream(temporary));
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
  return file;
}

async function isFile(file: string): Promise<boolean> {
  try {
    const info = await stat(file);
    return info.isFile() && info.size > 0;
  } catch {
    return false;
  }
}
