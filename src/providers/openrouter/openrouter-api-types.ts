import { z } from "zod";

/** `usage` of a chat completion; `cost` is in credits (USD). */
const openRouterUsageSchema = z.looseObject({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  total_tokens: z.number().int().nonnegative().optional(),
  cost: z.number().nonnegative().nullish(),
  is_byok: z.boolean().optional(),
});

/** The error object, in a 4xx/5xx body or inside a choice that failed mid-generation. */
const openRouterErrorObjectSchema = z.looseObject({
  code: z.union([z.number(), z.string()]).nullish(),
  message: z.string().optional(),
  error_type: z.string().optional(),
  metadata: z
    .looseObject({
      error_type: z.string().optional(),
      reasons: z.array(z.string()).optional(),
      provider_name: z.string().optional(),
    })
    .nullish(),
  availability: z
    .looseObject({ retry_after: z.number().nullish(), retryable: z.boolean().optional() })
    .nullish(),
});

/** An error body: `{"error": {...}}`. */
export const openRouterErrorBodySchema = z.looseObject({ error: openRouterErrorObjectSchema });

/** A non-streaming chat completion (`ChatResult`); `provider` is documented but not in the schema. */
export const openRouterChatResponseSchema = z.looseObject({
  id: z.string(),
  model: z.string(),
  provider: z.string().optional(),
  object: z.string().optional(),
  created: z.number().optional(),
  choices: z
    .array(
      z.looseObject({
        index: z.number().optional(),
        finish_reason: z.string().nullish(),
        native_finish_reason: z.string().nullish(),
        message: z.looseObject({
          role: z.string().optional(),
          content: z.string().nullish(),
          refusal: z.string().nullish(),
        }),
        error: openRouterErrorObjectSchema.optional(),
      }),
    )
    .min(1),
  usage: openRouterUsageSchema.optional(),
});

/** A parsed chat completion. */
export type OpenRouterChatResponse = z.output<typeof openRouterChatResponseSchema>;
/** A parsed error object. */
export type OpenRouterErrorObject = z.output<typeof openRouterErrorObjectSchema>;

/** The `provider` routing preferences object (a subset; OpenRouter rejects unknown keys). */
export interface OpenRouterProviderPreferences {
  readonly order?: readonly string[];
  readonly allow_fallbacks?: boolean;
  readonly require_parameters?: boolean;
  readonly data_collection?: "allow" | "deny";
  readonly zdr?: boolean;
  readonly only?: readonly string[];
  readonly ignore?: readonly string[];
  readonly sort?: "price" | "throughput" | "latency";
  readonly max_price?: Readonly<Record<string, string | number>>;
}

/** The request body of POST /chat/completions as LitinkAI sends it. */
export interface OpenRouterChatRequest {
  readonly model: string;
  readonly models?: readonly string[];
  readonly provider?: OpenRouterProviderPreferences;
  readonly messages: readonly { readonly role: string; readonly content: string }[];
  readonly max_tokens?: number;
  readonly temperature?: number;
  readonly seed?: number;
  readonly response_format?: {
    readonly type: "json_schema";
    readonly json_schema: { readonly name: string; readonly strict: boolean; readonly schema: unknown };
  };
  readonly usage: { readonly include: true };
  readonly user?: string;
}
