import { randomUUID } from "node:crypto";
import { type FakeReply, type FakeRequest, FakeServer } from "./fake-server.ts";
import type { ErrorFault } from "./fault.ts";
import { sampleFromJsonSchema } from "./json-schema-sample.ts";

/** A model the fake serves, priced in micro-dollars per million tokens. */
interface FakeOpenRouterModel {
  readonly inputPerMillionMicros: number;
  readonly outputPerMillionMicros: number;
  /** The upstream provider name reported in the answer. @defaultValue "FakeProvider" */
  readonly provider?: string;
}

/** A charge the fake reported (`usage.cost`) for one successful completion. */
interface OpenRouterCharge {
  readonly generationId: string;
  readonly model: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly costMicros: number;
}

/** Options of {@link createOpenRouterFake}. */
export interface OpenRouterFakeOptions {
  /** @defaultValue "sk-or-v1-fake" */
  readonly apiKey?: string;
  /** @defaultValue {@link DEFAULT_OPENROUTER_MODELS} */
  readonly models?: Readonly<Record<string, FakeOpenRouterModel>>;
  /** How long `/generation?id=` answers 404 after a completion. @defaultValue 0 */
  readonly generationDelayMs?: number;
}

/** The models of config/models.yaml's script chains with their prices, plus a retired id for 404s. */
const DEFAULT_OPENROUTER_MODELS: Readonly<Record<string, FakeOpenRouterModel>> = {
  "meta-llama/llama-3.3-70b-instruct:free": { inputPerMillionMicros: 0, outputPerMillionMicros: 0 },
  "meta-llama/llama-3.2-3b-instruct": { inputPerMillionMicros: 50_000, outputPerMillionMicros: 330_000 },
  "meta-llama/llama-3.1-8b-instruct": { inputPerMillionMicros: 20_000, outputPerMillionMicros: 50_000 },
  "deepseek/deepseek-chat": { inputPerMillionMicros: 257_400, outputPerMillionMicros: 1_028_700 },
  "anthropic/claude-3-haiku": {
    inputPerMillionMicros: 250_000,
    outputPerMillionMicros: 1_250_000,
    provider: "Anthropic",
  },
  "openai/gpt-3.5-turbo": {
    inputPerMillionMicros: 500_000,
    outputPerMillionMicros: 1_500_000,
    provider: "OpenAI",
  },
  "openai/gpt-4o-mini": {
    inputPerMillionMicros: 150_000,
    outputPerMillionMicros: 600_000,
    provider: "OpenAI",
  },
  "openai/gpt-4o": {
    inputPerMillionMicros: 2_500_000,
    outputPerMillionMicros: 10_000_000,
    provider: "OpenAI",
  },
  "anthropic/claude-sonnet-4": {
    inputPerMillionMicros: 3_000_000,
    outputPerMillionMicros: 15_000_000,
    provider: "Anthropic",
  },
  "anthropic/claude-opus-4": {
    inputPerMillionMicros: 15_000_000,
    outputPerMillionMicros: 75_000_000,
    provider: "Anthropic",
  },
};

interface ChatBody {
  readonly model?: string;
  readonly models?: string[];
  readonly messages: { readonly role: string; readonly content: unknown }[];
  readonly response_format?: { readonly type?: string; readonly json_schema?: { readonly schema?: unknown } };
  readonly stream?: boolean;
  readonly provider?: Record<string, unknown>;
}

// ProviderPreferences has additionalProperties: false upstream: unknown keys are a 400.
const PROVIDER_PREFERENCE_KEYS = new Set([
  "order",
  "allow_fallbacks",
  "require_parameters",
  "data_collection",
  "zdr",
  "enforce_distillable_text",
  "only",
  "ignore",
  "quantizations",
  "sort",
  "preferred_min_throughput",
  "preferred_max_latency",
  "max_price",
]);

/** The OpenRouter fake: its server plus OpenRouter-specific scripting. */
export interface OpenRouterFake {
  readonly server: FakeServer;
  /** `<origin>/api/v1`, what OPENROUTER_BASE_URL should be. */
  readonly baseURL: string;
  readonly apiKey: string;
  /** Every charge reported, in order. */
  readonly charges: OpenRouterCharge[];
  /** Answers the next chat requests with these texts (in order) instead of the default reply. */
  queueReplies(...texts: string[]): void;
  /** Makes `model` fail with `fault` the next `times` it is tried (inside a `models` walk too). */
  failModel(model: string, fault: ErrorFault, times?: number): void;
  /** The sum of the charges, in micros. */
  totalChargedMicros(): number;
  close(): Promise<void>;
}

