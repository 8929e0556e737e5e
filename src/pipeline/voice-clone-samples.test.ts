import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLitinkError } from "../errors/index.ts";
import { createRenderFixtures, type RenderFixtures } from "../render/testing/render-fixtures.ts";
import { sha256Hex } from "./input-key.ts";
import { checkVoiceSamples, VOICE_SAMPLE_LIMITS } from "./voice-clone-samples.ts";

let fixtures: RenderFixtures;
let speech: string;
let shortMp3: string;

beforeAll(async () => {
  fixtures = await createRenderFixtures();
  speech = path.join(fixtures.folder, "speech.wav");
  shortMp3 = path.join(fixtures.folder, "short.mp3");
  await Promise.all([
    fixtures.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=220:duration=6", "-ac", "1", speech]),
    fixtures.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=330:duration=3", "-ac", "1", shortMp3]),
  ]);
});

afterAll(async () => {
  if (fixtures) await rm(fixtures.folder, { recursive: true, force: true });
});

const ffmpeg = () => ({
  ffmpegPath: fixtures.binaries.ffmpeg.path,
  ffprobePath: fixtures.binaries.ffprobe.path,
});

/** The code and message of what `checkVoiceSamples` throws for `paths` spoken by the narrator. */
async function refusal(paths: string[]): Promise<{ code: string; message: string }> {
  try {
    await checkVoiceSamples([{ samplePaths: paths }], ffmpeg());
  } catch (error) {
    if (isLitinkError(error) && error.userFacing) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("the samples were accepted");
}

describe("checkVoiceSamples", () => {
  it("reads a good sample with its media type, length and content hash", async () => {
    const [voice] = await checkVoiceSamples([{ speaker: "Della", samplePaths: [speech] }], ffmpeg());
    const sample = voice?.samples[0];
    expect(voice?.speaker).toBe("Della");
    expect(sample?.mediaType).toBe("audio/wav");
    expect(sample?.seconds).toBeCloseTo(6, 1);
    expect(sample?.sha256).toBe(sha256Hex(await readFile(speech)));
  });

  it("counts the length of all of one speaker's samples together", async () => {
    const [voice] = await checkVoiceSamples([{ samplePaths: [shortMp3, shortMp3] }], ffmpeg());
    expect(voice?.samples.map((sample) => sample.mediaType)).toEqual(["audio/mpeg", "audio/mpeg"]);
  });

  it("refuses a missing file, naming it", async () => {
    const missing = path.join(fixtures.folder, "nowhere.wav");
    expect(await refusal([missing])).toEqual({
      code: "voice_clone.sample_not_found",
      message: `${missing}: no such voice sample; check the path given to --clone-voice`,
    });
  });

  it("refuses an empty file", async () => {
    expect(await refusal([fixtures.emptyAudio])).toEqual({
      code: "voice_clone.sample_empty",
      message: "empty.wav: the voice sample is empty (0 bytes); record or export it again",
    });
  });

  it("refuses a file ffprobe cannot read, and media without audio", async () => {
    const text = path.join(fixtures.folder, "notes.mp3");
    await writeFile(text, "this is not a recording\n".repeat(20));
    const unreadable = await refusal([text]);
    expect(unreadable.code).toBe("voice_clone.sample_not_audio");
    expect(unreadable.message).toBe(
      "notes.mp3: ffprobe cannot read it as audio; give --clone-voice a recording of the speaker (MP3, WAV, FLAC, OGG, M4A or WebM)",
    );
    const image = await refusal([fixtures.logo]);
    expect(image.code).toBe("voice_clone.sample_not_audio");
    expect(image.message).toMatch(/^logo\.png: it has no audio \(.+\); give --clone-voice a recording/);
  });

  it("refuses less speech than ElevenLabs can clone from", async () => {
    const short = await refusal([shortMp3]);
    expect(short.code).toBe("voice_clone.sample_too_short");
    expect(short.message).toMatch(
      new RegExp(
        `^short\\.mp3: 3\\.\\d s of audio for the narrator; voice cloning needs at least ${VOICE_SAMPLE_LIMITS.minTotalSeconds} s`,
      ),
    );
  });

  it("refuses more files for one voice than ElevenLabs takes", async () => {
    const many = Array.from({ length: VOICE_SAMPLE_LIMITS.maxFilesPerVoice + 1 }, () => speech);
    expect((await refusal(many)).code).toBe("voice_clone.too_many_samples");
  });
});
