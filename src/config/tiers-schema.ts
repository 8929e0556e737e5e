import { z } from "zod";
import { parseUsd } from "../money/index.ts";

/** The six subscription tiers, cheapest first. */
export const TIER_NAMES = ["free", "basic", "standard", "premium", "professional", "enterprise"] as const;
export type TierName = (typeof TIER_NAMES)[number];

/** Output resolution caps, named by their short side. */
export const RESOLUTIONS = ["720p", "1080p", "2160p"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** A dollar amount written as a decimal string (or number) in YAML, parsed into micros. */
export const usdSchema = z.union([z.string(), z.number()]).transform((value, context) => {
  try {
    return parseUsd(value);
  } catch (error) {
    context.addIssue({ code: "custom", message: (error as Error).message });
    return z.NEVER;
  }
});

const tierSchema = z
  .object({
    name: z.string().min(1),
    monthly_price_usd: usdSchema.nullable(),
    monthly_video_limit: z.number().int().positive().nullable(),
    video_limit_kind: z.enum(["hard", "soft"]),
    max_resolution: z.enum(RESOLUTIONS),
    max_video_duration_minutes: z.number().positive(),
    watermark: z.boolean(),
    custom_model_selection: z.boolean(),
    voice_cloning: z.boolean(),
    image_to_video: z.boolean(),
    lip_sync: z.boolean(),
    priority: z.number().int().min(1).max(10),
    scene_parallelism: z.number().int().min(1).max(64),
    api_access: z.boolean(),
    white_label: z.boolean(),
    monthly_cost_alert_usd: usdSchema.nullable(),
  })
  .strict()
  .transform((tier) => ({
    name: tier.name,
    monthlyPriceMicros: tier.monthly_price_usd,
    monthlyVideoLimit: tier.monthly_video_limit,
    videoLimitKind: tier.video_limit_kind,
    maxResolution: tier.max_resolution,
    maxVideoDurationSeconds: tier.max_video_duration_minutes * 60,
    watermark: tier.watermark,
    customModelSelection: tier.custom_model_selection,
    voiceCloning: tier.voice_cloning,
    imageToVideo: tier.image_to_video,
    lipSync: tier.lip_sync,
    priority: tier.priority,
    sceneParallelism: tier.scene_parallelism,
    apiAccess: tier.api_access,
    whiteLabel: tier.white_label,
    monthlyCostAlertMicros: tier.monthly_cost_alert_usd,
  }));

/** One tier's rules, as the rest of the code sees them (camelCase, money in micros). */
export type Tier = z.output<typeof tierSchema>;

/** The schema of `config/tiers.yaml`. */
export const tiersFileSchema = z
  .object({
    version: z.literal(1),
    tiers: z.object(
      Object.fromEntries(TIER_NAMES.map((name) => [name, tierSchema])) as {
        [K in TierName]: typeof tierSchema;
      },
    ),
  })
  .strict();

export type TiersFile = z.output<typeof tiersFileSchema>;
