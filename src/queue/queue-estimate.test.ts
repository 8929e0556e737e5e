import { describe, expect, it } from "vitest";
import { estimateCompletion, movingAverage } from "./queue-estimate.ts";

describe("queue estimate", () => {
  it("averages recent durations, ignoring invalid ones", () => {
    expect(movingAverage([])).toBeUndefined();
    expect(movingAverage([100, 300, Number.NaN, -1])).toBe(200);
  });

  it("runs the jobs ahead in waves of the capacity, then the job itself", () => {
    const at = (ahead: number, capacity: number) =>
      estimateCompletion({ ahead, capacity, recentDurationsMs: [1000], now: 10_000 })?.getTime();
    expect(at(0, 1)).toBe(11_000);
    expect(at(3, 1)).toBe(14_000);
    expect(at(3, 2)).toBe(13_000);
    expect(at(4, 2)).toBe(13_000);
    expect(at(4, 0)).toBe(15_000);
  });

  it("has no estimate before any duration was observed", () => {
    expect(estimateCompletion({ ahead: 2, capacity: 1, recentDurationsMs: [], now: 0 })).toBeUndefined();
  });
});
