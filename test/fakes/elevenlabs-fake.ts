import { randomUUID } from "node:crypto";
import { ELEVENLABS_LOGICAL_VOICE_IDS } from "../../src/providers/index.ts";
import { FAKE_MP3_SECONDS, fakeMedia } from "./fake-media.ts";
import { type FakeReply, type FakeRequest, FakeServer } from "./fake-server.ts";
import type { ErrorFault } from "./fault.ts";

/** One voice of the fake account. */
interface FakeVoice {
  readonly voice_id: string;
  readonly name: string;
  readonly category: string;
}

/** Characters the fake billed (`character-cost`) for one successful synthesis. */
interface ElevenLabsCharge {
  readonly requestId: string;
  readonly voiceId: string;
  readonly modelId: string;
  readonly characters: number;
}

/** One voice the fake cloned (`POST /v1/voices/add`), with the samples it was sent. */
interface ElevenLabsClone {
  readonly voiceId: string;
  readonly name: string;
  readonly description: string | undefined;
  readonly files: readonly { readonly name: string; readonly type: string; readonly data: Uint8Array }[];
}

/** Options of {@link createElevenLabsFake}. */
export interface ElevenLabsFakeOptions {
  /** @defaultValue "el-fake-key" */
  readonly apiKey?: string;
}

/** The ElevenLabs fake: its server plus ElevenLabs-specific state. */
export interface ElevenLabsFake {
  readonly server: FakeServer;
  /** The origin, what ELEVENLABS_BASE_URL should be (paths start with /v1). */
  readonly baseURL: string;
  readonly apiKey: string;
  readonly voices: FakeVoice[];
  readonly charges: ElevenLabsCharge[];
  /** Every voice cloned, in order. */
  readonly clones: ElevenLabsClone[];
  /** The sum of billed characters. */
  totalCharacters(): number;
  close(): Promise<void>;
}

const MODEL_CHARACTER_LIMITS: Record<string, number> = {
  eleven_multilingual_v2: 10_000,
  eleven_turbo_v2_5: 40_000,
  eleven_flash_v2_5: 40_000,
  eleven_turbo_v2: 30_000,
  eleven_flash_v2: 30_000,
};

/**
 * Starts an ElevenLabs fake on 127.0.0.1: `xi-api-key` auth, text-to-speech (binary MP3) and
 * `/with-timestamps` (base64 MP3 plus parallel character alignment arrays spread over the audio),
 * `character-cost` / `request-id` / `history-item-id` headers, `/v1/voices`, multipart `/v1/voices/add`,
 * `/v1/user/subscription`, and both error envelopes (`detail.status` and `detail.type/code`).
 */
