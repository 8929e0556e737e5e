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
}

/** A finished job: its first output downloaded, and the envelope that announced it. */
export interface ModelsLabJobResult {
  readonly media: DownloadedMedia;
  readonly envelope: ModelsLabEnvelope;
}

/**
 * Runs one ModelsLab generation: POST the request (key in the body and the `key` header), then, while
 * the answer is `processing`, poll its `fetch_result` (only when it is on the API's own origin, so the key
 * never leaves for another host) or `/v7/{family}/fetch/{id}` with backoff until `success`, an error, or
 * the deadline; finally download the first output URL with a size cap and a content-type check.
 */
export async function runModelsLabJob(
  config: ModelsLabModelConfig,
  context: CallContext,
  job: { readonly path: string; readonly family: ModelsLabFamily; readonly body: Record<string, unknown> },
  limits: DownloadLimits,
): Promise<ModelsLabJobResult> {
  const first = await post(config, context, `${config.baseURL}${job.path}`, {
    ...job.body,
    key: config.apiKey,
  });
  let envelope = settle(context, first, false);
  if (envelope === "processing") {
    const fetchUrl = fetchUrlOf(config, job.family, first);
    envelope = await pollUntil(
      context,
      `${job.family} job ${first.value.id ?? "(no id)"}`,
      config.polling[job.family],
      async () => {
        const polled = await post(config, context, fetchUrl, { key: config.apiKey });
        const state = settle(context, polled, true);
        return state === "processing"
          ? { done: false, etaMs: secondsToMs(polled.value.eta) }
          : { done: true, value: state };
      },
      secondsToMs(first.value.eta),
    );
  }
  const url = [
    ...(envelope.output ?? []),
    ...(envelope.proxy_links ?? []),
    ...(envelope.future_links ?? []),
  ][0];
  if (!url)
    throw invalidResponse(context, `${job.family} job ${envelope.id ?? ""} succeeded without an output URL`);
  const media = await downloadMedia(context, url, limits);
  return { media, envelope };
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
