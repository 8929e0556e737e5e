import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveFfmpeg } from "../../media/index.ts";
import { isProviderError } from "../provider-error.ts";
import { createLocal } from "./local-provider.ts";

const execFileAsync = promisify(execFile);
const local = createLocal();
let directory: string;
let still: Uint8Array;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "litink-local-video-"));
  const image = await local.model("image", "procedural").generate({
    prompt: "The street, at night. Della is there. Key image: She fluttered out the door.",
    width: 480,
    height: 270,
    seed: 2,
  });
  still = image.image;
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function saved(bytes: Uint8Array, name: string): Promise<string> {
  const file = path.join(directory, name);
  await writeFile(file, bytes);
  return file;
}

describe("local image-to-video (Ken Burns with FFmpeg)", () => {
  const model = local.model("video", "ken-burns");

  it("renders an H.264 MP4 of the requested size, duration and frame count, with visible motion", async () => {
    const result = await model.generate({
      image: { data: still, mediaType: "image/png" },
      prompt: "slow push in",
      durationSeconds: 1.2,
      width: 320,
      height: 180,
      fps: 25,
    });
    expect(result.mediaType).toBe("video/mp4");
    expect(result.durationSeconds).toBe(1.2);
    expect(result.costMicros).toBe(0);
    const file = await saved(result.video, "clip.mp4");
    const { ffmpeg, ffprobe } = await resolveFfmpeg();
    const { stdout } = await execFileAsync(ffprobe.path, [
      ...["-v", "error", "-count_frames", "-select_streams", "v:0"],
      ...[
        "-show_entries",
        "stream=codec_name,width,height,nb_read_frames,pix_fmt:format=duration",
        "-of",
        "json",
      ],
      file,
    ]);
    const probe = JSON.parse(stdout) as {
      streams: {
        codec_name: string;
        width: number;
        height: number;
        nb_read_frames: string;
        pix_fmt: string;
      }[];
      format: { duration: string };
    };
    expect(probe.streams[0]).toMatchObject({
      codec_name: "h264",
      width: 320,
      height: 180,
      pix_fmt: "yuv420p",
    });
    expect(Number(probe.streams[0]!.nb_read_frames)).toBe(30);
    expect(Math.abs(Number(probe.format.duration) - 1.2)).toBeLessThan(0.05);

    // The first and last frames differ: the camera moved.
    const frame = async (index: number): Promise<Buffer> => {
      const { stdout: raw } = await execFileAsync(
        ffmpeg.path,
        [
          "-v",
          "error",
          "-i",
          file,
          "-vf",
          `select=eq(n\\,${index}),format=gray`,
          "-frames:v",
          "1",
          "-f",
          "rawvideo",
          "-",
        ],
        { encoding: "buffer", maxBuffer: 1 << 24 },
      );
      return raw;
    };
    const [first, last] = [await frame(0), await frame(29)];
    expect(first.length).toBe(320 * 180);
    let changed = 0;
    for (let index = 0; index < first.length; index += 1)
      if (Math.abs(first[index]! - last[index]!) > 12) changed += 1;
    expect(changed / first.length).toBeGreaterThan(0.02);
  });

  it("is deterministic for the same still, prompt and seed", async () => {
    const request = {
      image: { data: still, mediaType: "image/png" },
      durationSeconds: 0.4,
      width: 160,
      height: 90,
      seed: 7,
    };
    const first = await model.generate(request);
    const again = await model.generate(request);
    expect(Buffer.from(again.video).equals(Buffer.from(first.video))).toBe(true);
  });

  it("refuses odd sizes, impossible durations and non-images before running FFmpeg", async () => {
    const bad = model.generate({
      image: { data: still, mediaType: "text/plain" },
      durationSeconds: 0,
      width: 321,
      height: 180,
    });
    await expect(bad).rejects.toSatisfy((error) => isProviderError(error) && error.kind === "bad_request");
    await expect(bad).rejects.toThrow(/width must be an even.*durationSeconds.*image must be/);
  });
});
