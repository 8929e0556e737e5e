import { Command } from "commander";
import { CAPABILITIES, loadConfig, TIER_NAMES, type TierName } from "../../config/index.ts";
import { LitinkError } from "../../errors/index.ts";
import { createRemoteProviders } from "../../providers/index.ts";
import { LOCAL_SUPPORTS } from "../../providers/local/index.ts";
import { describePrice, resolveChain } from "../../router/index.ts";

const SKIP_LABELS = {
  no_api_key: "skipped: no API key",
  no_client: "skipped: no client for this provider",
  unsupported: "skipped: provider does not offer this capability",
} as const;

/** `litink models [--tier NAME]`: each capability's model chain per tier, with prices and availability. */
export function createModelsCommand(): Command {
  return new Command("models")
    .description("show each capability's model chain (primary, then fallbacks) with prices, per tier")
    .option("--tier <name>", `only this tier (${TIER_NAMES.join(", ")})`)
    .option("--json", "print one JSON object instead of the table")
    .action((options: { tier?: string; json?: boolean }) => {
      const tiers = selectTiers(options.tier);
      const config = loadConfig();
      const providers = createRemoteProviders(config.providers);
      const providerMap = new Map(providers.map((provider) => [provider.name, provider]));
      const report = tiers.map((tier) => ({
        tier,
        name: config.tiers[tier].name,
        capabilities: CAPABILITIES.map((capability) => {
          const chain = resolveChain(config, providerMap, capability, tier);
          const skipped = new Map(
            chain.skipped.map((skip) => [`${skip.provider}:${skip.model}`, skip.reason]),
          );
          return {
            capability,
            offline: chain.entries.length > 0 && chain.usable.length === 0,
            models: chain.entries.map((entry) => ({
              provider: entry.provider,
              model: entry.model,
              price: describePrice(entry.price),
              source: entry.source,
              skipped: skipped.get(`${entry.provider}:${entry.model}`),
            })),
          };
        }),
      }));
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ pricesAsOf: config.models.pricesAsOf, tiers: report })}\n`);
        return;
      }
      const lines = [`Model chains (prices as of ${config.models.pricesAsOf}; first usable model serves)`];
      for (const tier of report) {
        lines.push("", `${tier.name} (${tier.tier})`);
        for (const capability of tier.capabilities) {
          if (capability.models.length === 0) {
            lines.push(`  ${capability.capability}: not in this tier`);
            continue;
          }
          const localServes = capability.capability in LOCAL_SUPPORTS;
          const fallback = capability.offline
            ? config.requireRemote || !localServes
              ? " (no model usable: calls will fail until a key is set)"
              : " (no remote model usable: the offline local provider serves)"
            : "";
          lines.push(`  ${capability.capability}:${fallback}`);
          const width = Math.max(...capability.models.map((m) => `${m.provider}/${m.model}`.length));
          capability.models.forEach((model, index) => {
            const name = `${model.provider}/${model.model}`.padEnd(width);
            const note =
              model.skipped === undefined
                ? ""
                : `  [${SKIP_LABELS[model.skipped as keyof typeof SKIP_LABELS] ?? model.skipped}]`;
            lines.push(`    ${index + 1}. ${name}  ${model.price}  (${model.source})${note}`);
          });
        }
      }
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}

function selectTiers(tier: string | undefined): readonly TierName[] {
  if (tier === undefined) return TIER_NAMES;
  const name = tier.trim().toLowerCase();
  if (!(TIER_NAMES as readonly string[]).includes(name)) {
    throw new LitinkError(
      "cli.unknown_tier",
      `--tier ${tier}: unknown tier; choose one of ${TIER_NAMES.join(", ")}`,
      {
        userFacing: true,
      },
    );
  }
  return [name as TierName];
}
