import type { Clock } from "./clock.ts";

/** The fetch function the helpers call: the global one by default, a wrapped one in some tests. */
export type FetchFunction = typeof globalThis.fetch;

/** Who is calling and with what plumbing; every helper takes one. */
export interface CallContext {
  /** Provider name for errors: openrouter, modelslab, elevenlabs. */
  readonly provider: string;
  readonly modelId?: string | undefined;
  readonly fetch: FetchFunction;
  readonly clock: Clock;
  readonly signal?: AbortSignal | undefined;
}
