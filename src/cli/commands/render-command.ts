import { existsSync } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { ensureLocalUser, openResources } from "../../app/index.ts";
import {
  CAPABILITIES,
  type Capability,
  loadConfig,
  RESOLUTIONS,
  TIER_NAMES,
  type TierName,
} from "../../config/index.ts";
import { LitinkError } from "../../errors/index.ts";
import { createLogger } from "../../logging/index.ts";
import { formatUsd, parseUsd } from "../../money/index.ts";
import {
  ASPECTS,
  type Aspect,
  estimateRequest,
  formatDuration,
  PIPELINE_JOB_TYPES,
  type PipelineEvent,
  parseChapterRange,
  runVideo,
  submitVideo,
  type VideoRequest,
  type VoiceCloneSpec,
  videoJob,
} from "../../pipeline/index.ts";
import { loadBullmqJobQueue } from "../../queue/index.ts";
import { ProgressDisplay } from "../progress-display.ts";
import { pruneCacheAfterRender } from "./cache-command.ts";

interface RenderFlags {
  chapters?: string;
  tier: TierName;
  aspect: Aspect;
  style?: string;
  voice?: string;
  music?: string;
  out: string;
  estimate?: boolean;
  json?: boolean;
  trim?: boolean;
  allowQcFailures?: boolean;
  resolution?: (typeof RESOLUTIONS)[number];
  model: string[];
  cloneVoice: string[];
  localWork: boolean;
  detach?: boolean;
  prefix: string;
}

