import type { z } from "zod";
import type { Capability } from "../config/index.ts";
import type { Micros } from "../money/index.ts";

export type { Capability } from "../config/index.ts";

/**
 * Capability interfaces every provider implements (one small interface per capability, in the style of
 * vercel/ai's `ImageModelV4`). Capability names are the ones of config/models.yaml:
 * `script` (text generation), `image`, `video` (image-to-video), `voice` (speech), `voice_clone`, `lip_sync`.
 * Providers know nothing of tiers, users or prices: the router adds those.
 */

/** Per-call options every model accepts. */
export interface CallOptions {
  /** Aborts the call (the router's timeout and the user's Ctrl-C). */
  readonly signal?: AbortSignal | undefined;
  /** Sent as the provider's idempotency or request-tracking key where it has one. */
  readonly idempotencyKey?: string | undefined;
}

/** What every model exposes. */
interface ModelBase {
  /** The provider's name as in config/models.yaml: openrouter, modelslab, elevenlabs, local. */
  readonly provider: string;
  /** The model id as in config/models.yaml. */
  readonly modelId: string;
}

/** A binary payload with its media type, and a public URL when it has one (providers that fetch by URL). */
export interface MediaInput {
  readonly data: Uint8Array;
  readonly mediaType: string;
  readonly url?: string | undefined;
}

// ----------------------------------------------------------------------------------------- script (text)

