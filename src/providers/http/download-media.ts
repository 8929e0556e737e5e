import { ProviderError } from "../provider-error.ts";
import type { CallContext } from "./call-context.ts";
import { readBody } from "./read-body.ts";
import { describeUrl, sendRequest } from "./send-request.ts";
import { sniffMediaType } from "./sniff-media-type.ts";
import { kindFromStatus } from "./status-kind.ts";

/** What a download may be. */
export interface DownloadLimits {
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** Accepted media-type families, e.g. `["image/"]` or `["audio/", "video/"]`. */
  readonly accept: readonly string[];
}

/** Downloaded media. */
export interface DownloadedMedia {
  readonly data: Uint8Array;
  readonly mediaType: string;
}

const GENERIC_TYPES = new Set(["application/octet-stream", "binary/octet-stream", ""]);

/**
 * Downloads a provider's output URL with a size cap and a content-type check. A generic
 * `application/octet-stream` answer is accepted when the bytes themselves are media of an accepted family
 * (CDNs often serve generated files that way). Errors: over the cap → `too_large`; HTML or another wrong
 * type → `invalid_response`; HTTP errors → their status kind; transport → `network` / `timeout`.
 */
export async function downloadMedia(
  context: CallContext,
  url: string,
  limits: DownloadLimits,
): Promise<DownloadedMedia> {
  const what = `the output ${describeUrl(url)}`;
  const response = await sendRequest(context, url, { method: "GET" });
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new ProviderError(`${context.provider}: downloading ${what} failed with HTTP ${response.status}`, {
      provider: context.provider,
      modelId: context.modelId,
      kind: kindFromStatus(response.status),
      status: response.status,
    });
  }
  const declared = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!GENERIC_TYPES.has(declared) && !accepts(limits.accept, declared)) {
    await response.body?.cancel().catch(() => undefined);
    throw wrongType(context, what, declared, limits.accept);
  }
  const data = await readBody(context, response, limits.maxBytes, what);
  const sniffed = sniffMediaType(data);
  if (GENERIC_TYPES.has(declared)) {
    if (!sniffed || !accepts(limits.accept, sniffed))
      throw wrongType(context, what, sniffed ?? declared, limits.accept);
    return { data, mediaType: sniffed };
  }
  if (data.byteLength === 0) {
    throw new ProviderError(`${context.provider}: ${what} is empty`, {
      provider: context.provider,
      modelId: context.modelId,
      kind: "invalid_response",
    });
  }
  return { data, mediaType: declared };
}

function accepts(families: readonly string[], mediaType: string): boolean {
  return families.some((family) => mediaType.startsWith(family));
}

function wrongType(context: CallContext, what: string, found: string, accept: readonly string[]) {
  return new ProviderError(
    `${context.provider}: ${what} is ${found || "of no content type"}, expected ${accept.map((a) => `${a}*`).join(" or ")}`,
    { provider: context.provider, modelId: context.modelId, kind: "invalid_response" },
  );
}
