import { fakeMedia } from "./fake-media.ts";
import { type FakeReply, type FakeRequest, FakeServer } from "./fake-server.ts";
import type { ErrorFault } from "./fault.ts";

type Family = "images" | "video-fusion" | "voice";

/** A job the fake finished successfully (ModelsLab reports no cost: the router prices outputs). */
interface ModelsLabCompletedJob {
  readonly id: number;
  readonly family: Family;
  readonly modelId: string;
  readonly output: string;
}

/** Options of {@link createModelsLabFake}. */
export interface ModelsLabFakeOptions {
  /** @defaultValue "ml-fake-key" */
  readonly apiKey?: string;
  /** Polls answered `processing` before a job succeeds, per family. @defaultValue images 0, voice 0, video 2 */
  readonly pollsBeforeReady?: Partial<Record<Family, number>>;
  /** `eta` seconds announced while processing. @defaultValue 0.01 */
  readonly etaSeconds?: number;
  /** Origin announced in `fetch_result` (to test that clients never send the key elsewhere). @defaultValue the fake's */
  readonly fetchResultOrigin?: string;
}

/** The ModelsLab fake: its server plus ModelsLab-specific scripting. */
export interface ModelsLabFake {
  readonly server: FakeServer;
  /** `<origin>/api`, what MODELSLAB_BASE_URL should be. */
  readonly baseURL: string;
  readonly apiKey: string;
  readonly completedJobs: ModelsLabCompletedJob[];
  /** Changes how many polls jobs created from now on need, per family. */
  setPollsBeforeReady(family: Family, polls: number): void;
  /** Lets every job accepted so far finish: its next poll answers `success`. */
  finishJobs(): void;
  /** Makes the next `count` accepted jobs fail while processing (`status: "failed"` on fetch). */
  failNextJobs(count: number, message?: string): void;
  close(): Promise<void>;
}

interface Job {
  readonly id: number;
  readonly family: Family;
  readonly modelId: string;
  readonly file: string;
  readonly meta: Record<string, unknown>;
  remainingPolls: number;
  failWith: string | undefined;
}

const MEDIA_BY_FAMILY: Record<Family, { extension: string; type: string }> = {
  images: { extension: "png", type: "image/png" },
  "video-fusion": { extension: "mp4", type: "video/mp4" },
  voice: { extension: "mp3", type: "audio/mpeg" },
};

/**
 * Starts a ModelsLab fake on 127.0.0.1: v7 text-to-image, image-to-video, lip-sync, text-to-speech and the
 * per-family fetch endpoints (v6 fetch paths too); the key in the body or a `key` header; `status` in the
 * body (`processing` with integer id, eta, fetch_result and future_links, then `success`); outputs served
 * as real PNG/MP4/MP3 files under `/generations/`.
 */
