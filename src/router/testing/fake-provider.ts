import type { Capability } from "../../config/index.ts";
import { CAPABILITIES } from "../../config/index.ts";
import type { Micros } from "../../money/index.ts";
import {
  type CallOptions,
  type ModelByCapability,
  type Provider,
  ProviderError,
  type ProviderErrorKind,
  type RequestByCapability,
  type ResultByCapability,
} from "../../providers/index.ts";

/** What one scripted call does. */
export type FakeStep =
  | {
      readonly ok: true;
      readonly costMicros?: Micros | undefined;
      readonly answeredModel?: string | undefined;
    }
  | { readonly fail: ProviderErrorKind; readonly retryAfterMs?: number | undefined }
  /** Never answers; only the caller's abort signal ends it (a provider that hangs). */
  | { readonly hang: true };

/** One call the fake received. */
export interface FakeCall {
  readonly capability: Capability;
  readonly modelId: string;
  readonly idempotencyKey: string | undefined;
}

/**
 * An in-process provider for router tests: declares the capabilities it is given, and answers each call
 * with the next scripted step of that model (or `fallback` when the script is empty). Never touches the
 * network.
 */
export class FakeProvider implements Provider {
  readonly name: string;
  readonly supports: { readonly [C in Capability]?: readonly string[] };
  readonly calls: FakeCall[] = [];
  readonly #scripts = new Map<string, FakeStep[]>();
  #fallback: FakeStep;
  /** Decides a step from the call itself; wins over scripts when set. */
  decide: ((call: FakeCall) => FakeStep) | undefined;

  constructor(name: string, options: { capabilities?: readonly Capability[]; fallback?: FakeStep } = {}) {
    this.name = name;
    this.supports = Object.fromEntries((options.capabilities ?? CAPABILITIES).map((c) => [c, []]));
    this.#fallback = options.fallback ?? { ok: true };
  }

  /** Queues steps for a model's next calls. */
  script(modelId: string, ...steps: FakeStep[]): this {
    const queue = this.#scripts.get(modelId) ?? [];
    queue.push(...steps);
    this.#scripts.set(modelId, queue);
    return this;
  }

  /** The step used when a model's script is empty. */
  otherwise(step: FakeStep): this {
    this.#fallback = step;
    return this;
  }

  /** Calls made to one model. */
  callsTo(modelId: string): FakeCall[] {
    return this.calls.filter((call) => call.modelId === modelId);
  }

  model<C extends Capability>(capability: C, modelId: string): ModelByCapability[C] {
    if (this.supports[capability] === undefined) {
      throw new ProviderError(`${this.name} does not support ${capability}`, {
        provider: this.name,
        modelId,
        kind: "unsupported",
      });
    }
    const run = (request: unknown, options?: CallOptions) =>
      this.#run(capability, modelId, request as RequestByCapability[C], options);
    return { provider: this.name, modelId, generate: run, clone: run } as unknown as ModelByCapability[C];
  }

  async #run<C extends Capability>(
    capability: C,
    modelId: string,
    request: RequestByCapability[C],
    options: CallOptions | undefined,
  ): Promise<ResultByCapability[C]> {
    const call = { capability, modelId, idempotencyKey: options?.idempotencyKey };
    this.calls.push(call);
    const step = this.decide?.(call) ?? this.#scripts.get(modelId)?.shift() ?? this.#fallback;
    if ("hang" in step) {
      return new Promise((_, reject) => {
        const signal = options?.signal;
        if (signal === undefined) return;
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    }
    if ("fail" in step) {
      throw new ProviderError(`scripted ${step.fail}`, {
        provider: this.name,
        modelId,
        kind: step.fail,
        retryAfterMs: step.retryAfterMs,
        status: STATUS[step.fail],
      });
    }
    return fakeResult(capability, step.answeredModel ?? modelId, request, step.costMicros);
  }
}

const STATUS: Partial<Record<ProviderErrorKind, number>> = {
  auth: 401,
  no_credits: 402,
  moderation: 403,
  bad_request: 400,
  not_found: 404,
  rate_limited: 429,
  server: 503,
};

/** A plausible result of each capability. */
function fakeResult<C extends Capability>(
  capability: C,
  modelId: string,
  request: RequestByCapability[C],
  costMicros?: Micros,
): ResultByCapability[C] {
  const bytes = new Uint8Array([1, 2, 3]);
  const results: { [K in Capability]: () => ResultByCapability[K] } = {
    script: () => ({
      text: "{}",
      value: undefined,
      usage: { inputTokens: 1000, outputTokens: 500 },
      modelId,
      costMicros,
    }),
    image: () => {
      const image = request as RequestByCapability["image"];
      return {
        image: bytes,
        mediaType: "image/png",
        width: image.width,
        height: image.height,
        modelId,
        costMicros,
      };
    },
    video: () => ({
      video: bytes,
      mediaType: "video/mp4",
      durationSeconds: (request as RequestByCapability["video"]).durationSeconds,
      modelId,
      costMicros,
    }),
    voice: () => ({
      audio: bytes,
      mediaType: "audio/wav",
      durationSeconds: 1,
      characters: (request as RequestByCapability["voice"]).text.length,
      modelId,
      costMicros,
    }),
    voice_clone: () => ({ voiceId: "voice-1", modelId, costMicros }),
    lip_sync: () => ({ video: bytes, mediaType: "video/mp4", durationSeconds: 2, modelId, costMicros }),
  };
  return results[capability]() as ResultByCapability[C];
}
