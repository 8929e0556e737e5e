import http from "node:http";
import type { AddressInfo } from "node:net";
import { Command, Option } from "commander";
import { openResources } from "../../app/index.ts";
import { loadConfig } from "../../config/index.ts";
import { LitinkError } from "../../errors/index.ts";
import { createLogger } from "../../logging/index.ts";
import { PIPELINE_JOB_TYPES, pipelineJobs } from "../../pipeline/index.ts";
import {
  createQueueMetrics,
  handlePing,
  loadBullmqJobQueue,
  pingJob,
  type WorkerJob,
  workerJob,
} from "../../queue/index.ts";

/** What `litink worker` runs on and reports to; everything defaults to the real process. */
export interface WorkerCommandDependencies {
  /** @defaultValue process.env */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** @defaultValue process.stdout */
  readonly output?: { write(text: string): unknown } | undefined;
  /** Where SIGTERM and SIGINT arrive. @defaultValue process */
  readonly signals?: Pick<NodeJS.EventEmitter, "once" | "off"> | undefined;
  /** Job types this worker can run besides `queue.ping` and the pipeline's jobs (tests add their own). */
  readonly catalog?: readonly WorkerJob[] | undefined;
  /** Called once the worker takes jobs and serves metrics (tests use the port). */
  readonly onReady?: ((info: { readonly metricsUrl: string }) => void) | undefined;
}

interface WorkerOptions {
  concurrency: number;
  queues?: string[];
  metricsPort: number;
  metricsHost: string;
  grace: number;
  lockSeconds: number;
  prefix: string;
}

/**
 * `litink worker [--concurrency N] [--queues a,b] [--metrics-port P]`: takes jobs from the shared BullMQ
 * queues (`REDIS_URL`) until SIGTERM or SIGINT, then finishes running jobs within the grace period and
 * hands the rest back to the queue. Serves Prometheus metrics at `/metrics`: queue wait time by tier,
 * job duration and failures by job type.
 *
 * The catalog: `queue.ping` and the pipeline's scene and segment jobs (`pipelineJobs`), run from their
 * payloads with this process's own database, object store, providers and renderer, so one video spreads
 * over every worker sharing `REDIS_URL`, `DATABASE_URL` and `STORAGE_URL`.
 */
