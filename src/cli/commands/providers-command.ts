import { Command } from "commander";
import { loadConfig } from "../../config/index.ts";
import { formatUsd } from "../../money/index.ts";
import { createRemoteProviders } from "../../providers/index.ts";
import { checkProviders } from "../../router/index.ts";

/** `litink providers check`: one cheap real call per configured provider, with latency and errors. */
export function createProvidersCommand(): Command {
  const providers = new Command("providers").description(
    "inspect the AI providers LitinkAI is configured with",
  );
  providers
    .command("check")
    .description("make one cheap real call per configured provider and report latency and errors")
    .option("--timeout <seconds>", "per-provider time limit", "30")
    .option("--json", "print one JSON object instead of the report")
    .action(async (options: { timeout: string; json?: boolean }) => {
      const config = loadConfig();
      const timeoutSeconds = Number(options.timeout);
      const checks = await checkProviders(config, createRemoteProviders(config.providers), {
        timeoutMs: Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds * 1000 : 30_000,
      });
      const failed = checks.filter((check) => check.configured && !check.ok);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ok: failed.length === 0, checks })}\n`);
      } else {
        for (const check of checks) {
          if (!check.configured) {
            process.stdout.write(`--    ${check.provider.padEnd(10)}  not configured (${check.hint})\n`);
            continue;
          }
          const latency = check.latencyMs === undefined ? "" : `${Math.round(check.latencyMs)} ms`;
          if (check.ok) {
            const cost = check.costMicros === undefined ? "" : `, ${formatUsd(check.costMicros)}`;
            process.stdout.write(`ok    ${check.provider.padEnd(10)}  ${check.probe}: ${latency}${cost}\n`);
          } else {
            process.stdout.write(
              `FAIL  ${check.provider.padEnd(10)}  ${check.probe ?? ""}: ${check.errorCode ?? "error"}: ${check.error ?? ""} ${latency ? `(${latency})` : ""}\n`,
            );
          }
        }
        if (checks.every((check) => !check.configured)) {
          process.stdout.write(
            "\nNo remote provider is configured: LitinkAI runs on its offline local providers.\n",
          );
        }
      }
      if (failed.length > 0) process.exitCode = 1;
    });
  return providers;
}
