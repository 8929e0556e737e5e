/**
 * Options shared by every LitinkAI error.
 */
export interface LitinkErrorOptions {
  /** Structured fields that explain the error (file, field, limit, …); never secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** The lower-level error this one wraps. */
  readonly cause?: unknown;
  /**
   * Whether retrying the same operation may succeed (network blips, 429, 5xx).
   * @defaultValue false
   */
  readonly retryable?: boolean;
  /**
   * Whether the error is the user's to fix (bad file, bad flag, over a quota):
   * the CLI prints the message without a stack trace.
   * @defaultValue false
   */
  readonly userFacing?: boolean;
}

/**
 * The base of every error LitinkAI throws on purpose: a stable machine-readable `code`,
 * a message that says what went wrong and what to do, structured `details` and a `cause`.
 * Callers branch on `code` and `retryable`, never on message text.
 *
 * @example
 * throw new LitinkError("ingest.empty_file", "book.txt: the file is empty", { userFacing: true });
 */
export class LitinkError extends Error {
  override readonly name: string = "LitinkError";
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly retryable: boolean;
  readonly userFacing: boolean;

  constructor(code: string, message: string, options: LitinkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
    this.retryable = options.retryable ?? false;
    this.userFacing = options.userFacing ?? false;
  }

  /** A plain object for logs and `--json` output. */
  toJSON(): { code: string; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Whether `error` is a {@link LitinkError}, optionally with the given code. */
export function isLitinkError(error: unknown, code?: string): error is LitinkError {
  return error instanceof LitinkError && (code === undefined || error.code === code);
}

/** Marks a `switch` as exhaustive: the compiler fails if a case is missing. */
export function assertNever(value: never, what = "value"): never {
  throw new LitinkError("internal.unreachable", `unexpected ${what}: ${JSON.stringify(value)}`);
}
