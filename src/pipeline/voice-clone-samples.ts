import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { LitinkError } from "../errors/index.ts";
import { resolveFfmpeg } from "../media/index.ts";
import type { MediaInput } from "../providers/index.ts";
import { probeMedia } from "../render/index.ts";
import { sha256Hex } from "./input-key.ts";
import type { VoiceCloneSpec } from "./pipeline-types.ts";

/**
 * ElevenLabs instant voice cloning limits. `POST /v1/voices/add` takes one or more `files`; ElevenLabs
 * states an upload limit of 10 MB per file and up to 25 samples per voice, and recommends one to two
 * minutes of clean speech. A few seconds is the least it can clone from; less is refused here so the
 * user hears why before paying for anything.
 */
export const VOICE_SAMPLE_LIMITS = {
  maxBytesPerFile: 10 * 1024 * 1024,
  maxFilesPerVoice: 25,
  minTotalSeconds: 5,
} as const;

/** Media types ElevenLabs accepts, by ffprobe's format name (the first of its comma list). */
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  mp3: "audio/mpeg",
  wav: "audio/wav",
  flac: "audio/flac",
  ogg: "audio/ogg",
  mov: "audio/mp4",
  matroska: "audio/webm",
  aac: "audio/aac",
};

/** One checked sample file: its bytes, media type and length. */
interface VoiceSample extends MediaInput {
  readonly path: string;
  readonly sha256: string;
  readonly seconds: number;
}

/** One voice to clone, its samples checked. */
export interface CheckedVoiceClone {
  /** The speaker as the user wrote it; undefined for the narrator. */
  readonly speaker: string | undefined;
  readonly samples: readonly VoiceSample[];
}

/**
 * Reads and checks every voice sample before any work: the file exists and is not empty, ffprobe reads
 * it as audio in a format ElevenLabs accepts, it is within ElevenLabs' size limit, and each voice has
 * enough speech. Throws a user-facing `voice_clone.*` LitinkError naming the file and what to do.
 */
export async function checkVoiceSamples(
  clones: readonly VoiceCloneSpec[],
  ffmpeg: { readonly ffmpegPath?: string | undefined; readonly ffprobePath?: string | undefined },
  signal?: AbortSignal,
): Promise<CheckedVoiceClone[]> {
  const { ffprobe } = await resolveFfmpeg(ffmpeg);
  const checked: CheckedVoiceClone[] = [];
  for (const clone of clones) {
    const who = clone.speaker === undefined ? "the narrator" : `"${clone.speaker}"`;
    if (clone.samplePaths.length > VOICE_SAMPLE_LIMITS.maxFilesPerVoice) {
      throw sampleError(
        "voice_clone.too_many_samples",
        `${clone.samplePaths.length} voice samples for ${who}; ElevenLabs clones a voice from at most ${VOICE_SAMPLE_LIMITS.maxFilesPerVoice} files: pass fewer --clone-voice files for this speaker`,
        clone.samplePaths[0] ?? "",
      );
    }
    const samples: VoiceSample[] = [];
    for (const file of clone.samplePaths) samples.push(await checkSample(file, ffprobe.path, signal));
    const seconds = samples.reduce((total, sample) => total + sample.seconds, 0);
    if (seconds < VOICE_SAMPLE_LIMITS.minTotalSeconds) {
      throw sampleError(
        "voice_clone.sample_too_short",
        `${clone.samplePaths.map((file) => path.basename(file)).join(", ")}: ${seconds.toFixed(1)} s of audio for ${who}; voice cloning needs at least ${VOICE_SAMPLE_LIMITS.minTotalSeconds} s of clean speech (ElevenLabs recommends 1–2 minutes): record a longer sample`,
        clone.samplePaths[0] ?? "",
      );
    }
    checked.push({ speaker: clone.speaker, samples });
  }
  return checked;
}

async function checkSample(file: string, ffprobePath: string, signal?: AbortSignal): Promise<VoiceSample> {
  const name = path.basename(file);
  let bytes: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error("not a file");
    bytes = info.size;
  } catch {
    throw sampleError(
      "voice_clone.sample_not_found",
      `${file}: no such voice sample; check the path given to --clone-voice`,
      file,
    );
  }
  if (bytes === 0) {
    throw sampleError(
      "voice_clone.sample_empty",
      `${name}: the voice sample is empty (0 bytes); record or export it again`,
      file,
    );
  }
  if (bytes > VOICE_SAMPLE_LIMITS.maxBytesPerFile) {
    throw sampleError(
      "voice_clone.sample_too_large",
      `${name}: ${(bytes / 1024 / 1024).toFixed(1)} MB; ElevenLabs takes voice samples up to ${VOICE_SAMPLE_LIMITS.maxBytesPerFile / 1024 / 1024} MB each: cut it shorter or export it as MP3`,
      file,
    );
  }
  const notAudio = (why: string, cause?: unknown) =>
    sampleError(
      "voice_clone.sample_not_audio",
      `${name}: ${why}; give --clone-voice a recording of the speaker (MP3, WAV, FLAC, OGG, M4A or WebM)`,
      file,
      cause,
    );
  let probed: Awaited<ReturnType<typeof probeMedia>>;
  try {
    probed = await probeMedia(ffprobePath, file, signal);
  } catch (error) {
    if (signal?.aborted) throw error;
    throw notAudio("ffprobe cannot read it as audio", error);
  }
  const audio = probed.streams.find((stream) => stream.type === "audio");
  if (!audio) throw notAudio(`it has no audio (${probed.formatName || "unknown format"})`);
  const mediaType = MEDIA_TYPES[probed.formatName.split(",")[0] ?? ""];
  if (!mediaType) throw notAudio(`ElevenLabs does not take ${probed.formatName} files`);
  const seconds = Number.isFinite(probed.duration) ? probed.duration : (audio.duration ?? 0);
  const data = new Uint8Array(await readFile(file));
  return { path: file, data, mediaType, sha256: sha256Hex(data), seconds };
}

function sampleError(code: string, message: string, file: string, cause?: unknown): LitinkError {
  return new LitinkError(code, message, { userFacing: true, details: { file }, cause });
}
