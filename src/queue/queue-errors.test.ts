import { describe, expect, it } from "vitest";
import { LitinkError } from "../errors/index.ts";
import { HANDED_BACK, isFinalFailure, UnrecoverableJobError, willRunAgain } from "./queue-errors.ts";

const running = { attempt: 1, signal: new AbortController().signal };
const aborted = (reason: unknown) => {
  const controller = new AbortController();
  controller.abort(reason);
  return { attempt: 1, signal: controller.signal };
};

describe("which failures the queue retries", () => {
  it("retries internal and retryable errors while attempts are left", () => {
    expect(willRunAgain(new Error("socket hang up"), running, 2)).toBe(true);
    expect(willRunAgain(new Error("socket hang up"), { ...running, attempt: 2 }, 2)).toBe(false);
    const rateLimited = new LitinkError("provider.rate_limited", "slow down", {
      userFacing: true,
      retryable: true,
    });
    expect(willRunAgain(rateLimited, running, 2)).toBe(true);
  });

  it("never retries a user's mistake, an unrecoverable error or a cancelled job", () => {
    expect(
      willRunAgain(
        new LitinkError("ingest.empty_file", "book.txt is empty", { userFacing: true }),
        running,
        3,
      ),
    ).toBe(false);
    expect(willRunAgain(new UnrecoverableJobError("bad payload"), running, 3)).toBe(false);
    expect(
      willRunAgain(new Error("aborted"), aborted(new LitinkError("queue.cancelled", "cancelled")), 3),
    ).toBe(false);
    expect(isFinalFailure(new LitinkError("queue.closed", "closed"))).toBe(true);
  });

  it("always runs a job again that a shutting-down worker handed back, even on its last attempt", () => {
    const handedBack = aborted(new LitinkError(HANDED_BACK, "worker shutting down"));
    expect(willRunAgain(new Error("aborted"), { ...handedBack, attempt: 2 }, 2)).toBe(true);
  });
});
