import { Command, Option } from "commander";
import { type AppConfig, loadConfig } from "../../config/index.ts";
import { type DatabaseHandle, listJobEvents, openDatabase } from "../../db/index.ts";
import { LitinkError } from "../../errors/index.ts";
// The light module only: the pipeline's index would load every stage for two constants.
import { STAGES, VIDEO_JOB_TYPE } from "../../pipeline/pipeline-types.ts";
import {
  createRedisEventBus,
  inspectJobGroup,
  type JobEvent,
  type JobGroupReport,
} from "../../queue/index.ts";
import { findVideo } from "./find-video.ts";

/** What `litink status` reads and writes; everything defaults to the real process. */
export interface StatusCommandDependencies {
  /** @defaultValue process.env */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** @defaultValue process.stdout */
  readonly output?: { write(text: string): unknown } | undefined;
  /** The database to read, left open. @defaultValue the environment's, opened and closed by the command */
  readonly database?: DatabaseHandle | undefined;
  /** Where SIGINT (Ctrl-C, which ends `--follow`) arrives. @defaultValue process */
  readonly signals?: Pick<NodeJS.EventEmitter, "once" | "off"> | undefined;
  /** How often `--follow` reads the video's row (and, without Redis, its new events). @defaultValue 1000 */
  readonly pollIntervalMs?: number | undefined;
}

/** A video's status once its job is over. */
const FINAL_STATUSES = new Set(["succeeded", "failed", "cancelled"]);

/** The job type each fanned-out stage sends its per-scene (or per-shot) jobs as. */
const STAGE_JOB_TYPES: Readonly<Record<string, string>> = {
  image_generation: "pipeline.image",
  audio_generation: "pipeline.speech",
  video_generation: "pipeline.motion",
  lip_sync: "pipeline.lipsync",
  post_processing: "pipeline.segment",
};

/** One stage's latest state, from `job_events`. */
interface StageStatus {
  readonly stage: string;
  readonly event: string;
  readonly done: number | undefined;
  readonly total: number | undefined;
  readonly message: string | undefined;
}

/** Everything `litink status` shows. */
interface VideoStatus {
  readonly videoId: string;
  readonly status: string;
  readonly tier: string;
  readonly createdAt: string;
  readonly finishedAt: string | undefined;
  readonly stages: readonly StageStatus[];
  /** Scene jobs of the video in the shared queue (BullMQ only). */
  readonly queue:
    | (Omit<JobGroupReport, "estimatedCompletion"> & { readonly estimatedCompletion: string | undefined })
    | undefined;
}

/** Options of `litink status`. */
interface StatusOptions {
  readonly json?: boolean;
  readonly follow?: boolean;
  readonly prefix: string;
}

/**
 * `litink status VIDEO_ID [--json] [--follow]`: a video's state and stage progress (from the database's
 * `job_events`) and, with the shared BullMQ queue, where its waiting scene jobs stand: their queue
 * position and estimated completion. `--follow` prints the stored events, then live ones (from the
 * Redis event bus when `REDIS_URL` is set, else from the database each second) until the video's row
 * holds a final status (then a last line with it) or Ctrl-C; with `--json`, one {@link JobEvent} a line,
 * the last `{ stage: "job", status: <final status> }`.
 */
export function createStatusCommand(dependencies: StatusCommandDependencies = {}): Command {
  const output = dependencies.output ?? process.stdout;
  return new Command("status")
    .description("show a video's stage progress, queue position and estimated completion")
    .argument("<video-id>", "the video's id (printed by litink render)")
    .option("--json", "print one JSON object instead of text (with --follow, one per line)")
    .option("--follow", "print the video's events as they happen, until it finishes (or Ctrl-C)")
    .addOption(new Option("--prefix <prefix>", "Redis key prefix of the deployment").default("litink"))
    .action(async (videoId: string, options: StatusOptions) => {
      const config = loadConfig({ env: dependencies.env ?? process.env });
      const database = dependencies.database ?? (await openDatabase(config.database));
      try {
        if (options.follow) {
          await followStatus({ config, database, videoId, options, output, dependencies });
        } else {
          const status = await readStatus(config, database, videoId, options.prefix);
          output.write(options.json ? `${JSON.stringify(status)}\n` : formatStatus(status));
        }
      } finally {
        if (!dependencies.database) await database.close();
      }
    });
}

