import { z } from "zod";
import { type Micros, parseUsd, sumMicros } from "../../money/index.ts";
import {
  assertOptionsSupported,
  type CallContext,
  type Clock,
  type FetchFunction,
  invalidResponse,
  requestJson,
} from "../http/index.ts";
import { isProviderError, ProviderError } from "../provider-error.ts";
import type { CallOptions, ChatMessage, Provider, TextModel, TextRequest, TextResult } from "../types.ts";
import {
  type OpenRouterChatRequest,
  type OpenRouterChatResponse,
  type OpenRouterProviderPreferences,
  openRouterChatResponseSchema,
} from "./openrouter-api-types.ts";
import { mapOpenRouterError, openRouterError } from "./openrouter-error.ts";

/** Per-model settings of an OpenRouter text model. */
export interface OpenRouterTextSettings {
  /** Models OpenRouter itself falls back to, in order, when `modelId` fails (sent as `models`). */
  readonly fallbackModels?: readonly string[] | undefined;
  /** Provider routing preferences (sent as `provider`). */
  readonly providerPreferences?: OpenRouterProviderPreferences | undefined;
}

/** What the provider hands its text models. */
export interface OpenRouterModelConfig {
  readonly provider: Pick<Provider, "name" | "supports">;
  readonly baseURL: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: FetchFunction;
  readonly clock: Clock;
}

/** One answer of the API, already checked for in-band errors. */
interface Completion {
  readonly text: string;
  readonly response: OpenRouterChatResponse;
}

/**
 * Text generation through OpenRouter's `/chat/completions`. With a `schema` the request asks for
 * `response_format: json_schema`, and a reply that is not valid JSON for the schema gets exactly one repair
 * request (the bad reply and the problem are sent back); both calls' tokens and cost are reported.
 * The result names the model that actually answered (OpenRouter may fall back within `models`).
 */
export class OpenRouterTextModel implements TextModel {
  readonly provider = "openrouter";
  readonly modelId: string;
  readonly #config: OpenRouterModelConfig;
  readonly #settings: OpenRouterTextSettings;

  constructor(modelId: string, config: OpenRouterModelConfig, settings: OpenRouterTextSettings = {}) {
    this.modelId = modelId;
    this.#config = config;
    this.#settings = settings;
  }

  async generate<T>(request: TextRequest<T>, options: CallOptions = {}): Promise<TextResult<T>> {
    assertOptionsSupported(this.#config.provider, "script", this.modelId, request as TextRequest);
    if (request.messages.length === 0) {
      throw new ProviderError("openrouter: a text request needs at least one message", {
        provider: this.provider,
        modelId: this.modelId,
        kind: "bad_request",
      });
    }
    const context: CallContext = {
      provider: this.provider,
      modelId: this.modelId,
      fetch: this.#config.fetch,
      clock: this.#config.clock,
      signal: options.signal,
    };
    const first = await this.#complete(context, request, request.messages);
    if (!request.schema) return this.#result<T>(first.text, undefined, [first]);

    const firstTry = parseStructured(first.text, request.schema);
    if (firstTry.ok) return this.#result(first.text, firstTry.value, [first]);

    const repairMessages: ChatMessage[] = [
      ...request.messages,
      { role: "assistant", content: first.text },
      {
        role: "user",
        content: `Your reply was not valid: ${firstTry.problem}. Reply again with only the corrected JSON value that matches the schema, with no prose and no code fences.`,
      },
    ];
    let second: Completion;
    try {
      second = await this.#complete(context, request, repairMessages);
    } catch (error) {
      // The first completion was billed: the failure must carry its cost to the ledger.
      throw withIncurredCost(error, reportedCost([first]));
    }
    const secondTry = parseStructured(second.text, request.schema);
    if (secondTry.ok) return this.#result(second.text, secondTry.value, [first, second]);
    throw new ProviderError(
      `openrouter: ${second.response.model} returned JSON that does not match the ${request.schemaName ?? "requested"} schema even after a repair request: ${secondTry.problem}`,
      {
        provider: this.provider,
        modelId: this.modelId,
        kind: "invalid_response",
        status: 200,
        incurredCostMicros: reportedCost([first, second]),
      },
    );
  }

  async #complete<T>(
    context: CallContext,
    request: TextRequest<T>,
    messages: readonly ChatMessage[],
  ): Promise<Completion> {
    const { value: response } = await requestJson(context, {
      url: `${this.#config.baseURL}/chat/completions`,
      headers: this.#config.headers,
      body: this.#body(request, messages),
      schema: openRouterChatResponseSchema,
      mapError: mapOpenRouterError,
    });
    const choice = response.choices[0]!;
    const billed = reportedCost([{ response }]);
    if (choice.finish_reason === "error" || choice.error) {
      const code = choice.error?.code;
      const status = typeof code === "number" && code >= 400 ? code : 502;
      throw withIncurredCost(
        openRouterError({ ...context, modelId: response.model }, status, choice.error),
        billed,
      );
    }
    const text = choice.message.content ?? "";
    if (text === "" && (choice.finish_reason === "content_filter" || choice.message.refusal)) {
      throw new ProviderError(
        `openrouter: ${response.model} refused the request${choice.message.refusal ? `: ${choice.message.refusal}` : " (content filter)"}`,
        {
          provider: this.provider,
          modelId: response.model,
          kind: "moderation",
          status: 200,
          incurredCostMicros: billed,
        },
      );
    }
    if (text === "") {
      throw withIncurredCost(invalidResponse(context, `${response.model} answered with no content`), billed);
    }
    return { text, response };
  }