/** Starts an OpenRouter fake on 127.0.0.1 (`port` 0 picks a free one). */
export async function createOpenRouterFake(
  options: OpenRouterFakeOptions = {},
  port = 0,
): Promise<OpenRouterFake> {
  const apiKey = options.apiKey ?? "sk-or-v1-fake";
  const models = options.models ?? DEFAULT_OPENROUTER_MODELS;
  const charges: OpenRouterCharge[] = [];
  const generations = new Map<string, { charge: OpenRouterCharge; createdAt: number }>();
  const replies: string[] = [];
  const modelFaults = new Map<string, { fault: ErrorFault; remaining: number }[]>();

  const authorized = (request: FakeRequest) => request.headers.authorization === `Bearer ${apiKey}`;
  const unauthorized: FakeReply = {
    status: 401,
    body: { error: { code: 401, message: "Missing Authentication header" } },
  };

  const chat = (request: FakeRequest): FakeReply => {
    if (!authorized(request)) return unauthorized;
    const body = request.json as ChatBody | undefined;
    if (!body || !Array.isArray(body.messages) || body.messages.length === 0) {
      return errorReply({
        kind: "error",
        status: 400,
        message: "Invalid request parameters: messages is required",
      });
    }
    const unknownPreference = Object.keys(body.provider ?? {}).find(
      (key) => !PROVIDER_PREFERENCE_KEYS.has(key),
    );
    if (unknownPreference) {
      return errorReply({
        kind: "error",
        status: 400,
        message: `provider: unknown preference "${unknownPreference}"`,
      });
    }
    if (
      body.models !== undefined &&
      (!Array.isArray(body.models) || body.models.some((m) => typeof m !== "string"))
    ) {
      return errorReply({ kind: "error", status: 400, message: "models must be an array of model IDs" });
    }
    const candidates = body.models && body.models.length > 0 ? body.models : body.model ? [body.model] : [];
    if (candidates.length === 0)
      return errorReply({ kind: "error", status: 400, message: "No model specified" });
    let lastError: FakeReply | undefined;
    for (const model of candidates) {
      const price = models[model];
      if (!price) {
        lastError = errorReply({ kind: "error", status: 400, message: `${model} is not a valid model ID` });
        continue;
      }
      const fault = takeModelFault(modelFaults, model);
      if (fault) {
        lastError = errorReply(fault);
        continue;
      }
      const reply = answer(model, price, body);
      return body.stream ? toEventStream(reply) : reply;
    }
    return lastError!;
  };

  const answer = (model: string, price: FakeOpenRouterModel, body: ChatBody): FakeReply => {
    const content = replies.shift() ?? defaultReply(body);
    const promptTokens = Math.max(
      1,
      Math.ceil(body.messages.map((m) => String(m.content)).join(" ").length / 4),
    );
    const completionTokens = Math.max(1, Math.ceil(content.length / 4));
    const costMicros = Math.round(
      (promptTokens * price.inputPerMillionMicros + completionTokens * price.outputPerMillionMicros) /
        1_000_000,
    );
    const generationId = `gen-${randomUUID()}`;
    const charge = { generationId, model, promptTokens, completionTokens, costMicros };
    charges.push(charge);
    generations.set(generationId, { charge, createdAt: Date.now() });
    return {
      status: 200,
      headers: { "x-generation-id": generationId },
      body: {
        id: generationId,
        provider: price.provider ?? "FakeProvider",
        model,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        system_fingerprint: null,
        choices: [
          {
            index: 0,
            finish_reason: "stop",
            native_finish_reason: "stop",
            logprobs: null,
            message: { role: "assistant", content, refusal: null, reasoning: null },
          },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0 },
          cost: costMicros / 1_000_000,
          is_byok: false,
          cost_details: { upstream_inference_cost: null },
        },
      },
    };
  };

  const generation = (request: FakeRequest): FakeReply => {
    if (!authorized(request)) return unauthorized;
    const found = generations.get(request.url.searchParams.get("id") ?? "");
    if (!found || Date.now() - found.createdAt < (options.generationDelayMs ?? 0)) {
      return errorReply({ kind: "error", status: 404, message: "Generation not found" });
    }
    const { charge } = found;
    return {
      status: 200,
      body: {
        data: {
          id: charge.generationId,
          total_cost: charge.costMicros / 1_000_000,
          usage: charge.costMicros / 1_000_000,
          created_at: new Date(found.createdAt).toISOString(),
          model: charge.model,
          origin: "",
          is_byok: false,
          tokens_prompt: charge.promptTokens,
          tokens_completion: charge.completionTokens,
          provider_name: models[charge.model]?.provider ?? "FakeProvider",
          data_region: "global",
        },
      },
    };
  };

  const listModels = (): FakeReply => ({
    status: 200,
    body: {
      data: Object.entries(models).map(([id, price]) => ({
        id,
        canonical_slug: id,
        name: id,
        created: 1_735_689_600,
        context_length: 128_000,
        pricing: {
          prompt: String(price.inputPerMillionMicros / 1e12),
          completion: String(price.outputPerMillionMicros / 1e12),
          request: "0",
          image: "0",
        },
      })),
      total_count: Object.keys(models).length,
      links: { next: null },
    },
  });

  const key = (request: FakeRequest): FakeReply => {
    if (!authorized(request)) return unauthorized;
    const usage = charges.reduce((sum, charge) => sum + charge.costMicros, 0) / 1_000_000;
    return {
      status: 200,
      body: { data: { label: "fake", limit: null, limit_remaining: null, usage, is_free_tier: false } },
    };
  };

  const server = new FakeServer(
    "openrouter",
    [
      { name: "chat", method: "POST", pattern: /^\/api\/v1\/chat\/completions$/, handle: chat },
      { name: "generation", method: "GET", pattern: /^\/api\/v1\/generation$/, handle: generation },
      { name: "models", method: "GET", pattern: /^\/api\/v1\/models$/, handle: listModels },
      { name: "key", method: "GET", pattern: /^\/api\/v1\/key$/, handle: key },
    ],
    (fault) => errorReply(fault),
  );
  const origin = await server.start(port);
  return {
    server,
    baseURL: `${origin}/api/v1`,
    apiKey,
    charges,
    queueReplies: (...texts) => replies.push(...texts),
    failModel: (model, fault, times = 1) => {
      const queue = modelFaults.get(model) ?? [];
      queue.push({ fault, remaining: times });
      modelFaults.set(model, queue);
    },
    totalChargedMicros: () => charges.reduce((sum, charge) => sum + charge.costMicros, 0),
    close: () => server.close(),
  };
}