/** One stored `job_events` row, as the {@link JobEvent} the bus would carry. */
interface StoredEvent {
  readonly id: string;
  readonly event: JobEvent;
}

/** The video's stored events in order, those with ids in `seen` left out. */
async function readEvents(
  database: DatabaseHandle,
  videoId: string,
  seen: ReadonlySet<string> = new Set(),
): Promise<StoredEvent[]> {
  const rows = await listJobEvents(database.db, videoId);
  return rows
    .filter((row) => !seen.has(row.id))
    .map((row) => {
      const data = (typeof row.data === "string" ? JSON.parse(row.data) : row.data) as {
        done?: number;
        total?: number;
      } | null;
      return {
        id: row.id,
        event: {
          videoId,
          stage: row.stage,
          status: row.event,
          ...(data?.done === undefined ? {} : { done: data.done }),
          ...(data?.total === undefined ? {} : { total: data.total }),
          ...(row.message === null ? {} : { message: row.message }),
          at: new Date(row.created_at as unknown as string).toISOString(),
        },
      };
    });
}

async function readStatus(
  config: AppConfig,
  database: DatabaseHandle,
  videoId: string,
  prefix: string,
): Promise<VideoStatus> {
  const video = await findVideo(database, videoId);
  const events = await readEvents(database, videoId);
  const latest = new Map<string, StageStatus>();
  for (const { event } of events) {
    latest.set(event.stage, {
      stage: event.stage,
      event: event.status,
      done: event.done,
      total: event.total,
      message: event.message,
    });
  }
  // A detached video waits as one pipeline.video job (its id is the video's) until a worker starts it;
  // a running one has the jobs of the stage it is in (ids `<video>/<stage>/<index>`).
  const queued = video.status === "queued";
  const running = [...latest.values()].filter(
    (stage) => stage.event !== "succeeded" && stage.event !== "skipped" && STAGE_JOB_TYPES[stage.stage],
  );
  const current = running.at(-1)?.stage;
  const group =
    config.queue.kind === "bullmq" && (queued || current)
      ? await inspectJobGroup({
          connection: config.queue.url,
          prefix,
          type: queued ? VIDEO_JOB_TYPE : (STAGE_JOB_TYPES[current ?? ""] ?? VIDEO_JOB_TYPE),
          jobIdPrefix: queued ? videoId : `${videoId}/${current}/`,
        })
      : undefined;
  return {
    videoId,
    status: video.status,
    tier: video.tier_at_time,
    createdAt: new Date(video.created_at as unknown as string).toISOString(),
    finishedAt: video.finished_at
      ? new Date(video.finished_at as unknown as string).toISOString()
      : undefined,
    stages: [...latest.values()].sort((a, b) => stageOrder(a.stage) - stageOrder(b.stage)),
    queue: group && { ...group, estimatedCompletion: group.estimatedCompletion?.toISOString() },
  };
}

/** Position of a stage in the pipeline; unknown stages go last. */
function stageOrder(stage: string): number {
  const index = (STAGES as readonly string[]).indexOf(stage);
  return index === -1 ? STAGES.length : index;
}

