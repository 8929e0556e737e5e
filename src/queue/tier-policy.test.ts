import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agedPriority, tierPriority } from "./tier-policy.ts";

const policy = { stepMs: 1000, intervalMs: 100 };

describe("tier policy", () => {
  it("clamps requested priorities to the five tiers, Free by default", () => {
    expect(tierPriority(undefined)).toBe(5);
    expect(tierPriority(0)).toBe(1);
    expect(tierPriority(9)).toBe(5);
    expect(tierPriority(2.4)).toBe(2);
  });

  it("gains one level per step waited, never past the highest", () => {
    expect(agedPriority(5, 0, policy)).toBe(5);
    expect(agedPriority(5, 999, policy)).toBe(5);
    expect(agedPriority(5, 1000, policy)).toBe(4);
    expect(agedPriority(5, 4000, policy)).toBe(1);
    expect(agedPriority(5, 1e9, policy)).toBe(1);
    expect(agedPriority(1, 1e9, policy)).toBe(1);
  });

  it("never makes a job wait longer than (tier - 1) steps to reach the top priority", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e7 }), (tier, waited) => {
        const aged = agedPriority(tier, waited, policy);
        expect(aged).toBeGreaterThanOrEqual(1);
        expect(aged).toBeLessThanOrEqual(tier);
        if (waited >= (tier - 1) * policy.stepMs) expect(aged).toBe(1);
      }),
    );
  });
});