/** One chat message. */
export interface ChatMessage {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

/**
 * A named task with its structured input, so a provider without a language model (the offline `local`
 * provider) can do the same job deterministically. Remote LLMs ignore it and read `messages`.
 * Known names: see `TEXT_TASKS` of the local provider (e.g. `adapt_chapter`, `character_bible`).
 */
export interface TextTask {
  readonly name: string;
  readonly input: unknown;
}

/** A text-generation request; with `schema`, the reply must be JSON that validates against it. */
export interface TextRequest<T = unknown> {
  readonly messages: readonly ChatMessage[];
  readonly schema?: z.ZodType<T> | undefined;
  /** A short name for the schema (JSON-schema `name` in response_format). */
  readonly schemaName?: string | undefined;
  readonly maxOutputTokens?: number | undefined;
  readonly temperature?: number | undefined;
  readonly seed?: number | undefined;
  readonly task?: TextTask | undefined;
}

/** Token counts of one call. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** A text-generation result. */
export interface TextResult<T = unknown> {
  readonly text: string;
  /** The parsed, validated JSON when the request had a schema. */
  readonly value: T | undefined;
  readonly usage: TokenUsage;
  /** The model that actually answered (OpenRouter may fall back inside its own `models` list). */
  readonly modelId: string;
  /** The cost the provider reported for this call, when it reports one (OpenRouter `usage.cost`). */
  readonly costMicros?: Micros | undefined;
  readonly finishReason?: string | undefined;
}

/** Generates text (and structured JSON). */
export interface TextModel extends ModelBase {
  generate<T>(request: TextRequest<T>, options?: CallOptions): Promise<TextResult<T>>;
}

// ------------------------------------------------------------------------------------------------ image

/** A text-to-image request. */
export interface ImageRequest {
  readonly prompt: string;
  readonly negativePrompt?: string | undefined;
  readonly width: number;
  readonly height: number;
  readonly seed?: number | undefined;
  /** A style name such as "watercolor" or "cinematic"; providers map it into their prompt or parameter. */
  readonly style?: string | undefined;
  /** Reference images for character consistency, where the model supports them. */
  readonly referenceImages?: readonly MediaInput[] | undefined;
}

/** A generated image. */
export interface ImageResult {
  readonly image: Uint8Array;
  readonly mediaType: string;
  readonly width: number;
  readonly height: number;
  readonly seed?: number | undefined;
  readonly modelId: string;
  readonly costMicros?: Micros | undefined;
}

/** Generates images. */
export interface ImageModel extends ModelBase {
  generate(request: ImageRequest, options?: CallOptions): Promise<ImageResult>;
}

// ------------------------------------------------------------------------------------------------ voice

/** A text-to-speech request. */
export interface SpeechRequest {
  readonly text: string;
  /** The provider's voice id (ElevenLabs voice id, or a local voice name). */
  readonly voice: string;
  /** ISO 639-1 language code. @defaultValue "en" */
  readonly language?: string | undefined;
  /** 1 is normal speed. @defaultValue 1 */
  readonly speed?: number | undefined;
  readonly seed?: number | undefined;
}

/** When a word is spoken, in seconds from the start of the audio. */
export interface WordTiming {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

/** Synthesized speech. */
export interface SpeechResult {
  readonly audio: Uint8Array;
  /** audio/mpeg, audio/wav, … */
  readonly mediaType: string;
  readonly durationSeconds: number;
  /** Word timings for captions, when the provider gives them (ElevenLabs alignment, local synthesis). */
  readonly words?: readonly WordTiming[] | undefined;
  /** Characters billed (ElevenLabs `character-cost`), else the text length. */
  readonly characters: number;
  readonly modelId: string;
  readonly costMicros?: Micros | undefined;
}

/** Speaks text. */
export interface SpeechModel extends ModelBase {
  generate(request: SpeechRequest, options?: CallOptions): Promise<SpeechResult>;
}

// ------------------------------------------------------------------------------------------ voice_clone

/** A voice-cloning request: a name and a few clean samples of one speaker. */
export interface VoiceCloneRequest {
  readonly name: string;
  readonly samples: readonly MediaInput[];
  readonly description?: string | undefined;
}

/** A cloned voice, usable as `SpeechRequest.voice`. */
export interface VoiceCloneResult {
  readonly voiceId: string;
  readonly modelId: string;
  readonly costMicros?: Micros | undefined;
}

/** Clones voices. */
export interface VoiceCloneModel extends ModelBase {
  clone(request: VoiceCloneRequest, options?: CallOptions): Promise<VoiceCloneResult>;
}

// ------------------------------------------------------------------------------------------------ video

/** An image-to-video request. */
export interface ImageToVideoRequest {
  readonly image: MediaInput;
  /** What should move and how ("slow push in, leaves drifting"). */
  readonly prompt?: string | undefined;
  readonly durationSeconds: number;
  readonly width: number;
  readonly height: number;
  readonly fps?: number | undefined;
  readonly seed?: number | undefined;
}

/** A generated video clip. */
export interface VideoResult {
  readonly video: Uint8Array;
  readonly mediaType: string;
  readonly durationSeconds: number;
  readonly modelId: string;
  readonly costMicros?: Micros | undefined;
}

/** Animates a still. */
export interface ImageToVideoModel extends ModelBase {
  generate(request: ImageToVideoRequest, options?: CallOptions): Promise<VideoResult>;
}

// --------------------------------------------------------------------------------------------- lip_sync

/** A lip-sync request: a face (image or video) and the speech it should mouth. */
export interface LipSyncRequest {
  readonly face: MediaInput;
  readonly audio: MediaInput;
}

/** Lip-syncs a face to speech. */
export interface LipSyncModel extends ModelBase {
  generate(request: LipSyncRequest, options?: CallOptions): Promise<VideoResult>;
}

// --------------------------------------------------------------------------------------------- provider

/** The model interface of each capability. */
export interface ModelByCapability {
  script: TextModel;
  image: ImageModel;
  video: ImageToVideoModel;
  voice: SpeechModel;
  voice_clone: VoiceCloneModel;
  lip_sync: LipSyncModel;
}

/** The request type of each capability. */
export interface RequestByCapability {
  script: TextRequest;
  image: ImageRequest;
  video: ImageToVideoRequest;
  voice: SpeechRequest;
  voice_clone: VoiceCloneRequest;
  lip_sync: LipSyncRequest;
}

/** The result type of each capability. */
export interface ResultByCapability {
  script: TextResult;
  image: ImageResult;
  video: VideoResult;
  voice: SpeechResult;
  voice_clone: VoiceCloneResult;
  lip_sync: VideoResult;
}

/**
 * A provider: its name, what it supports, and a factory for each supported capability's model.
 * Asking a provider for a capability or option it does not declare is a `provider.unsupported` error
 * raised before any call.
 */
export interface Provider {
  readonly name: string;
  /** Capabilities and, for each, the optional request fields it honours (e.g. image: ["seed", "negativePrompt"]). */
  readonly supports: { readonly [C in Capability]?: readonly string[] };
  model<C extends Capability>(capability: C, modelId: string): ModelByCapability[C];
}