export function createWorkerCommand(dependencies: WorkerCommandDependencies = {}): Command {
  const output = dependencies.output ?? process.stdout;
  const signals = dependencies.signals ?? process;
  return new Command("worker")
    .description("run jobs from the shared BullMQ queues (needs REDIS_URL) until SIGTERM")
    .addOption(
      new Option("--concurrency <n>", "jobs of each type run at once")
        .default(2)
        .argParser(positiveInteger("--concurrency")),
    )
    .addOption(
      new Option(
        "--queues <types>",
        "comma-separated job types to take (default: every type this worker knows)",
      ).argParser((value) =>
        value
          .split(",")
          .map((type) => type.trim())
          .filter(Boolean),
      ),
    )
    .addOption(
      new Option("--metrics-port <port>", "port of the Prometheus /metrics endpoint (0: any free port)")
        .default(9464)
        .argParser(port("--metrics-port")),
    )
    .addOption(
      new Option("--metrics-host <host>", "address the metrics endpoint listens on").default("0.0.0.0"),
    )
    .addOption(
      new Option(
        "--grace <seconds>",
        "on SIGTERM, how long running jobs may take before they are handed back",
      )
        .default(30)
        .argParser(positiveInteger("--grace")),
    )
    .addOption(
      new Option(
        "--lock-seconds <seconds>",
        "how long a job stays locked without renewal: a killed worker's job goes to another after it",
      )
        .default(30)
        .argParser(positiveInteger("--lock-seconds")),
    )
    .addOption(
      new Option("--prefix <prefix>", "Redis key prefix shared by the workers of one deployment").default(
        "litink",
      ),
    )
    .action(async (options: WorkerOptions) => {
      const config = loadConfig({ env: dependencies.env ?? process.env });
      if (config.queue.kind !== "bullmq") {
        throw new LitinkError(
          "cli.no_redis",
          "litink worker needs a shared queue: set REDIS_URL (for example redis://127.0.0.1:6379); without it, litink render runs its jobs itself",
          { userFacing: true },
        );
      }
      const known = [
        pingJob.type,
        ...PIPELINE_JOB_TYPES,
        ...(dependencies.catalog ?? []).map((entry) => entry.definition.type),
      ];
      const selected = options.queues ?? known;
      const unknown = selected.filter((type) => !known.includes(type));
      if (unknown.length > 0 || selected.length === 0) {
        throw new LitinkError(
          "cli.unknown_queue",
          `--queues: this worker cannot run ${unknown.join(", ") || "nothing"}; it knows ${known.join(", ")}`,
          { userFacing: true },
        );
      }
      const metrics = createQueueMetrics();
      const logger = createLogger().child({ component: "worker" });
      const queue = await loadBullmqJobQueue({
        connection: config.queue.url,
        prefix: options.prefix,
        concurrency: options.concurrency,
        queues: selected,
        lockDurationMs: options.lockSeconds * 1000,
        stalledIntervalMs: options.lockSeconds * 1000,
        metrics,
        logger,
      });
      // The prefix also names the event bus: a video job run here publishes where `litink status` listens.
      const resources = await openResources(config, logger, {
        queue,
        work: false,
        queueOptions: { prefix: options.prefix },
      }).catch(async (error: unknown) => {
        await queue.close();
        throw error;
      });
      const catalog = [
        workerJob(pingJob, handlePing),
        ...pipelineJobs(resources),
        ...(dependencies.catalog ?? []),
      ];
      for (const entry of catalog) queue.register(entry.definition, entry.handler);
      const server = http.createServer((request, response) => {
        if (request.method === "GET" && request.url?.split("?")[0] === "/metrics") {
          response.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
          response.end(metrics.render());
        } else {
          response.writeHead(404, { "content-type": "text/plain" }).end("not found: try GET /metrics\n");
        }
      });
      try {
        await withTimeout(
          queue.ready(),
          15_000,
          `could not reach Redis at ${config.queue.url}: is it running?`,
        );
        await new Promise<void>((resolve, reject) => {
          server.once("error", (error) =>
            reject(
              new LitinkError(
                "cli.metrics_port",
                `--metrics-port ${options.metricsPort}: ${error.message}; pick another port`,
                { userFacing: true, cause: error },
              ),
            ),
          );
          server.listen(options.metricsPort, options.metricsHost, () => resolve());
        });
        const { port: bound } = server.address() as AddressInfo;
        const metricsUrl = `http://${options.metricsHost}:${bound}/metrics`;
        output.write(
          `litink worker ${process.pid}: taking ${selected.join(", ")} (concurrency ${options.concurrency}); metrics at ${metricsUrl}\n`,
        );
        const stop = new Promise<string>((resolve) => {
          const onTerm = () => resolve("SIGTERM");
          const onInt = () => resolve("SIGINT");
          signals.once("SIGTERM", onTerm);
          signals.once("SIGINT", onInt);
        });
        dependencies.onReady?.({ metricsUrl });
        const signal = await stop;
        output.write(
          `litink worker ${process.pid}: ${signal}: finishing running jobs (up to ${options.grace} s), handing back the rest\n`,
        );
      } finally {
        await queue.shutdown({ graceMs: options.grace * 1000 });
        await new Promise((resolve) => server.close(resolve));
        await resources.close();
      }
      output.write(`litink worker ${process.pid}: stopped\n`);
    });
}

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) {
      throw new LitinkError(
        "cli.invalid_option",
        `${flag} must be a whole number of at least 1, not "${value}"`,
        {
          userFacing: true,
        },
      );
    }
    return number;
  };
}

function port(flag: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0 || number > 65535) {
      throw new LitinkError(
        "cli.invalid_option",
        `${flag} must be a port number from 0 to 65535, not "${value}"`,
        {
          userFacing: true,
        },
      );
    }
    return number;
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new LitinkError("queue.unavailable", message, { userFacing: true, retryable: true })),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