function formatStatus(status: VideoStatus): string {
  const lines = [`video ${status.videoId}: ${status.status} (${status.tier} tier)`];
  for (const stage of status.stages) {
    const progress = stage.total === undefined ? "" : ` ${stage.done ?? 0}/${stage.total}`;
    lines.push(
      `  ${stage.stage.padEnd(18)} ${stage.event}${progress}${stage.message ? `: ${stage.message}` : ""}`,
    );
  }
  if (status.stages.length === 0) lines.push("  no stage has started yet");
  const queue = status.queue;
  if (queue && (queue.waiting > 0 || queue.active > 0)) {
    lines.push(
      `  queue: ${queue.active} ${status.status === "queued" ? "video" : "scene"} job(s) running, ${queue.waiting} waiting` +
        (queue.position === undefined ? "" : `; ${queue.position} job(s) ahead of the next one`) +
        (queue.estimatedCompletion ? `; estimated completion ${queue.estimatedCompletion}` : ""),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** What {@link followStatus} needs. */
interface FollowRequest {
  readonly config: AppConfig;
  readonly database: DatabaseHandle;
  readonly videoId: string;
  readonly options: StatusOptions;
  readonly output: { write(text: string): unknown };
  readonly dependencies: StatusCommandDependencies;
}

/**
 * `--follow`: the stored events, then live ones until the video's row holds a final status or SIGINT.
 * With Redis, the subscription starts before the history is read, so nothing falls between the two;
 * a live event that the history already holds is not printed twice.
 */
async function followStatus(request: FollowRequest): Promise<void> {
  const { config, database, videoId, options, output, dependencies } = request;
  const signals = dependencies.signals ?? process;
  const pollIntervalMs = dependencies.pollIntervalMs ?? 1000;
  const print = (event: JobEvent): void => {
    output.write(options.json ? `${JSON.stringify(event)}\n` : formatEvent(event));
  };
  let interrupted = false;
  let wake: () => void = () => undefined;
  const onInterrupt = (): void => {
    interrupted = true;
    wake();
  };
  signals.once("SIGINT", onInterrupt);
  const bus =
    config.queue.kind === "bullmq"
      ? createRedisEventBus({ connection: config.queue.url, prefix: options.prefix })
      : undefined;
  try {
    const video = await findVideo(database, videoId);
    // Live events wait here until the history is out.
    let early: JobEvent[] | undefined = [];
    const stop = await bus
      ?.subscribe(videoId, (event) => {
        if (early) early.push(event);
        else print(event);
      })
      .catch((error: unknown) => {
        throw new LitinkError(
          "cli.redis_unavailable",
          `could not subscribe to the video's live events on REDIS_URL (${String(error)}); check that Redis runs, or unset REDIS_URL to follow the database alone`,
          { userFacing: true, cause: error },
        );
      });
    const history = await readEvents(database, videoId);
    const seen = new Set(history.map((stored) => stored.id));
    if (!options.json) output.write(`video ${videoId}: ${video.status} (${video.tier_at_time} tier)\n`);
    for (const { event } of history) print(event);
    const printed = new Set(history.map(({ event }) => sameEventKey(event)));
    for (const event of early) if (!printed.has(sameEventKey(event))) print(event);
    early = undefined;
    let status = video.status;
    let finishedAt = video.finished_at;
    while (!FINAL_STATUSES.has(status) && !interrupted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      const row = await database.db
        .selectFrom("videos")
        .select(["status", "finished_at"])
        .where("id", "=", videoId)
        .executeTakeFirst();
      if (!row) {
        throw new LitinkError("cli.unknown_video", `video ${videoId} was deleted while it was followed`, {
          userFacing: true,
        });
      }
      status = row.status;
      finishedAt = row.finished_at;
      if (!bus) {
        // Without Redis the database is the only source: print the events stored since the last look.
        for (const { id, event } of await readEvents(database, videoId, seen)) {
          seen.add(id);
          print(event);
        }
      }
    }
    await stop?.();
    if (!FINAL_STATUSES.has(status)) return;
    const at = finishedAt ? new Date(finishedAt as unknown as string) : new Date();
    if (options.json) print({ videoId, stage: "job", status, at: at.toISOString() });
    else output.write(`video ${videoId}: ${status}\n`);
  } finally {
    signals.off("SIGINT", onInterrupt);
    await bus?.close();
  }
}

/** What tells a live event from the stored copy of the same one (the store has no publish time). */
function sameEventKey(event: JobEvent): string {
  return JSON.stringify([event.stage, event.status, event.done, event.total, event.message]);
}

function formatEvent(event: JobEvent): string {
  const progress = event.total === undefined ? "" : ` ${event.done ?? 0}/${event.total}`;
  return `  ${event.at.slice(11, 19)} ${event.stage.padEnd(18)} ${event.status}${progress}${event.message ? `: ${event.message}` : ""}\n`;
}
