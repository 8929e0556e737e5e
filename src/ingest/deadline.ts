import { IngestError } from "./ingest-error.ts";

/**
 * The time budget of one ingest call. Synchronous parsers call {@link Deadline.check} inside their
 * loops; asynchronous steps go through {@link Deadline.race}, so no parser can run past the budget.
 */
export class Deadline {
  readonly #endsAt: number;
  readonly #fileName: string;
  readonly #budgetMs: number;
  readonly #signal: AbortSignal | undefined;
  readonly #now: () => number;
  #counter = 0;

  constructor(fileName: string, budgetMs: number, signal?: AbortSignal, now: () => number = Date.now) {
    this.#fileName = fileName;
    this.#budgetMs = budgetMs;
    this.#signal = signal;
    this.#now = now;
    this.#endsAt = now() + budgetMs;
  }

  /** Milliseconds left before the budget runs out (never negative). */
  remainingMs(): number {
    return Math.max(0, this.#endsAt - this.#now());
  }

  /** Throws `ingest.timeout` or `ingest.aborted` when the budget is spent or the signal fired. */
  check(): void {
    if (this.#signal?.aborted) {
      throw new IngestError("ingest.aborted", this.#fileName, "reading the file was cancelled");
    }
    if (this.#now() > this.#endsAt) throw this.#timeoutError();
  }

  /** A cheap {@link Deadline.check} for hot loops: looks at the clock every 256 calls. */
  tick(): void {
    this.#counter = (this.#counter + 1) & 255;
    if (this.#counter === 0) this.check();
  }

  /** Resolves like `work`, or rejects when the budget runs out or the signal fires first. */
  async race<T>(work: Promise<T>, onTimeout?: () => void): Promise<T> {
    this.check();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        onTimeout?.();
        reject(this.#timeoutError());
      }, this.remainingMs());
      onAbort = () => {
        onTimeout?.();
        reject(new IngestError("ingest.aborted", this.#fileName, "reading the file was cancelled"));
      };
      this.#signal?.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([work, limit]);
    } finally {
      clearTimeout(timer);
      if (onAbort) this.#signal?.removeEventListener("abort", onAbort);
    }
  }

  #timeoutError(): IngestError {
    return new IngestError(
      "ingest.timeout",
      this.#fileName,
      `parsing took longer than the ${this.#budgetMs} ms budget; the file may be malformed, or raise timeBudgetMs for very large books`,
      { details: { timeBudgetMs: this.#budgetMs } },
    );
  }
}
