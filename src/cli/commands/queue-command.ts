import { Command, Option } from "commander";
import { loadConfig } from "../../config/index.ts";
import { inspectQueues, type QueueReport } from "../../queue/index.ts";

/** What `litink queue` reads and writes; everything defaults to the real process. */
export interface QueueCommandDependencies {
  /** @defaultValue process.env */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** @defaultValue process.stdout */
  readonly output?: { write(text: string): unknown } | undefined;
}

const TIER_NAMES: Readonly<Record<number, string>> = {
  1: "Professional",
  2: "Premium",
  3: "Standard",
  4: "Basic",
  5: "Free",
};

/**
 * `litink queue [--json]`: the shared BullMQ queues (`REDIS_URL`), with depth, running jobs and current
 * wait times per tier for every job type.
 */
export function createQueueCommand(dependencies: QueueCommandDependencies = {}): Command {
  const output = dependencies.output ?? process.stdout;
  return new Command("queue")
    .description("show the shared job queues: depth and wait times per tier (needs REDIS_URL)")
    .option("--json", "print one JSON object instead of the table")
    .addOption(new Option("--prefix <prefix>", "Redis key prefix of the deployment").default("litink"))
    .action(async (options: { json?: boolean; prefix: string }) => {
      const config = loadConfig({ env: dependencies.env ?? process.env });
      if (config.queue.kind !== "bullmq") {
        const note =
          "the embedded queue lives inside each litink process, so there is no shared queue to show; set REDIS_URL to use BullMQ workers";
        output.write(
          options.json ? `${JSON.stringify({ kind: "embedded", queues: [], note })}\n` : `${note}\n`,
        );
        return;
      }
      const reports = await inspectQueues({ connection: config.queue.url, prefix: options.prefix });
      output.write(
        options.json
          ? `${JSON.stringify({ kind: "bullmq", queues: reports })}\n`
          : formatQueueReports(reports),
      );
    });
}

/** The human-readable table of `litink queue`. */
function formatQueueReports(reports: readonly QueueReport[]): string {
  if (reports.length === 0) return "no jobs have been queued yet\n";
  const lines: string[] = [];
  for (const report of reports) {
    const mean =
      report.recentMeanDurationMs === undefined
        ? ""
        : `; recent runs take ${formatMs(report.recentMeanDurationMs)}`;
    lines.push(
      `${report.type}: ${report.waiting} waiting, ${report.active} running, ${report.delayed} delayed, ${report.failed} failed${mean}`,
    );
    lines.push(
      `  ${"tier".padEnd(16)}${"waiting".padStart(8)}${"running".padStart(9)}${"oldest wait".padStart(13)}${"mean wait".padStart(11)}`,
    );
    for (const tier of report.tiers) {
      const name = `${tier.tier} ${TIER_NAMES[tier.tier] ?? ""}`;
      lines.push(
        `  ${name.padEnd(16)}${String(tier.waiting).padStart(8)}${String(tier.active).padStart(9)}${formatMs(tier.oldestWaitMs).padStart(13)}${formatMs(tier.meanWaitMs).padStart(11)}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
