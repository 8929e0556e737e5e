import { z } from "zod";

/**
 * The envelope every ModelsLab generation and fetch endpoint answers with. `status` is authoritative
 * whatever the HTTP code; legacy endpoints spell `message` as `messege`; `id` is an integer on some
 * endpoints and a string on others.
 */
export const modelsLabEnvelopeSchema = z.looseObject({
  status: z.string(),
  id: z.union([z.number(), z.string()]).nullish(),
  output: z.array(z.string()).nullish(),
  proxy_links: z.array(z.string()).nullish(),
  future_links: z.array(z.string()).nullish(),
  fetch_result: z.string().nullish(),
  eta: z.number().nullish(),
  message: z.unknown().optional(),
  messege: z.unknown().optional(),
  tip: z.string().nullish(),
  generationTime: z.number().nullish(),
  audio_time: z.number().nullish(),
  retry_after: z.union([z.number(), z.string()]).nullish(),
  nsfw_content_detected: z.unknown().optional(),
  meta: z
    .looseObject({ width: z.number().optional(), height: z.number().optional(), seed: z.number().optional() })
    .nullish(),
});

/** A parsed ModelsLab answer (generation or fetch). */
export type ModelsLabEnvelope = z.output<typeof modelsLabEnvelopeSchema>;

/** The endpoint families, each with its own `fetch/{id}`. */
export type ModelsLabFamily = "images" | "video-fusion" | "voice";

/** The v7 endpoints LitinkAI calls, relative to the base URL (`https://modelslab.com/api`). */
export const MODELSLAB_PATHS = {
  textToImage: "/v7/images/text-to-image",
  imageToVideo: "/v7/video-fusion/image-to-video",
  lipSync: "/v7/video-fusion/lip-sync",
  textToSpeech: "/v7/voice/text-to-speech",
  fetch: (family: ModelsLabFamily, id: string | number) => `/v7/${family}/fetch/${id}`,
} as const;
