import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type FfmpegBinaries, resolveFfmpeg } from "../../media/index.ts";
import { runFfmpeg } from "../ffmpeg/index.ts";

/** Small media files generated with FFmpeg's lavfi sources, for render tests. */
export interface RenderFixtures {
  readonly folder: string;
  readonly binaries: FfmpegBinaries;
  /** 16:9 PNG test pattern. */
  readonly landscapeImage: string;
  /** 3:4 JPEG colour bars. */
  readonly portraitImage: string;
  /** Small PNG for watermarks and logos. */
  readonly logo: string;
  /** 1.5 s of tone at about -20 dBFS, mono WAV. */
  readonly narration: string;
  /** 2 s of quieter tone, for music. */
  readonly music: string;
  /** 1 s 4:3 test video. */
  readonly video: string;
  /** A text file with a .png name. */
  readonly notAnImage: string;
  /** A 0-byte .wav file. */
  readonly emptyAudio: string;
  /** Runs FFmpeg with `args` (for making broken files in tests). */
  ffmpeg(args: string[]): Promise<void>;
}

/** Creates the fixtures in a fresh temporary folder (about a second of FFmpeg work). */
export async function createRenderFixtures(): Promise<RenderFixtures> {
  const binaries = await resolveFfmpeg();
  const folder = await mkdtemp(path.join(os.tmpdir(), "litink-render-test-"));
  await mkdir(folder, { recursive: true });
  const file = (name: string): string => path.join(folder, name);
  const ffmpeg = async (args: string[]): Promise<void> => {
    await runFfmpeg(binaries.ffmpeg.path, ["-hide_banner", "-nostdin", "-y", "-v", "error", ...args], {
      label: "fixture",
    });
  };
  const fixtures: RenderFixtures = {
    folder,
    binaries,
    landscapeImage: file("landscape.png"),
    portraitImage: file("portrait.jpg"),
    logo: file("logo.png"),
    narration: file("narration.wav"),
    music: file("music.wav"),
    video: file("clip.mp4"),
    notAnImage: file("not-an-image.png"),
    emptyAudio: file("empty.wav"),
    ffmpeg,
  };
  await Promise.all([
    ffmpeg(["-f", "lavfi", "-i", "testsrc=s=320x180", "-frames:v", "1", fixtures.landscapeImage]),
    ffmpeg(["-f", "lavfi", "-i", "smptebars=s=120x160", "-frames:v", "1", fixtures.portraitImage]),
    ffmpeg(["-f", "lavfi", "-i", "testsrc=s=64x32", "-frames:v", "1", fixtures.logo]),
    ffmpeg([
      "-f",
      "lavfi",
      "-i",
      "sine=f=300:d=1.5",
      "-af",
      "volume=0.2",
      "-ar",
      "48000",
      fixtures.narration,
    ]),
    ffmpeg(["-f", "lavfi", "-i", "sine=f=500:d=2", "-af", "volume=0.1", "-ar", "48000", fixtures.music]),
    ffmpeg([
      "-f",
      "lavfi",
      "-i",
      "testsrc2=s=160x120:r=25",
      "-t",
      "1",
      "-pix_fmt",
      "yuv420p",
      fixtures.video,
    ]),
    writeFile(fixtures.notAnImage, "this is not a picture\n"),
    writeFile(fixtures.emptyAudio, ""),
  ]);
  return fixtures;
}