  #body<T>(request: TextRequest<T>, messages: readonly ChatMessage[]): OpenRouterChatRequest {
    const fallbacks = this.#settings.fallbackModels?.filter((model) => model !== this.modelId) ?? [];
    return {
      model: this.modelId,
      ...(fallbacks.length > 0 ? { models: [this.modelId, ...fallbacks] } : {}),
      ...(this.#settings.providerPreferences ? { provider: this.#settings.providerPreferences } : {}),
      messages: messages.map((message) => ({ role: message.role, content: message.content })),
      ...(request.maxOutputTokens === undefined ? {} : { max_tokens: request.maxOutputTokens }),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      ...(request.schema
        ? {
            response_format: {
              type: "json_schema" as const,
              json_schema: {
                name: toSchemaName(request.schemaName),
                strict: false,
                schema: jsonSchemaOf(request.schema),
              },
            },
          }
        : {}),
      // Deprecated upstream (usage is always sent now) but harmless, and older deployments need it for usage.cost.
      usage: { include: true },
    };
  }

  #result<T>(text: string, value: T | undefined, completions: readonly Completion[]): TextResult<T> {
    const last = completions[completions.length - 1]!.response;
    const costMicros = reportedCost(completions);
    return {
      text,
      value,
      usage: {
        inputTokens: completions.reduce((sum, c) => sum + (c.response.usage?.prompt_tokens ?? 0), 0),
        outputTokens: completions.reduce((sum, c) => sum + (c.response.usage?.completion_tokens ?? 0), 0),
      },
      modelId: last.model,
      costMicros,
      finishReason: last.choices[0]?.finish_reason ?? undefined,
    };
  }
}

/** The sum of the completions' `usage.cost`, or undefined when none reported one. */
function reportedCost(
  completions: readonly { readonly response: OpenRouterChatResponse }[],
): Micros | undefined {
  const costs = completions.map((completion) => completion.response.usage?.cost);
  if (costs.every((cost) => cost === undefined || cost === null)) return undefined;
  return sumMicros(
    costs.map((cost) => (cost === undefined || cost === null ? 0 : parseUsd(cost, { round: true }))),
  );
}

/** The same failure, carrying `cost` on top of what it already carried (a caller's abort passes through). */
function withIncurredCost(error: unknown, cost: Micros | undefined): unknown {
  if (!isProviderError(error) || cost === undefined || cost === 0) return error;
  return new ProviderError(error.message, {
    provider: error.provider,
    modelId: error.modelId,
    kind: error.kind,
    status: error.status,
    providerCode: error.providerCode,
    retryAfterMs: error.retryAfterMs,
    incurredCostMicros: sumMicros([cost, error.incurredCostMicros ?? 0]),
    cause: error.cause ?? error,
  });
}

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** Parses a reply as JSON (tolerating a code fence around it) and validates it. */
function parseStructured<T>(text: string, schema: z.ZodType<T>): Parsed<T> {
  const unfenced = text
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/\s*```$/, "");
  let json: unknown;
  try {
    json = JSON.parse(unfenced);
  } catch (error) {
    return { ok: false, problem: `it is not JSON (${(error as Error).message})` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`);
  return { ok: false, problem: `it does not match the schema (${problems.join("; ")})` };
}

function jsonSchemaOf(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  } catch {
    return { type: "object" };
  }
}

function toSchemaName(name: string | undefined): string {
  const cleaned = (name ?? "response").replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
  return cleaned === "" ? "response" : cleaned;
}
