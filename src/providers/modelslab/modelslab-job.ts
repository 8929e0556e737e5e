import { createHash } from "node:crypto";
import {
  type CallContext,
  type DownloadedMedia,
  type DownloadLimits,
  downloadMedia,
  invalidResponse,
  type PollSchedule,
  pollUntil,
  requestJson,
  secondsToMs,
} from "../http/index.ts";
import {
  MODELSLAB_PATHS,
  type ModelsLabEnvelope,
  type ModelsLabFamily,
  modelsLabEnvelopeSchema,
} from "./modelslab-api-types.ts";
import { mapModelsLabError, modelsLabBodyError } from "./modelslab-error.ts";

/** What every ModelsLab model needs from its provider. */
export interface ModelsLabModelConfig {
  readonly apiKey: string;
  readonly baseURL: string;
  readonly context: Omit<CallContext, "modelId" | "signal">;
  /** Polling schedule per family (images are usually synchronous, video always asynchronous). */
  readonly polling: { readonly [F in ModelsLabFamily]: PollSchedule };
  /** Download caps per output kind, in bytes. */
  readonly maxDownloadBytes: { readonly image: number; readonly audio: number; readonly video: number };
  /** Jobs submitted but not yet delivered, by idempotency key, so a retry resumes instead of paying again. */
  readonly unfinishedJobs: Map<string, UnfinishedJob>;
}

/** A job that was accepted (and will be billed) but whose output has not been delivered yet. */
type UnfinishedJob =
  | { readonly state: "processing"; readonly fetchUrl: string; readonly description: string }
  | { readonly state: "succeeded"; readonly envelope: ModelsLabEnvelope };

/** A finished job: its first output downloaded, and the envelope that announced it. */
export interface ModelsLabJobResult {
  readonly media: DownloadedMedia;
  readonly envelope: ModelsLabEnvelope;
}

/** One generation request. */
export interface ModelsLabJob {
  readonly path: string;
  readonly family: ModelsLabFamily;
  readonly body: Record<string, unknown>;
  /** The caller's idempotency key: a retry with the same key resumes an unfinished job. */
  readonly idempotencyKey?: string | undefined;
}

const MAX_UNFINISHED_JOBS = 1000;

/**
 * Runs one ModelsLab generation: POST the request (key in the body and the `key` header), then, while
 * the answer is `processing`, poll its `fetch_result` (only when it is on the API's own origin, so the key
 * never leaves for another host) or `/v7/{family}/fetch/{id}` with backoff until `success`, an error, or
 * the deadline; finally download the first output URL with a size cap and a content-type check.
 *
 * With an idempotency key, a job that timed out while polling, or whose download failed, is remembered:
 * the next call with the same key polls (or downloads) that job again instead of submitting and paying
 * for a new one. A job that ModelsLab reports failed is forgotten.
 */
export async function runModelsLabJob(
  config: ModelsLabModelConfig,
  context: CallContext,
  job: ModelsLabJob,
  limits: DownloadLimits,
): Promise<ModelsLabJobResult> {
  // Only the very same request resumes: the key covers the endpoint, the model and the body.
  const key =
    job.idempotencyKey === undefined
      ? undefined
      : `${job.idempotencyKey} ${createHash("sha256")
          .update(JSON.stringify([job.path, context.modelId, job.body]))
          .digest("hex")}`;
  let unfinished = key === undefined ? undefined : config.unfinishedJobs.get(key);
  let firstEtaMs: number | undefined;
  if (!unfinished) {
    const first = await post(config, context, `${config.baseURL}${job.path}`, {
      ...job.body,
      key: config.apiKey,
    });
    const state = settle(context, first, false);
    firstEtaMs = secondsToMs(first.value.eta);
    unfinished =
      state === "processing"
        ? {
            state: "processing",
            fetchUrl: fetchUrlOf(config, job.family, first),
            description: `${job.family} job ${first.value.id ?? "(no id)"}`,
          }
        : { state: "succeeded", envelope: state };
    if (key !== undefined) remember(config.unfinishedJobs, key, unfinished);
  }
  let envelope: ModelsLabEnvelope;
  if (unfinished.state === "processing") {
    const { fetchUrl, description } = unfinished;
    let jobFailed = false;
    try {
      envelope = await pollUntil(
        context,
        description,
        config.polling[job.family],
        async () => {
          const polled = await post(config, context, fetchUrl, { key: config.apiKey });
          let state: ModelsLabEnvelope | "processing";
          try {
            state = settle(context, polled, true);
          } catch (error) {
            jobFailed = true;
            throw error;
          }
          return state === "processing"
            ? { done: false, etaMs: secondsToMs(polled.value.eta) }
            : { done: true, value: state };
        },
        firstEtaMs,
      );
    } catch (error) {
      // A job ModelsLab reports failed is over; a timeout or a dropped poll leaves it running, worth resuming.
      if (key !== undefined && jobFailed) config.unfinishedJobs.delete(key);
      throw error;
    }
    if (key !== undefined) remember(config.unfinishedJobs, key, { state: "succeeded", envelope });
  } else {
    envelope = unfinished.envelope;
  }
  const url = [
    ...(envelope.output ?? []),
    ...(envelope.proxy_links ?? []),
    ...(envelope.future_links ?? []),
  ][0];
  if (!url) {
    if (key !== undefined) config.unfinishedJobs.delete(key);
    throw invalidResponse(context, `${job.family} job ${envelope.id ?? ""} succeeded without an output URL`);
  }
  const media = await downloadMedia(context, url, limits);
  if (key !== undefined) config.unfinishedJobs.delete(key);
  return { media, envelope };
}

function remember(jobs: Map<string, UnfinishedJob>, key: string, job: UnfinishedJob): void {
  jobs.delete(key);
  jobs.set(key, job);
  if (jobs.size > MAX_UNFINISHED_JOBS) jobs.delete(jobs.keys().next().value!);
}

async function post(
  config: ModelsLabModelConfig,
  context: CallContext,
  url: string,
  body: Record<string, unknown>,
) {
  const response = await requestJson(context, {
    url,
    headers: { key: config.apiKey },
    body,
    schema: modelsLabEnvelopeSchema,
    mapError: mapModelsLabError,
  });
  return { value: response.value, status: response.status };
}

function settle(
  context: CallContext,
  answer: { readonly value: ModelsLabEnvelope; readonly status: number },
  whileProcessing: boolean,
): ModelsLabEnvelope | "processing" {
  const status = answer.value.status.toLowerCase();
  if (status === "success" || status === "completed") return answer.value;
  if (status === "processing" || status === "queued" || status === "pending") return "processing";
  // "error", "failed", "cancelled" and anything unknown: the body's status wins over the HTTP 200.
  throw modelsLabBodyError(context, answer.value, answer.status, whileProcessing);
}

function fetchUrlOf(
  config: ModelsLabModelConfig,
  family: ModelsLabFamily,
  first: { readonly value: ModelsLabEnvelope },
): string {
  const given = first.value.fetch_result;
  if (given) {
    try {
      if (new URL(given).origin === new URL(config.baseURL).origin) return given;
    } catch {
      // fall through to the id
    }
  }
  const id = first.value.id;
  if (id === undefined || id === null || id === "") {
    throw invalidResponse(
      { ...config.context },
      `a ${family} job is processing but the answer has neither a usable fetch_result nor an id to poll`,
    );
  }
  return `${config.baseURL}${MODELSLAB_PATHS.fetch(family, id)}`;
}