export async function createModelsLabFake(
  options: ModelsLabFakeOptions = {},
  port = 0,
): Promise<ModelsLabFake> {
  const apiKey = options.apiKey ?? "ml-fake-key";
  const polls: Record<Family, number> = {
    images: 0,
    voice: 0,
    "video-fusion": 2,
    ...options.pollsBeforeReady,
  };
  const jobs = new Map<number, Job>();
  const completedJobs: ModelsLabCompletedJob[] = [];
  const pendingFailures: string[] = [];
  let nextId = 155_918_900;
  let origin = "";

  const keyOf = (request: FakeRequest) =>
    ((request.json as { key?: unknown } | undefined)?.key as string | undefined) ??
    (request.headers.key as string | undefined);
  const checkKey = (request: FakeRequest): FakeReply | undefined =>
    keyOf(request) === apiKey
      ? undefined
      : { status: 401, body: { status: "error", message: "Invalid API key" } };
  const invalid = (message: string): FakeReply => ({ status: 400, body: { status: "error", message } });

  const accept = (request: FakeRequest, family: Family, required: readonly string[]): FakeReply => {
    const denied = checkKey(request);
    if (denied) return denied;
    const body = (request.json ?? {}) as Record<string, unknown>;
    for (const field of ["model_id", ...required]) {
      const value = body[field];
      const present = Array.isArray(value)
        ? value.length > 0 && value.every((v) => typeof v === "string")
        : typeof value === "string" && value !== "";
      if (!present) return invalid(`${field} is required`);
    }
    for (const dimension of ["width", "height"] as const) {
      const value = body[dimension];
      if (value !== undefined && (typeof value !== "number" || value < 256 || value > 2048)) {
        return invalid(`${dimension} must be between 256 and 2048`);
      }
    }
    const id = nextId++;
    const { extension } = MEDIA_BY_FAMILY[family];
    const meta = Object.fromEntries(Object.entries(body).filter(([key]) => key !== "key"));
    const job: Job = {
      id,
      family,
      modelId: String(body.model_id),
      file: `${id}.${extension}`,
      meta,
      remainingPolls: polls[family],
      failWith: pendingFailures.shift(),
    };
    jobs.set(id, job);
    return job.remainingPolls === 0 && !job.failWith ? success(job) : processing(job);
  };

  const outputUrl = (job: Job) => `${origin}/generations/${job.file}`;
  const success = (job: Job): FakeReply => {
    completedJobs.push({ id: job.id, family: job.family, modelId: job.modelId, output: outputUrl(job) });
    return {
      status: 200,
      body: {
        status: "success",
        generationTime: 1.23,
        id: job.id,
        output: [outputUrl(job)],
        proxy_links: [outputUrl(job)],
        meta: job.meta,
        ...(job.family === "voice" ? { audio_time: 1.567 } : {}),
      },
    };
  };
  const processing = (job: Job): FakeReply => ({
    status: 200,
    body: {
      status: "processing",
      tip: "Your request is processing in background, you can get the result with the fetch endpoint",
      eta: options.etaSeconds ?? 0.01,
      message: "Try to fetch request after seconds estimated",
      fetch_result: `${options.fetchResultOrigin ?? origin}/api/v7/${job.family}/fetch/${job.id}`,
      id: job.id,
      output: [],
      meta: job.meta,
      future_links: [outputUrl(job)],
    },
  });

  const fetchJob = (request: FakeRequest): FakeReply => {
    const denied = checkKey(request);
    if (denied) return denied;
    const job = jobs.get(Number(request.params.id));
    if (!job) return { status: 200, body: { status: "error", message: "Request not found" } };
    if (job.remainingPolls > 0) {
      job.remainingPolls -= 1;
      return processing(job);
    }
    if (job.failWith) {
      return { status: 200, body: { status: "failed", id: job.id, message: job.failWith, output: [] } };
    }
    // A finished job keeps answering success; count it once.
    if (!completedJobs.some((done) => done.id === job.id)) return success(job);
    return { status: 200, body: { status: "success", id: job.id, output: [outputUrl(job)], meta: job.meta } };
  };

  const media = (request: FakeRequest): FakeReply => {
    const file = request.params.file ?? "";
    const job = jobs.get(Number(file.split(".")[0]));
    if (!job) return { status: 404, headers: { "content-type": "text/plain" }, body: "Not Found" };
    if (job.remainingPolls > 0)
      return { status: 404, headers: { "content-type": "text/plain" }, body: "Not Found" };
    const { png, mp4, mp3 } = fakeMedia();
    const bytes = job.family === "images" ? png : job.family === "voice" ? mp3 : mp4;
    return { status: 200, headers: { "content-type": MEDIA_BY_FAMILY[job.family].type }, body: bytes };
  };

  const server = new FakeServer(
    "modelslab",
    [
      {
        name: "text-to-image",
        method: "POST",
        pattern: /^\/api\/v7\/images\/text-to-image$/,
        handle: (r) => accept(r, "images", ["prompt"]),
      },
      {
        name: "image-to-video",
        method: "POST",
        pattern: /^\/api\/v7\/video-fusion\/image-to-video$/,
        handle: (r) => accept(r, "video-fusion", ["init_image"]),
      },
      {
        name: "lip-sync",
        method: "POST",
        pattern: /^\/api\/v7\/video-fusion\/lip-sync$/,
        handle: (r) => accept(r, "video-fusion", ["init_video", "init_audio"]),
      },
      {
        name: "text-to-speech",
        method: "POST",
        pattern: /^\/api\/v7\/voice\/text-to-speech$/,
        handle: (r) => accept(r, "voice", ["prompt", "voice_id"]),
      },
      {
        name: "fetch",
        method: "POST",
        pattern: /^\/api\/v[67]\/(?<family>images|video-fusion|video|voice)\/fetch\/(?<id>\d+)$/,
        handle: fetchJob,
      },
      { name: "media", method: "GET", pattern: /^\/generations\/(?<file>[\w.-]+)$/, handle: media },
    ],
    renderError,
  );
  origin = await server.start(port);
  return {
    server,
    baseURL: `${origin}/api`,
    apiKey,
    completedJobs,
    setPollsBeforeReady: (family, count) => {
      polls[family] = count;
    },
    finishJobs: () => {
      for (const job of jobs.values()) job.remainingPolls = 0;
    },
    failNextJobs: (count, message = "Generation failed, please try again") => {
      for (let index = 0; index < count; index++) pendingFailures.push(message);
    },
    close: () => server.close(),
  };
}

/** ModelsLab's envelope: `{status: "error", message}` (or `messege`), at the status or at 200 (`inBody`). */
function renderError(fault: ErrorFault): FakeReply {
  const message = fault.message ?? DEFAULT_MESSAGES[fault.status] ?? "Something went wrong";
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
  return {
    status: fault.inBody ? 200 : fault.status,
    headers,
    body: {
      status: fault.code ?? "error",
      [fault.variant === "messege" ? "messege" : "message"]: message,
      ...(fault.retryAfterSeconds !== undefined ? { retry_after: fault.retryAfterSeconds } : {}),
    },
  };
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "prompt is required",
  401: "Invalid API key",
  402: "Insufficient credits. Please add more credits to continue.",
  403: "This feature requires a premium subscription",
  429: "Rate limit exceeded. Maximum 5 queued requests allowed.",
  500: "Internal server error, try again",
  503: "Service temporarily unavailable",
};