export async function createElevenLabsFake(
  options: ElevenLabsFakeOptions = {},
  port = 0,
): Promise<ElevenLabsFake> {
  const apiKey = options.apiKey ?? "el-fake-key";
  // The premade voices every account has (the ones LitinkAI's logical voices map to).
  const voices: FakeVoice[] = [
    { voice_id: "21m00Tcm4TlvDq8ikWAM", name: "Rachel", category: "premade" },
    { voice_id: "pNInz6obpgDQGcFmaJgB", name: "Adam", category: "premade" },
    ...ELEVENLABS_LOGICAL_VOICE_IDS.filter(
      (id) => id !== "21m00Tcm4TlvDq8ikWAM" && id !== "pNInz6obpgDQGcFmaJgB",
    ).map((id) => ({ voice_id: id, name: `Premade ${id.slice(0, 4)}`, category: "premade" })),
  ];
  const charges: ElevenLabsCharge[] = [];
  const clones: ElevenLabsClone[] = [];

  const checkKey = (request: FakeRequest): FakeReply | undefined =>
    request.headers["xi-api-key"] === apiKey
      ? undefined
      : renderError({ kind: "error", status: 401, code: "invalid_api_key", message: "Invalid API key" });

  const synthesize = (request: FakeRequest, withTimestamps: boolean): FakeReply => {
    const denied = checkKey(request);
    if (denied) return denied;
    const body = request.json as { text?: unknown; model_id?: unknown } | undefined;
    if (!body || typeof body.text !== "string" || body.text === "") {
      return {
        status: 422,
        body: { detail: [{ loc: ["body", "text"], msg: "field required", type: "value_error.missing" }] },
      };
    }
    const modelId = typeof body.model_id === "string" ? body.model_id : "eleven_multilingual_v2";
    const limit = MODEL_CHARACTER_LIMITS[modelId];
    if (limit === undefined) {
      return renderError({
        kind: "error",
        status: 400,
        code: "model_not_found",
        message: `Model ${modelId} not found`,
      });
    }
    if (body.text.length > limit) {
      return renderError({
        kind: "error",
        status: 400,
        code: "max_character_limit_exceeded",
        message: `Text is ${body.text.length} characters; the limit for ${modelId} is ${limit}`,
      });
    }
    const voiceId = decodeURIComponent(request.params.voice ?? "");
    if (!voices.some((voice) => voice.voice_id === voiceId)) {
      return renderError({
        kind: "error",
        status: 404,
        code: "voice_not_found",
        message: `A voice with the voice_id ${voiceId} was not found.`,
      });
    }
    const format = request.url.searchParams.get("output_format") ?? "mp3_44100_128";
    if (!format.startsWith("mp3_")) {
      return renderError({
        kind: "error",
        status: 400,
        code: "invalid_output_format",
        message: `the fake serves MP3 only, not ${format}`,
      });
    }
    const requestId = randomUUID().replaceAll("-", "");
    charges.push({ requestId, voiceId, modelId, characters: body.text.length });
    const headers = {
      "character-cost": String(body.text.length),
      "request-id": requestId,
      "history-item-id": randomUUID().replaceAll("-", "").slice(0, 20),
    };
    const mp3 = fakeMedia().mp3;
    if (!withTimestamps)
      return { status: 200, headers: { ...headers, "content-type": "audio/mpeg" }, body: mp3 };
    const alignment = alignmentOf(body.text);
    return {
      status: 200,
      headers,
      body: { audio_base64: mp3.toString("base64"), alignment, normalized_alignment: alignment },
    };
  };

  const addVoice = async (request: FakeRequest): Promise<FakeReply> => {
    const denied = checkKey(request);
    if (denied) return denied;
    const contentType = request.headers["content-type"] ?? "";
    if (!contentType.startsWith("multipart/form-data")) {
      return {
        status: 422,
        body: { detail: [{ loc: ["body"], msg: "expected multipart/form-data", type: "value_error" }] },
      };
    }
    const form = await new Response(request.body, { headers: { "content-type": contentType } }).formData();
    const name = form.get("name");
    const files = form
      .getAll("files")
      .filter((file) => typeof file !== "string")
      .map(
        (file) =>
          file as unknown as {
            readonly name: string;
            readonly type: string;
            arrayBuffer(): Promise<ArrayBuffer>;
          },
      );
    const problems = [
      ...(typeof name === "string" && name !== ""
        ? []
        : [{ loc: ["body", "name"], msg: "field required", type: "value_error.missing" }]),
      ...(files.length > 0
        ? []
        : [{ loc: ["body", "files"], msg: "field required", type: "value_error.missing" }]),
      ...files
        .filter((file) => !file.type.startsWith("audio/"))
        .map((file) => ({ loc: ["body", "files"], msg: `${file.name} is not audio`, type: "value_error" })),
    ];
    if (problems.length > 0) return { status: 422, body: { detail: problems } };
    const voice = {
      voice_id: randomUUID().replaceAll("-", "").slice(0, 20),
      name: String(name),
      category: "cloned",
    };
    voices.push(voice);
    const description = form.get("description");
    clones.push({
      voiceId: voice.voice_id,
      name: voice.name,
      description: typeof description === "string" ? description : undefined,
      files: await Promise.all(
        files.map(async (file) => ({
          name: file.name,
          type: file.type,
          data: new Uint8Array(await file.arrayBuffer()),
        })),
      ),
    });
    return { status: 200, body: { voice_id: voice.voice_id, requires_verification: false } };
  };

  const listVoices = (request: FakeRequest): FakeReply =>
    checkKey(request) ?? {
      status: 200,
      body: {
        voices: voices.map((voice) => ({
          ...voice,
          labels: {},
          available_for_tiers: [],
          high_quality_base_model_ids: ["eleven_multilingual_v2"],
          preview_url: null,
        })),
      },
    };

  const subscription = (request: FakeRequest): FakeReply =>
    checkKey(request) ?? {
      status: 200,
      body: {
        tier: "creator",
        character_count: charges.reduce((sum, charge) => sum + charge.characters, 0),
        character_limit: 121_000,
        status: "active",
      },
    };

  const server = new FakeServer(
    "elevenlabs",
    [
      {
        name: "tts-timestamps",
        method: "POST",
        pattern: /^\/v1\/text-to-speech\/(?<voice>[^/]+)\/with-timestamps$/,
        handle: (r) => synthesize(r, true),
      },
      {
        name: "tts",
        method: "POST",
        pattern: /^\/v1\/text-to-speech\/(?<voice>[^/]+)$/,
        handle: (r) => synthesize(r, false),
      },
      { name: "voices", method: "GET", pattern: /^\/v1\/voices$/, handle: listVoices },
      { name: "voices-add", method: "POST", pattern: /^\/v1\/voices\/add$/, handle: addVoice },
      { name: "subscription", method: "GET", pattern: /^\/v1\/user\/subscription$/, handle: subscription },
    ],
    (fault) => renderError(fault),
  );
  const origin = await server.start(port);
  return {
    server,
    baseURL: origin,
    apiKey,
    voices,
    charges,
    clones,
    totalCharacters: () => charges.reduce((sum, charge) => sum + charge.characters, 0),
    close: () => server.close(),
  };
}

