/**
 * Faults a fake server can be told to inject, once or several times, on one route. `error` is rendered in
 * the provider's own error envelope; the others are transport-level misbehaviour.
 */
export type Fault =
  /** An error in the provider's envelope. `inBody` answers HTTP 200 with the error in the body. */
  | {
      readonly kind: "error";
      readonly status: number;
      /** The provider's error code (OpenRouter error_type, ElevenLabs detail.code/status, ModelsLab status). */
      readonly code?: string | undefined;
      readonly message?: string | undefined;
      /** Sent as the Retry-After header (and ModelsLab's retry_after body field). */
      readonly retryAfterSeconds?: number | undefined;
      readonly inBody?: boolean | undefined;
      /** Provider-specific spelling variant: ModelsLab `messege`, ElevenLabs old `detail.status` form. */
      readonly variant?: string | undefined;
    }
  /** Accept the request and never answer (until the server closes). */
  | { readonly kind: "hang" }
  /** Destroy the connection without answering. */
  | { readonly kind: "reset" }
  /** Start a JSON answer with a Content-Length for the whole body, send half, then cut the connection. */
  | { readonly kind: "truncated-json" }
  /** HTTP 200, `application/json`, with a body that is not JSON. */
  | { readonly kind: "malformed-json" }
  /** HTTP 200 with an HTML page (a proxy or captive portal) instead of the real answer. */
  | { readonly kind: "wrong-content-type" }
  /** The real answer with its Content-Type replaced (e.g. application/octet-stream). */
  | { readonly kind: "content-type"; readonly value: string }
  /** The real answer, dribbled in small chunks `delayMs` apart. */
  | { readonly kind: "slow-body"; readonly delayMs: number; readonly chunkBytes?: number | undefined }
  /** Wait, then give the real answer. */
  | { readonly kind: "delay"; readonly ms: number }
  /** A body of `bytes` bytes, with Content-Length declared unless `undeclared`. */
  | { readonly kind: "oversize"; readonly bytes: number; readonly undeclared?: boolean | undefined };

/** A fault rendered as an HTTP answer by the provider's fake. */
export type ErrorFault = Extract<Fault, { kind: "error" }>;
