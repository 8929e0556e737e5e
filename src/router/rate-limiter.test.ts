import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limiter.ts";
import type { RateLimit } from "./router-policy-options.ts";

function limiter(limits: Record<string, RateLimit>) {
  let now = 1_000_000;
  const rateLimiter = new RateLimiter(
    (key) => limits[key] ?? { requestsPerMinute: 1000, maxConcurrent: 1000 },
    () => now,
  );
  return { rateLimiter, advance: (ms: number) => (now += ms) };
}

describe("RateLimiter", () => {
  it("refuses, without waiting, once a model's requests per minute are spent, and refills over time", () => {
    const { rateLimiter, advance } = limiter({ "p/m": { requestsPerMinute: 2, maxConcurrent: 10 } });
    rateLimiter.tryAcquire("p", "m")?.();
    rateLimiter.tryAcquire("p", "m")?.();
    expect(rateLimiter.tryAcquire("p", "m")).toBeUndefined();
    expect(rateLimiter.tryAcquire("p", "other")).toBeDefined();
    advance(29_000);
    expect(rateLimiter.tryAcquire("p", "m")).toBeUndefined();
    advance(1_000);
    expect(rateLimiter.tryAcquire("p", "m")).toBeDefined();
  });

  it("applies the provider's limit across its models", () => {
    const { rateLimiter } = limiter({ p: { requestsPerMinute: 100, maxConcurrent: 2 } });
    const first = rateLimiter.tryAcquire("p", "a");
    const second = rateLimiter.tryAcquire("p", "b");
    expect(rateLimiter.tryAcquire("p", "c")).toBeUndefined();
    first?.();
    first?.(); // releasing twice frees one slot, not two
    expect(rateLimiter.tryAcquire("p", "c")).toBeDefined();
    expect(rateLimiter.tryAcquire("p", "d")).toBeUndefined();
    second?.();
  });

  it("keeps a model aside for a provider's Retry-After, except for the caller who waited it out", () => {
    const { rateLimiter, advance } = limiter({});
    rateLimiter.block("p", "m", 5000);
    expect(rateLimiter.tryAcquire("p", "m")).toBeUndefined();
    expect(rateLimiter.tryAcquire("p", "m", true)).toBeDefined();
    advance(5000);
    expect(rateLimiter.tryAcquire("p", "m")).toBeDefined();
  });

  it("does not take a slot from the provider when the model refuses", () => {
    const { rateLimiter } = limiter({
      p: { requestsPerMinute: 1, maxConcurrent: 10 },
      "p/m": { requestsPerMinute: 0, maxConcurrent: 10 },
    });
    expect(rateLimiter.tryAcquire("p", "m")).toBeUndefined();
    expect(rateLimiter.tryAcquire("p", "n")).toBeDefined();
  });
});
