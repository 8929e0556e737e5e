export { audioDurationSeconds } from "./audio-duration.ts";
export type { CallContext, FetchFunction } from "./call-context.ts";
export {
  assertCapability,
  assertOptionsSupported,
  OPTIONAL_FIELDS,
  unsupportedError,
} from "./check-options.ts";
export { type Clock, systemClock } from "./clock.ts";
export { type DownloadedMedia, type DownloadLimits, downloadMedia } from "./download-media.ts";
export { type PollSchedule, type PollStep, pollUntil } from "./poll-until.ts";
export { type ProviderSettings, trimBaseURL } from "./provider-settings.ts";
export {
  type ErrorMapper,
  type ErrorResponse,
  invalidResponse,
  type JsonRequest,
  type JsonResponse,
  requestJson,
} from "./request-json.ts";
export { parseRetryAfter, secondsToMs } from "./retry-after.ts";
export { sniffMediaType } from "./sniff-media-type.ts";
export { kindFromStatus } from "./status-kind.ts";
export { pngSize, videoDurationSeconds } from "./video-duration.ts";
