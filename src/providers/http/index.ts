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
export { type PollSchedule, pollUntil } from "./poll-until.ts";
export { type ProviderSettings, trimBaseURL } from "./provider-settings.ts";
export { type ErrorResponse, invalidResponse, requestJson } from "./request-json.ts";
export { parseRetryAfter, secondsToMs } from "./retry-after.ts";
export { kindFromStatus } from "./status-kind.ts";
export { pngSize, videoDurationSeconds } from "./video-duration.ts";
