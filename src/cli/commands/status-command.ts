import { Command, Option } from "commander";
import { type AppConfig, loadConfig } from "../../config/index.ts";
import { createDatabase } from "../../db/index.ts";
import { LitinkError } from "../../errors/index.ts";
import { STAGES } from "../../pipeline/index.ts";
import { inspectJobGroup, type JobGroupReport } from "../../queue/index.ts";

/** What `litink status` reads and writes; everything defaults to the real process. */
export interface StatusCommandDependencies {
  /** @defaultValue process.env */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** @defaultValue process.stdout */
  readonly output?: { write(text: string): unknown } | undefined;
}

/** The pipeline's per-scene job type (`sceneTaskJob` in src/pipeline/scene-jobs.ts). */
const SCENE_TASK_TYPE = "pipeline.scene-task";

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

/**
 * `litink status VIDEO_ID [--json]`: a video's state and stage progress (from the database's
 * `job_events`) and, with the shared BullMQ queue, where its waiting scene jobs stand: their queue
 * position and estimated completion.
 */
export function createStatusCommand(dependencies: StatusCommandDependencies = {}): Command {
  const output = dependencies.output ?? process.stdout;
  return new Command("status")
    .description("show a video's stage progress, queue position and estimated completion")
    .argument("<video-id>", "the video's id (printed by litink render)")
    .option("--json", "print one JSON object instead of text")
    .addOption(new Option("--prefix <prefix>", "Redis key prefix of the deployment").default("litink"))
    .action(async (videoId: string, options: { json?: boolean; prefix: string }) => {
      const config = loadConfig({ env: dependencies.env ?? process.env });
      const status = await readStatus(config, videoId, options.prefix);
      output.write(options.json ? `${JSON.stringify(status)}\n` : formatStatus(status));
    });
}

async function readStatus(config: AppConfig, videoId: string, prefix: string): Promise<VideoStatus> {
  const database = await createDatabase(config.database);
  try {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(videoId);
    const video = isUuid
      ? await database.db.selectFrom("videos").selectAll().where("id", "=", videoId).executeTakeFirst()
      : undefined;
    if (!video) {
      throw new LitinkError(
        "cli.unknown_video",
        `no video ${videoId} in the database; check the id litink render printed (and DATABASE_URL)`,
        { userFacing: true },
      );
    }
    const events = await database.db
      .selectFrom("job_events")
      .select(["stage", "event", "message", "data"])
      .where("video_id", "=", videoId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    const latest = new Map<string, StageStatus>();
    for (const row of events) {
      const data = (typeof row.data === "string" ? JSON.parse(row.data) : row.data) as {
        done?: number;
        total?: number;
      } | null;
      latest.set(row.stage, {
        stage: row.stage,
        event: row.event,
        done: data?.done,
        total: data?.total,
        message: row.message ?? undefined,
      });
    }
    const group =
      config.queue.kind === "bullmq"
        ? await inspectJobGroup({
            connection: config.queue.url,
            prefix,
            type: SCENE_TASK_TYPE,
            jobIdPrefix: `${videoId}/`,
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
  } finally {
    await database.close();
  }
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
      `  queue: ${queue.active} scene job(s) running, ${queue.waiting} waiting` +
        (queue.position === undefined ? "" : `; ${queue.position} job(s) ahead of the next one`) +
        (queue.estimatedCompletion ? `; estimated completion ${queue.estimatedCompletion}` : ""),
    );
  }
  return `${lines.join("\n")}\n`;
}