/** OpenRouter's error envelope; `inBody` gives a 200 whose choice failed mid-generation. */
function errorReply(fault: ErrorFault): FakeReply {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
  if (fault.status === 429) {
    headers["x-ratelimit-limit"] = "20";
    headers["x-ratelimit-remaining"] = "0";
    headers["x-ratelimit-reset"] = String(Date.now() + (fault.retryAfterSeconds ?? 60) * 1000);
  }
  const message = fault.message ?? DEFAULT_MESSAGES[fault.status] ?? "Provider returned error";
  const metadata =
    fault.status === 403 && !fault.code
      ? { reasons: ["violence"], flagged_input: "…", provider_name: "FakeProvider", model_slug: "fake" }
      : fault.code
        ? { error_type: fault.code }
        : undefined;
  const error = { code: fault.status, message, ...(metadata ? { metadata } : {}) };
  if (fault.inBody) {
    return {
      status: 200,
      headers,
      body: {
        id: `gen-${randomUUID()}`,
        model: "fake/model",
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        choices: [{ index: 0, finish_reason: "error", message: { role: "assistant", content: "" }, error }],
      },
    };
  }
  return { status: fault.status, headers, body: { error } };
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: "Invalid request parameters",
  401: "Missing Authentication header",
  402: "Insufficient credits. Add more using https://openrouter.ai/credits",
  403: "Your input was flagged by moderation",
  404: "No endpoints found",
  408: "Operation timed out. Please try again later.",
  429: "Rate limit exceeded",
  500: "Internal Server Error",
  502: "Provider returned error",
  503: "Service temporarily unavailable",
};

/**
 * Turns a completion into OpenRouter's SSE form: a keep-alive comment, content deltas, a finish chunk,
 * the usage chunk with empty `choices`, then `data: [DONE]`.
 */
function toEventStream(reply: FakeReply): FakeReply {
  const completion = reply.body as {
    id: string;
    provider: string;
    model: string;
    created: number;
    choices: { message: { content: string } }[];
    usage: unknown;
  };
  const base = {
    id: completion.id,
    provider: completion.provider,
    model: completion.model,
    created: completion.created,
  };
  const chunk = (choices: unknown[], extra: object = {}) =>
    `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices, ...extra })}\n\n`;
  const content = completion.choices[0]?.message.content ?? "";
  const pieces = content.match(/[\s\S]{1,24}/g) ?? [];
  const events = [
    ": OPENROUTER PROCESSING\n\n",
    ...pieces.map((piece, index) =>
      chunk([
        {
          index: 0,
          delta: index === 0 ? { role: "assistant", content: piece } : { content: piece },
          finish_reason: null,
          native_finish_reason: null,
        },
      ]),
    ),
    chunk([{ index: 0, delta: {}, finish_reason: "stop", native_finish_reason: "stop" }]),
    chunk([], { usage: completion.usage }),
    "data: [DONE]\n\n",
  ];
  return {
    status: 200,
    headers: { ...reply.headers, "content-type": "text/event-stream", "cache-control": "no-cache" },
    body: events.join(""),
  };
}

function takeModelFault(faults: Map<string, { fault: ErrorFault; remaining: number }[]>, model: string) {
  const queue = faults.get(model);
  const head = queue?.[0];
  if (!queue || !head) return undefined;
  head.remaining -= 1;
  if (head.remaining <= 0) queue.shift();
  return head.fault;
}

function defaultReply(body: ChatBody): string {
  const format = body.response_format;
  if (format?.type === "json_schema" && format.json_schema?.schema) {
    return JSON.stringify(sampleFromJsonSchema(format.json_schema.schema));
  }
  if (format?.type === "json_object") return "{}";
  const last = body.messages[body.messages.length - 1];
  return `A fake reply to: ${String(last?.content ?? "").slice(0, 200)}`;
}
