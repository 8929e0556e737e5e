import { type Capability, type Resolution, TIER_NAMES, type Tier, type TierName } from "../config/index.ts";
import { LitinkError } from "../errors/index.ts";

/** What a request asks for that a tier may refuse. */
export interface TierRequest {
  readonly tierName: TierName;
  /** Every tier (config.tiers), so a refusal can name the tier that would allow the request. */
  readonly tiers: Readonly<Record<TierName, Tier>>;
  /** The video's estimated length in seconds. */
  readonly estimatedSeconds: number;
  /** Cut the video at the tier's maximum instead of refusing. */
  readonly trim: boolean;
  /** The resolution asked for; capped to the tier's maximum. */
  readonly resolution?: Resolution | undefined;
  /** Models the user chose per capability. */
  readonly modelOverrides?: Partial<Record<Capability, string>> | undefined;
  /** Whether the request clones a voice. */
  readonly voiceCloning?: boolean | undefined;
}

/** What the tier allows for this request. */
export interface TierDecision {
  readonly resolution: Resolution;
  readonly watermark: boolean;
  /** Set when the video must be cut at this many seconds (`--trim`). */
  readonly trimToSeconds: number | undefined;
  /** Things the user should know (a resolution lowered to the cap, a trim). */
  readonly notices: readonly string[];
}

const RESOLUTION_ORDER: readonly Resolution[] = ["720p", "1080p", "2160p"];

/**
 * Checks a request against its tier before any work starts. Refusals are user-facing errors that say the
 * limit, what the request needs, and what to do.
 */
export function applyTierRules(request: TierRequest): TierDecision {
  const { tierName } = request;
  const tier = request.tiers[tierName];
  const notices: string[] = [];

  const overrides = Object.entries(request.modelOverrides ?? {}).filter(([, model]) => model);
  if (overrides.length > 0 && !tier.customModelSelection) {
    throw new LitinkError(
      "tier.custom_model_not_allowed",
      `the ${tier.name} tier uses fixed models; choosing a model (${overrides
        .map(([capability, model]) => `${capability}: ${model}`)
        .join(", ")}) needs ${lowestTierWith(request, "customModelSelection")} or higher`,
      { userFacing: true, details: { tier: tierName } },
    );
  }
  if (request.voiceCloning && !tier.voiceCloning) {
    throw new LitinkError(
      "tier.voice_cloning_not_allowed",
      `the ${tier.name} tier does not include voice cloning; it needs ${lowestTierWith(request, "voiceCloning")} or higher. ` +
        "Render without --clone-voice, or on a tier with voice cloning",
      { userFacing: true, details: { tier: tierName } },
    );
  }

  let resolution = request.resolution ?? tier.maxResolution;
  if (RESOLUTION_ORDER.indexOf(resolution) > RESOLUTION_ORDER.indexOf(tier.maxResolution)) {
    notices.push(
      `${resolution} is above the ${tier.name} tier's maximum; rendering at ${tier.maxResolution}`,
    );
    resolution = tier.maxResolution;
  }

  let trimToSeconds: number | undefined;
  if (request.estimatedSeconds > tier.maxVideoDurationSeconds) {
    if (!request.trim) {
      throw new LitinkError(
        "tier.duration_exceeded",
        `the ${tier.name} tier allows videos up to ${formatDuration(tier.maxVideoDurationSeconds)}; this request ` +
          `would make about ${formatDuration(request.estimatedSeconds)}. Choose fewer chapters (--chapters), ` +
          `add --trim to stop at ${formatDuration(tier.maxVideoDurationSeconds)}, or use a higher tier`,
        {
          userFacing: true,
          details: {
            tier: tierName,
            limitSeconds: tier.maxVideoDurationSeconds,
            estimatedSeconds: request.estimatedSeconds,
          },
        },
      );
    }
    trimToSeconds = tier.maxVideoDurationSeconds;
    notices.push(
      `trimmed to the ${tier.name} tier's ${formatDuration(trimToSeconds)} (about ${formatDuration(request.estimatedSeconds)} requested)`,
    );
  }
  return { resolution, watermark: tier.watermark, trimToSeconds, notices };
}

/** "3 min", "4 min 20 s", "45 s". */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** The cheapest tier (in tiers.yaml order) that has `feature`. */
function lowestTierWith(request: TierRequest, feature: "customModelSelection" | "voiceCloning"): string {
  const name = TIER_NAMES.find((candidate) => request.tiers[candidate][feature]);
  return name ? request.tiers[name].name : "a custom plan";
}
