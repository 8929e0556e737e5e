import type { z } from "zod";
import { ProviderError } from "../provider-error.ts";
import type { CallContext } from "./call-context.ts";
import { readBody } from "./read-body.ts";
import { describeUrl, sendRequest } from "./send-request.ts";

/** An HTTP error answer, handed to the provider's error mapper. */
export interface ErrorResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** Turns an error answer into the provider's classified error. */
type ErrorMapper = (response: ErrorResponse, context: CallContext) => ProviderError;

/** One JSON (or multipart) request. */
export interface JsonRequest<Schema extends z.ZodType> {
  readonly url: string;
  /** @defaultValue "POST" */
  readonly method?: "GET" | "POST" | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** A JSON value (sent as application/json) or FormData (sent as multipart/form-data). */
  readonly body?: unknown;
  /** The schema of a successful (2xx) answer. */
  readonly schema: Schema;
  readonly mapError: ErrorMapper;
  /** @defaultValue 32 MiB (ElevenLabs returns base64 audio inside JSON) */
  readonly maxBytes?: number | undefined;
}

/** A validated JSON answer with its headers. */
export interface JsonResponse<T> {
  readonly value: T;
  readonly status: number;
  readonly headers: Headers;
}

const DEFAULT_MAX_JSON_BYTES = 32 * 1024 * 1024;

/**
 * Sends a request and validates the JSON answer with `schema`. Errors: non-2xx → the provider's
 * `mapError`; a 2xx that is not JSON, not parseable or not matching the schema → `invalid_response`;
 * transport failures → `network` / `timeout` (see `sendRequest`).
 */
export async function requestJson<Schema extends z.ZodType>(
  context: CallContext,
  request: JsonRequest<Schema>,
): Promise<JsonResponse<z.output<Schema>>> {
  const what = `${request.method ?? "POST"} ${describeUrl(request.url)}`;
  const headers: Record<string, string> = { accept: "application/json", ...request.headers };
  let body: RequestInit["body"];
  if (request.body instanceof FormData) {
    body = request.body;
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers["content-type"] = "application/json";
  }
  const response = await sendRequest(context, request.url, {
    method: request.method ?? "POST",
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const bytes = await readBody(
    context,
    response,
    request.maxBytes ?? DEFAULT_MAX_JSON_BYTES,
    `the answer to ${what}`,
  );
  const text = new TextDecoder().decode(bytes);
  if (!response.ok) {
    throw request.mapError(
      { status: response.status, headers: response.headers, text, json: tryParse(text) },
      context,
    );
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (!/\bjson\b/i.test(contentType)) {
    throw invalidResponse(context, `${what} answered ${contentType || "no content type"} instead of JSON`);
  }
  const json = tryParse(text);
  if (json === undefined) {
    throw invalidResponse(
      context,
      `${what} answered malformed JSON (${text.length} characters: ${preview(text)})`,
    );
  }
  const parsed = request.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "(root)";
    throw invalidResponse(
      context,
      `${what} answered JSON of an unexpected shape: ${where}: ${issue?.message}`,
    );
  }
  return { value: parsed.data, status: response.status, headers: response.headers };
}

/** A `invalid_response` error for this context. */
export function invalidResponse(context: CallContext, message: string, cause?: unknown): ProviderError {
  return new ProviderError(`${context.provider}: ${message}`, {
    provider: context.provider,
    modelId: context.modelId,
    kind: "invalid_response",
    cause,
  });
}

function tryParse(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
