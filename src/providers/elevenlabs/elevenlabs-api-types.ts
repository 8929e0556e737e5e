import { z } from "zod";

/** Parallel per-character timing arrays of `/with-timestamps`. */
const elevenLabsAlignmentSchema = z.looseObject({
  characters: z.array(z.string()),
  character_start_times_seconds: z.array(z.number()),
  character_end_times_seconds: z.array(z.number()),
});

/** Per-character timings as ElevenLabs sends them. */
export type ElevenLabsAlignment = z.output<typeof elevenLabsAlignmentSchema>;

/** `AudioWithTimestampsResponseModel`: base64 audio and (nullable) alignments. */
export const elevenLabsSpeechWithTimestampsSchema = z.looseObject({
  audio_base64: z.string().min(1),
  alignment: elevenLabsAlignmentSchema.nullish(),
  normalized_alignment: elevenLabsAlignmentSchema.nullish(),
});

/** One voice of `GET /v1/voices`. */
export const elevenLabsVoiceSchema = z.looseObject({
  voice_id: z.string(),
  name: z.string(),
  category: z.string().nullish(),
  labels: z.record(z.string(), z.unknown()).nullish(),
  preview_url: z.string().nullish(),
  description: z.string().nullish(),
});

/** `GET /v1/voices`. */
export const elevenLabsVoicesSchema = z.looseObject({ voices: z.array(elevenLabsVoiceSchema) });

/** `POST /v1/voices/add`. */
export const elevenLabsAddVoiceSchema = z.looseObject({
  voice_id: z.string().min(1),
  requires_verification: z.boolean().optional(),
});

/**
 * Error bodies: `{"detail": {"status", "message"}}` (old), `{"detail": {"type", "code", "message", "status"}}`
 * (new), `{"detail": [{"loc", "msg", "type"}]}` (422 validation), or `{"detail": "text"}`.
 */
export const elevenLabsErrorBodySchema = z.looseObject({
  detail: z.union([
    z.string(),
    z.array(
      z.looseObject({
        loc: z.array(z.union([z.string(), z.number()])).optional(),
        msg: z.string().optional(),
      }),
    ),
    z.looseObject({
      status: z.string().optional(),
      code: z.string().optional(),
      type: z.string().optional(),
      message: z.string().optional(),
    }),
  ]),
});