/** `litink render FILE`: the main job — a book or screenplay in, a narrated, captioned video out. */
export function createRenderCommand(): Command {
  return new Command("render")
    .description("turn a book or screenplay into a narrated, captioned video")
    .argument("<file>", "the book (txt, md, epub, pdf, docx) or screenplay (fountain, fdx)")
    .option("--chapters <range>", "chapters to render: 3 or 1-3 (body chapters, 1-based)")
    .addOption(new Option("--tier <tier>", "subscription tier").choices(TIER_NAMES).default("free"))
    .addOption(new Option("--aspect <aspect>", "output aspect").choices(ASPECTS).default("16:9"))
    .addOption(
      new Option("--resolution <resolution>", "ask for a resolution (capped by the tier)").choices(
        RESOLUTIONS,
      ),
    )
    .option("--style <style>", "illustration style, e.g. watercolor, cinematic, storybook")
    .option("--voice <voice>", "narrator voice (logical name or provider voice id)")
    .option(
      "--clone-voice <[speaker=]file>",
      "clone a voice from a recording (Standard and above, needs ELEVENLABS_API_KEY): the narrator's, or a character's with speaker=; repeatable, several files of one speaker make one voice",
      collect,
      [],
    )
    .option("--music <file>", "background music, ducked under the narration")
    .option("--model <capability=model>", "choose a model (Standard and above), repeatable", collect, [])
    .option("--out <dir>", "output folder", "out")
    .option("--estimate", "print the expected cost and length, spend nothing")
    .option("--trim", "cut the video at the tier's maximum length instead of refusing")
    .option("--allow-qc-failures", "finish even when the quality check fails")
    .option("--json", "one JSON event per line on stdout instead of the live display")
    .option(
      "--no-local-work",
      "with REDIS_URL: only orchestrate; leave the scene and segment jobs to `litink worker` processes",
    )
    .option(
      "--detach",
      "with REDIS_URL: queue the whole video for `litink worker` processes, print its id and exit (follow it with `litink status ID --follow`, download it with `litink fetch ID`)",
    )
    .addOption(
      new Option("--prefix <prefix>", "Redis key prefix shared with the workers (REDIS_URL)").default(
        "litink",
      ),
    )
    .action(async (file: string, flags: RenderFlags) => {
      const config = loadConfig();
      if (!flags.localWork && config.queue.kind !== "bullmq") {
        throw new LitinkError(
          "cli.no_redis",
          "--no-local-work leaves the scene work to `litink worker` processes, which share a queue through Redis: set REDIS_URL (for example redis://127.0.0.1:6379), or drop --no-local-work",
          { userFacing: true },
        );
      }
      if (flags.detach && config.queue.kind !== "bullmq") {
        throw new LitinkError(
          "cli.no_redis",
          "--detach queues the video for `litink worker` processes, which share a queue through Redis: set REDIS_URL (for example redis://127.0.0.1:6379), or drop --detach to render in this process",
          { userFacing: true },
        );
      }
      const logger = createLogger({
        level: flags.json ? "warn" : config.logLevel === "info" ? "warn" : config.logLevel,
      });
      const request: VideoRequest = {
        sourcePath: path.resolve(file),
        chapters: flags.chapters ? parseChapterRange(flags.chapters) : undefined,
        tier: flags.tier,
        aspect: flags.aspect,
        style: flags.style,
        voice: flags.voice,
        musicPath: flags.music ? path.resolve(flags.music) : undefined,
        outDir: path.resolve(flags.out),
        trim: flags.trim,
        allowQcFailures: flags.allowQcFailures,
        resolution: flags.resolution,
        modelOverrides: parseModels(flags.model),
        voiceClones: parseVoiceClones(flags.cloneVoice),
      };
      // --detach only submits: a queue of its own (that can add a job nobody here awaits), no handlers.
      const detachedQueue =
        flags.detach && config.queue.kind === "bullmq"
          ? await loadBullmqJobQueue({ connection: config.queue.url, prefix: flags.prefix, logger })
          : undefined;
      // With REDIS_URL this process orchestrates and, unless --no-local-work, works on its own jobs too,
      // so a render never waits forever for workers that were not started.
      const resources = await openResources(config, logger, {
        work: flags.localWork && !detachedQueue,
        queue: detachedQueue,
        // Its own scene jobs, not other people's queued videos (which it would hand back on exit).
        queueOptions: {
          prefix: flags.prefix,
          queues: PIPELINE_JOB_TYPES.filter((type) => type !== videoJob.type),
        },
      }).catch(async (error: unknown) => {
        await detachedQueue?.close();
        throw error;
      });
      const controller = new AbortController();
      let interrupts = 0;
      const onSigint = (): void => {
        interrupts += 1;
        if (interrupts > 1) process.exit(130);
        process.stderr.write("\nstopping… run the same command again to resume where it stopped\n");
        controller.abort(
          new LitinkError("pipeline.cancelled", "stopped by the user (Ctrl-C)", { userFacing: true }),
        );
      };
      process.on("SIGINT", onSigint);
      try {
        const userId = await ensureLocalUser(resources.db);
        if (flags.estimate) {
          const estimate = await estimateRequest(resources, { ...request, userId });
          if (flags.json) {
            process.stdout.write(`${JSON.stringify({ type: "estimate", ...estimate })}\n`);
          } else {
            printEstimate(estimate);
          }
          return;
        }
        if (detachedQueue) {
          const { videoId, notices } = await submitVideo(resources, detachedQueue, { ...request, userId });
          if (flags.json) {
            process.stdout.write(`${JSON.stringify({ type: "submitted", videoId })}\n`);
          } else {
            for (const notice of notices) process.stderr.write(`! ${notice}\n`);
            process.stdout.write(`${videoId}\n`);
            process.stderr.write(
              `queued for \`litink worker\`; follow it with \`litink status ${videoId} --follow\`, download it with \`litink fetch ${videoId}\`\n`,
            );
          }
          return;
        }
        const display = flags.json || !process.stdout.isTTY ? undefined : new ProgressDisplay(process.stdout);
        const onEvent = (event: PipelineEvent): void => {
          if (flags.json) process.stdout.write(`${JSON.stringify({ type: "event", ...event })}\n`);
          else if (display) display.update(event);
          else if (event.status !== "progress" || (event.stage === "job" && event.message)) {
            process.stderr.write(
              `${event.stage}: ${event.status}${event.message ? ` (${event.message})` : ""}\n`,
            );
          }
        };
        const result = await runVideo(
          resources,
          { ...request, userId },
          { onEvent, signal: controller.signal },
        );
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify({
              type: "result",
              videoId: result.videoId,
              output: result.outputPath,
              srt: result.srtPath,
              vtt: result.vttPath,
              script: result.scriptPath,
              receipt: result.receiptPath,
              qc: result.qcPath,
              durationSeconds: result.durationSeconds,
              scenes: result.scenes,
              segmentsRendered: result.segmentsRendered.length,
              segmentsReused: result.segmentsReused.length,
              // Which clips this run encoded (ids name the scene and shot), for scripts that check edits.
              renderedClips: result.segmentsRendered,
              peakRssMb: result.peakRssMb,
              totalUsd: result.receipt.totalUsd,
              qcPassed: result.qc.passed,
            })}\n`,
          );
        } else {
          process.stdout.write(
            `\n${result.outputPath}\n  ${formatDuration(result.durationSeconds)}, ${result.scenes} scenes, cost ${formatUsd(parseUsd(result.receipt.totalUsd))} (cache saved ${formatUsd(parseUsd(result.receipt.cacheSavingsUsd))})\n  quality check ${result.qc.passed ? "passed" : "FAILED (see qc.json)"}; receipt: ${result.receiptPath}\n`,
          );
        }
        // The video is written: bring the render cache back under LITINK_RENDER_CACHE_MAX_MB.
        await pruneCacheAfterRender(config, logger);
      } finally {
        process.off("SIGINT", onSigint);
        await resources.close();
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseModels(values: readonly string[]): Partial<Record<Capability, string>> | undefined {
  if (values.length === 0) return undefined;
  const overrides: Partial<Record<Capability, string>> = {};
  for (const value of values) {
    const [capability, model] = value.split("=", 2) as [string, string | undefined];
    if (!model || !(CAPABILITIES as readonly string[]).includes(capability)) {
      throw new LitinkError(
        "cli.bad_model",
        `--model takes capability=model with a capability of ${CAPABILITIES.join(", ")}, got "${value}"`,
        { userFacing: true },
      );
    }
    overrides[capability as Capability] = model;
  }
  return overrides;
}

/**
 * `--clone-voice [speaker=]file` values, one voice per speaker in order of first mention; a value that
 * names an existing file is a file even when it contains "=".
 */
function parseVoiceClones(values: readonly string[]): VoiceCloneSpec[] | undefined {
  if (values.length === 0) return undefined;
  const bySpeaker = new Map<string, { speaker: string | undefined; samplePaths: string[] }>();
  for (const value of values) {
    const split = value.indexOf("=");
    const named = split >= 0 && !existsSync(value);
    const name = named ? value.slice(0, split).trim() : "";
    const speaker = name === "" || name.toLowerCase() === "narrator" ? undefined : name;
    const file = named ? value.slice(split + 1) : value;
    if (!file) {
      throw new LitinkError(
        "cli.bad_clone_voice",
        `--clone-voice takes [speaker=]file, e.g. narration.mp3 or Della=della.wav; got "${value}"`,
        { userFacing: true },
      );
    }
    const key = speaker?.toLowerCase().replace(/\s+/g, " ") ?? "";
    const voice = bySpeaker.get(key) ?? { speaker, samplePaths: [] };
    voice.samplePaths.push(path.resolve(file));
    bySpeaker.set(key, voice);
  }
  return [...bySpeaker.values()];
}

function printEstimate(estimate: Awaited<ReturnType<typeof estimateRequest>>): void {
  const out = process.stdout;
  out.write(`${estimate.title} — ${estimate.tier} tier\n`);
  out.write(
    `expected length: about ${formatDuration(estimate.seconds)} (${estimate.words} words, ~${estimate.scenes} scenes)\n\n`,
  );
  for (const stage of estimate.stages) {
    out.write(
      `  ${stage.stage.padEnd(18)} ${`${stage.provider}/${stage.model}`.padEnd(44)} ${String(Math.round(stage.units)).padStart(8)} ${stage.unit.padEnd(10)} ${formatUsd(stage.costMicros).padStart(10)}\n`,
    );
  }
  out.write(`\n  total${formatUsd(estimate.totalMicros).padStart(87)}\n`);
  for (const notice of estimate.decision.notices) out.write(`! ${notice}\n`);
}
