import { readFileSync } from "node:fs";

/** Real, decodable media the fakes serve (generated once with FFmpeg; see media/README.md). */
export interface FakeMedia {
  /** 64×64 PNG. */
  readonly png: Buffer;
  /** 1.567 s mono MP3 (a 440 Hz tone), with a LAME Info header. */
  readonly mp3: Buffer;
  /** 2 s 64×64 H.264 MP4 at 12 fps. */
  readonly mp4: Buffer;
}

let cached: FakeMedia | undefined;

/** Loads the committed media files once. */
export function fakeMedia(): FakeMedia {
  cached ??= {
    png: readFileSync(new URL("./media/image.png", import.meta.url)),
    mp3: readFileSync(new URL("./media/speech.mp3", import.meta.url)),
    mp4: readFileSync(new URL("./media/video.mp4", import.meta.url)),
  };
  return cached;
}

/** Duration of {@link FakeMedia.mp3}, as ffprobe reports it. */
export const FAKE_MP3_SECONDS = 1.567;
