import { z } from "zod";
import { TIER_NAMES, type TierName, usdSchema } from "./tiers-schema.ts";

/** What a model can be asked to do. */
export const CAPABILITIES = ["script", "image", "video", "voice", "voice_clone", "lip_sync"] as const;
export type Capability = (typeof CAPABILITIES)[number];

const priceSchema = z.discriminatedUnion("unit", [
  z
    .object({ unit: z.literal("tokens"), input_per_million: usdSchema, output_per_million: usdSchema })
    .strict()
    .transform((p) => ({
      unit: "tokens" as const,
      inputPerMillionMicros: p.input_per_million,
      outputPerMillionMicros: p.output_per_million,
    })),
  z
    .object({ unit: z.literal("image"), per_image: usdSchema })
    .strict()
    .transform((p) => ({ unit: "image" as const, perImageMicros: p.per_image })),
  z
    .object({ unit: z.literal("second"), per_second: usdSchema })
    .strict()
    .transform((p) => ({ unit: "second" as const, perSecondMicros: p.per_second })),
  z
    .object({ unit: z.literal("characters"), per_thousand: usdSchema })
    .strict()
    .transform((p) => ({ unit: "characters" as const, perThousandMicros: p.per_thousand })),
  z
    .object({ unit: z.literal("request"), per_request: usdSchema })
    .strict()
    .transform((p) => ({ unit: "request" as const, perRequestMicros: p.per_request })),
]);

/** A model's unit price, in micros per unit. */
export type ModelPrice = z.output<typeof priceSchema>;

const chainEntrySchema = z
  .object({
    provider: z.string().regex(/^[a-z][a-z0-9-]*$/, "expected a provider name like openrouter"),
    model: z.string().min(1),
    price: priceSchema,
    source: z.string().min(1),
  })
  .strict();

/** One link of a model chain: which provider and model, and what a unit costs. */
export type ChainEntry = z.output<typeof chainEntrySchema>;

const tierChainsSchema = z
  .object(
    Object.fromEntries(TIER_NAMES.map((name) => [name, z.array(chainEntrySchema)])) as {
      [K in TierName]: z.ZodArray<typeof chainEntrySchema>;
    },
  )
  .strict();

/** The schema of `config/models.yaml`. */
export const modelsFileSchema = z
  .object({
    version: z.literal(1),
    prices_as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD"),
    entries: z.array(z.unknown()).optional(),
    chains: z
      .object(
        Object.fromEntries(CAPABILITIES.map((capability) => [capability, tierChainsSchema])) as {
          [K in Capability]: typeof tierChainsSchema;
        },
      )
      .strict(),
  })
  .strict()
  .transform((file) => ({ pricesAsOf: file.prices_as_of, chains: file.chains }));

export type ModelsFile = z.output<typeof modelsFileSchema>;
