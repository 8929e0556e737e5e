import { ProviderError } from "../provider-error.ts";
import type { CallContext } from "./call-context.ts";
import { transportError } from "./send-request.ts";

/**
 * Reads a response body into memory, refusing more than `maxBytes` (a `too_large` error, raised from
 * `Content-Length` before reading when the server declares it). A connection that dies mid-body is a
 * `network` error; an abort is handled as in {@link transportError}.
 */
export async function readBody(
  context: CallContext,
  response: Response,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(context, what, maxBytes, declared);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(context, what, maxBytes, undefined);
      }
      chunks.push(value);
    }
  } catch (error) {
    throw transportError(context, error, `reading ${what}`);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function tooLarge(context: CallContext, what: string, maxBytes: number, declared: number | undefined) {
  const size = declared === undefined ? "more" : `${declared} bytes`;
  return new ProviderError(
    `${context.provider}: ${what} is ${size} than the ${maxBytes}-byte limit; raise the download limit or ask for a smaller output`,
    { provider: context.provider, modelId: context.modelId, kind: "too_large" },
  );
}
