import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeMedia } from "../../../test/fakes/fake-media.ts";
import { createModelsLabFake, type ModelsLabFake } from "../../../test/fakes/modelslab-fake.ts";
import type { Clock } from "../http/index.ts";
import { isProviderError, type ProviderError } from "../provider-error.ts";
import type { Provider } from "../types.ts";
import { createModelsLab } from "./modelslab-provider.ts";

let fake: ModelsLabFake;
let modelslab: Provider;
const fastPolling = { initialDelayMs: 5, maxDelayMs: 20, deadlineMs: 5000 };
const image = { prompt: "a lighthouse at dusk", width: 512, height: 512 };

beforeAll(async () => {
  fake = await createModelsLabFake();
  modelslab = createModelsLab({ apiKey: fake.apiKey, baseURL: fake.baseURL, polling: fastPolling });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.server.resetFaultsAndCalls();
  fake.completedJobs.length = 0;
  fake.setPollsBeforeReady("images", 0);
  fake.setPollsBeforeReady("video-fusion", 2);
});

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

const still = { data: fakeMedia().png, mediaType: "image/png", url: "https://storage.example/still.png" };

describe("ModelsLab provider against the fake", () => {
  it("generates an image synchronously and downloads the real PNG", async () => {
    const result = await modelslab
      .model("image", "imagen-4")
      .generate(
        { ...image, negativePrompt: "blurry", seed: 7, style: "watercolor" },
        { idempotencyKey: "job-1" },
      );
    expect(Buffer.from(result.image).equals(fakeMedia().png)).toBe(true);
    expect(result).toMatchObject({
      mediaType: "image/png",
      width: 64,
      height: 64,
      seed: 7,
      modelId: "imagen-4",
    });
    const sent = fake.server.requests[0]!;
    expect(sent.json).toMatchObject({
      key: fake.apiKey,
      model_id: "imagen-4",
      prompt: "a lighthouse at dusk, watercolor style",
      negative_prompt: "blurry",
      width: 512,
      seed: 7,
      track_id: "job-1",
    });
    expect(sent.headers.key).toBe(fake.apiKey);
    expect(fake.server.calls("fetch")).toBe(0);
  });

  it("polls an asynchronous image-to-video job to success", async () => {
    const result = await modelslab
      .model("video", "seedance-i2v")
      .generate({ image: still, prompt: "slow push in", durationSeconds: 5, width: 512, height: 512 });
    expect(fake.server.calls("image-to-video")).toBe(1);
    // Two polls answered "processing", the third "success".
    expect(fake.server.calls("fetch")).toBe(3);
    expect(fake.server.calls("media")).toBe(1);
    expect(result.mediaType).toBe("video/mp4");
    expect(result.durationSeconds).toBeCloseTo(2, 1);
    expect(Buffer.from(result.video).equals(fakeMedia().mp4)).toBe(true);
    expect(fake.server.requests[0]!.json).toMatchObject({
      init_image: still.url,
      prompt: "slow push in",
      duration: 5,
    });
    expect(fake.completedJobs).toHaveLength(1);
  });

  it("synthesizes speech and lip-syncs a face video", async () => {
    const speech = await modelslab
      .model("voice", "eleven_multilingual_v2")
      .generate({ text: "Hello there.", voice: "21m00Tcm4TlvDq8ikWAM", language: "en" });
    expect(speech.mediaType).toBe("audio/mpeg");
    expect(speech.durationSeconds).toBeCloseTo(1.567, 1);
    expect(speech.characters).toBe(12);
    expect(fake.server.requests[0]!.json).toMatchObject({
      prompt: "Hello there.",
      voice_id: "21m00Tcm4TlvDq8ikWAM",
    });

    const face = { data: fakeMedia().mp4, mediaType: "video/mp4", url: "https://storage.example/face.mp4" };
    const audio = { data: fakeMedia().mp3, mediaType: "audio/mpeg", url: "https://storage.example/line.mp3" };
    const synced = await modelslab.model("lip_sync", "lipsync-2").generate({ face, audio });
    expect(synced.mediaType).toBe("video/mp4");
    expect(fake.server.requests.find((r) => r.route === "lip-sync")!.json).toMatchObject({
      init_video: face.url,
      init_audio: audio.url,
    });
  });

  it("refuses unsupported capabilities and options before any call", async () => {
    expect(() => modelslab.model("voice_clone", "x")).toThrow(/voice_clone capability is not supported/);
    const reference = await failure(
      modelslab.model("image", "imagen-4").generate({ ...image, referenceImages: [still] }),
    );
    expect(reference.kind).toBe("unsupported");
    const bytesOnly = await failure(
      modelslab.model("video", "seedance-i2v").generate({
        image: { data: still.data, mediaType: "image/png" },
        durationSeconds: 5,
        width: 512,
        height: 512,
      }),
    );
    expect(bytesOnly.kind).toBe("unsupported");
    const fps = await failure(
      modelslab
        .model("video", "seedance-i2v")
        .generate({ image: still, durationSeconds: 5, width: 512, height: 512, fps: 30 }),
    );
    expect(fps.message).toContain('"fps"');
    const stillFace = await failure(
      modelslab
        .model("lip_sync", "lipsync-2")
        .generate({ face: still, audio: { ...still, mediaType: "audio/mpeg" } }),
    );
    expect(stillFace.kind).toBe("unsupported");
    expect(fake.server.calls()).toBe(0);
  });

  const errorCases = [
    { status: 400, kind: "bad_request", retryable: false },
    { status: 401, kind: "auth", retryable: false },
    { status: 402, kind: "no_credits", retryable: false },
    { status: 403, kind: "auth", retryable: false },
    { status: 429, kind: "rate_limited", retryable: true },
    { status: 500, kind: "server", retryable: true },
    { status: 503, kind: "server", retryable: true },
  ] as const;
  it.each(errorCases)(
    "maps HTTP $status to $kind, and the same error at HTTP 200",
    async ({ status, kind, retryable }) => {
      const model = modelslab.model("image", "imagen-4");
      fake.server.fail("text-to-image", { kind: "error", status });
      const atStatus = await failure(model.generate(image));
      expect([atStatus.kind, atStatus.status, atStatus.retryable]).toEqual([kind, status, retryable]);
      fake.server.fail("text-to-image", { kind: "error", status, inBody: true, variant: "messege" });
      const inBody = await failure(model.generate(image));
      expect([inBody.kind, inBody.status, inBody.retryable]).toEqual([kind, 200, retryable]);
    },
  );

  it("reads retry_after from a 429 body", async () => {
    fake.server.fail("text-to-image", { kind: "error", status: 429, retryAfterSeconds: 30 });
    const error = await failure(modelslab.model("image", "imagen-4").generate(image));
    expect(error.retryAfterMs).toBe(30_000);
  });

  it("rejects a wrong key and validates the request like ModelsLab", async () => {
    const wrong = createModelsLab({ apiKey: "nope", baseURL: fake.baseURL, polling: fastPolling });
    expect((await failure(wrong.model("image", "imagen-4").generate(image))).kind).toBe("auth");
    const tooWide = await failure(modelslab.model("image", "imagen-4").generate({ ...image, width: 9000 }));
    expect(tooWide.kind).toBe("bad_request");
    expect(tooWide.message).toContain("width must be between");
  });

  it("reports a job that fails while processing as a retryable server error", async () => {
    fake.failNextJobs(1, "Generation failed, please try again");
    const error = await failure(
      modelslab
        .model("video", "seedance-i2v")
        .generate({ image: still, durationSeconds: 5, width: 512, height: 512 }),
    );
    expect(error.kind).toBe("server");
    expect(error.message).toContain("Generation failed");
    expect(fake.completedJobs).toHaveLength(0);
  });

  it("polls with exponential backoff on the injected clock and stops at the deadline", async () => {
    fake.setPollsBeforeReady("video-fusion", 1000);
    let now = 0;
    const sleeps: number[] = [];
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    };
    const slow = createModelsLab({
      apiKey: fake.apiKey,
      baseURL: fake.baseURL,
      clock,
      polling: { initialDelayMs: 1000, maxDelayMs: 8000, deadlineMs: 30_000 },
    });
    const error = await failure(
      slow
        .model("video", "seedance-i2v")
        .generate({ image: still, durationSeconds: 5, width: 512, height: 512 }),
    );
    expect(error.kind).toBe("timeout");
    expect(error.message).toContain("still processing after 30 s");
    expect(sleeps.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(30_000);
    expect(fake.server.calls("fetch")).toBe(sleeps.length);
  });

  it("resumes an unfinished job on a retry with the same idempotency key instead of paying again", async () => {
    let now = 0;
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    };
    const client = createModelsLab({
      apiKey: fake.apiKey,
      baseURL: fake.baseURL,
      clock,
      polling: { initialDelayMs: 1000, maxDelayMs: 8000, deadlineMs: 30_000 },
    });
    const video = client.model("video", "seedance-i2v");
    const scene = { image: still, prompt: "waves", durationSeconds: 5, width: 512, height: 512 };

    fake.setPollsBeforeReady("video-fusion", 1000);
    const timedOut = await failure(video.generate(scene, { idempotencyKey: "scene-3" }));
    expect(timedOut.kind).toBe("timeout");
    fake.finishJobs();
    await video.generate(scene, { idempotencyKey: "scene-3" });
    expect(fake.server.calls("image-to-video")).toBe(1);

    fake.setPollsBeforeReady("video-fusion", 0);
    fake.server.fail("media", { kind: "reset" });
    expect((await failure(video.generate(scene, { idempotencyKey: "scene-4" }))).kind).toBe("network");
    await video.generate(scene, { idempotencyKey: "scene-4" });
    expect(fake.server.calls("image-to-video")).toBe(2);

    // A different request under the same key, a failed job, or no key at all: a new job.
    await video.generate({ ...scene, prompt: "storm" }, { idempotencyKey: "scene-4" });
    fake.failNextJobs(1);
    fake.setPollsBeforeReady("video-fusion", 1);
    expect((await failure(video.generate(scene, { idempotencyKey: "scene-5" }))).kind).toBe("server");
    await video.generate(scene, { idempotencyKey: "scene-5" });
    await video.generate(scene);
    expect(fake.server.calls("image-to-video")).toBe(6);
    expect(fake.completedJobs).toHaveLength(5);
  });

  it("caps downloads by Content-Length and by bytes read, and checks the content type", async () => {
    const capped = createModelsLab({
      apiKey: fake.apiKey,
      baseURL: fake.baseURL,
      polling: fastPolling,
      maxDownloadBytes: { image: 10_000 },
    });
    const model = capped.model("image", "imagen-4");
    fake.server.fail("media", { kind: "oversize", bytes: 50_000 });
    expect((await failure(model.generate(image))).kind).toBe("too_large");
    fake.server.fail("media", { kind: "oversize", bytes: 50_000, undeclared: true });
    expect((await failure(model.generate(image))).kind).toBe("too_large");
    fake.server.fail("media", { kind: "wrong-content-type" });
    expect((await failure(model.generate(image))).kind).toBe("invalid_response");
    fake.server.fail("media", { kind: "content-type", value: "application/octet-stream" });
    expect((await model.generate(image)).mediaType).toBe("image/png");
    fake.server.fail("media", { kind: "content-type", value: "audio/mpeg" });
    expect((await failure(model.generate(image))).kind).toBe("invalid_response");
  });

  it("never follows a fetch_result on another origin: it polls its own API by id", async () => {
    const elsewhere = await createModelsLabFake({ fetchResultOrigin: "http://127.0.0.1:9" });
    try {
      const client = createModelsLab({
        apiKey: elsewhere.apiKey,
        baseURL: elsewhere.baseURL,
        polling: fastPolling,
      });
      const result = await client
        .model("video", "seedance-i2v")
        .generate({ image: still, durationSeconds: 5, width: 512, height: 512 });
      expect(result.mediaType).toBe("video/mp4");
      expect(elsewhere.server.requests.filter((r) => r.route === "fetch").map((r) => r.path)).toEqual([
        "/api/v7/video-fusion/fetch/155918900",
        "/api/v7/video-fusion/fetch/155918900",
        "/api/v7/video-fusion/fetch/155918900",
      ]);
    } finally {
      await elsewhere.close();
    }
  });

  it("times out a hung poll and classifies a malformed answer", async () => {
    fake.server.fail("fetch", { kind: "hang" });
    const video = modelslab.model("video", "seedance-i2v");
    const hung = await failure(
      video.generate(
        { image: still, durationSeconds: 5, width: 512, height: 512 },
        { signal: AbortSignal.timeout(200) },
      ),
    );
    expect(hung.kind).toBe("timeout");
    fake.server.fail("text-to-image", { kind: "malformed-json" });
    expect((await failure(modelslab.model("image", "imagen-4").generate(image))).kind).toBe(
      "invalid_response",
    );
  });
});