/** One timing per character of `text`, spread evenly over the served MP3. */
function alignmentOf(text: string) {
  const characters = [...text];
  const step = FAKE_MP3_SECONDS / characters.length;
  const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
  return {
    characters,
    character_start_times_seconds: characters.map((_, index) => round(index * step)),
    character_end_times_seconds: characters.map((_, index) => round((index + 1) * step)),
  };
}

const DEFAULT_CODES: Record<number, [string, string]> = {
  400: ["invalid_request", "Invalid request"],
  401: ["invalid_api_key", "Invalid API key"],
  402: ["payment_required", "You have run out of credits"],
  403: ["only_for_creator+", "This feature is only available to Creator and above"],
  404: ["voice_not_found", "Voice not found"],
  429: ["too_many_concurrent_requests", "Too many concurrent requests"],
  500: ["internal_error", "Internal server error"],
  503: ["service_unavailable", "The service is temporarily unavailable"],
};

/** Both ElevenLabs envelopes: old `{detail: {status, message}}`, new (`variant: "new"`) with type/code. */
function renderError(fault: ErrorFault): FakeReply {
  const [defaultCode, defaultMessage] = DEFAULT_CODES[fault.status] ?? ["error", "Error"];
  const code = fault.code ?? defaultCode;
  const message = fault.message ?? defaultMessage;
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
  if (fault.status === 422) {
    return {
      status: 422,
      headers,
      body: { detail: [{ loc: ["body", "text"], msg: message, type: "value_error" }] },
    };
  }
  const detail =
    fault.variant === "new"
      ? {
          type: fault.status === 429 ? "rate_limit_error" : "invalid_request_error",
          code,
          message,
          status: code,
          request_id: randomUUID(),
        }
      : { status: code, message };
  return { status: fault.inBody ? 200 : fault.status, headers, body: { detail } };
}
