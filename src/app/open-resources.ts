import os from "node:os";
import path from "node:path";
import type { AppConfig } from "../config/index.ts";
import { type DatabaseHandle, openDatabase } from "../db/index.ts";
import type { Logger } from "../logging/index.ts";
import { type PipelineResources, registerPipelineJobs } from "../pipeline/index.ts";
import { createRemoteProviders, type FetchFunction } from "../providers/index.ts";
import { createLocal, type LocalProviderOptions } from "../providers/local/index.ts";
import {
  createEmbeddedEventBus,
  createJobQueue,
  createRedisEventBus,
  type JobQueue,
  type JobQueueOptions,
} from "../queue/index.ts";
import { createFfmpegRenderer } from "../render/index.ts";
import { createRouter } from "../router/index.ts";
import { createObjectStore } from "../storage/index.ts";

/** Everything a command needs, opened from the configuration, and how to close it. */
export interface AppResources extends PipelineResources {
  readonly database: DatabaseHandle;
  close(): Promise<void>;
}

/** Options of {@link openResources}. */
export interface OpenResourcesOptions {
  /** HTTP client for the remote providers. @defaultValue global fetch */
  readonly fetch?: FetchFunction | undefined;
  /** Jobs the queue runs at once in this process (per job type on BullMQ). @defaultValue the CPU count */
  readonly concurrency?: number | undefined;
  /** Options of the BullMQ queue (`REDIS_URL`): key prefix, metrics, logger. */
  readonly queueOptions?: JobQueueOptions | undefined;
  /** A queue to use instead of the configured one (`litink worker` brings its own); closed with the rest. */
  readonly queue?: JobQueue | undefined;
  /**
   * Whether this process works on pipeline jobs (registers their handlers). The embedded queue always
   * does; `litink render --no-local-work` leaves them to `litink worker` processes. @defaultValue true
   */
  readonly work?: boolean | undefined;
}

/**
 * Opens the database (migrated), object store, providers (remote ones with a key, plus the offline
 * `local` provider), router, renderer and queue named by `config` (BullMQ when `REDIS_URL` is set, else
 * embedded), and registers the pipeline's job handlers so this process works on its jobs. Explicit
 * wiring: one place builds the services, everything else receives them.
 */
export async function openResources(
  config: AppConfig,
  logger: Logger,
  options: OpenResourcesOptions = {},
): Promise<AppResources> {
  const database = await openDatabase(config.database);
  const storage = createObjectStore(config.storage);
  const local: LocalProviderOptions = { logger, ffmpeg: config.ffmpeg };
  const providers = [
    ...createRemoteProviders(config.providers, { fetch: options.fetch }),
    createLocal(local),
  ];
  const router = createRouter({ config, db: database.db, providers, logger });
  const renderer = createFfmpegRenderer({
    cacheDir: config.renderCache.dir,
    locate: config.ffmpeg,
    logger,
  });
  const queue =
    options.queue ??
    (await createJobQueue(config.queue, {
      logger,
      ...options.queueOptions,
      concurrency: options.concurrency ?? os.availableParallelism(),
    }));
  // Progress goes out on the same Redis (and prefix) as the jobs, so `litink status --follow` on any
  // machine sees it; embedded, the bus stays in this process.
  const events =
    config.queue.kind === "bullmq"
      ? createRedisEventBus({
          connection: config.queue.url,
          prefix: options.queueOptions?.prefix ?? "litink",
          logger,
        })
      : createEmbeddedEventBus();
  const resources: AppResources = {
    config,
    database,
    db: database.db,
    storage,
    router,
    renderer,
    queue,
    events,
    logger,
    workDir: path.join(config.dataDir, "work"),
    async close() {
      await queue.close();
      await events.close();
      await storage.close();
      await database.close();
    },
  };
  if (options.work ?? true) registerPipelineJobs(resources);
  return resources;
}
