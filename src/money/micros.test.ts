import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { costOf, formatDecimal, formatUsd, parseUsd, sumMicros } from "./micros.ts";

describe("micros", () => {
  it("parses decimal strings and numbers exactly", () => {
    expect(parseUsd("0.15")).toBe(150_000);
    expect(parseUsd("12")).toBe(12_000_000);
    expect(parseUsd("-3.000001")).toBe(-3_000_001);
    expect(parseUsd(0.1)).toBe(100_000);
    expect(parseUsd(0.000014)).toBe(14);
  });

  it("refuses over-precise amounts unless asked to round", () => {
    expect(() => parseUsd("0.0000001")).toThrow(/more than 6 decimal places/);
    expect(parseUsd("0.0000015", { round: true })).toBe(2);
    expect(parseUsd("0.0000014", { round: true })).toBe(1);
    expect(() => parseUsd("abc")).toThrow(/not a dollar amount/);
    expect(() => parseUsd("1e-7")).toThrow(/not a dollar amount/);
  });

  it("formats for SQL and for people", () => {
    expect(formatDecimal(140)).toBe("0.000140");
    expect(formatDecimal(-1_500_000)).toBe("-1.500000");
    expect(formatUsd(12_500)).toBe("$0.0125");
    expect(formatUsd(3_000_000)).toBe("$3.00");
  });

  it("prices token counts per block, rounding half up", () => {
    // 1,234 tokens at $0.15 / 1M = $0.0001851 → 185 micros
    expect(costOf(parseUsd("0.15"), 1234, 1_000_000)).toBe(185);
    // 2.5 seconds at $0.05 / s = $0.125
    expect(costOf(parseUsd("0.05"), 2.5)).toBe(125_000);
    expect(costOf(1, 1, 2)).toBe(1);
    expect(() => costOf(1, -1)).toThrow(/quantity/);
  });

  it("round-trips every micros value through its decimal form", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (micros) => {
        expect(parseUsd(formatDecimal(micros))).toBe(micros);
      }),
    );
  });

  it("sums exactly where floats drift", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { maxLength: 200 }), (values) => {
        const total = sumMicros(values);
        expect(total).toBe(values.reduce((a, b) => a + b, 0));
        expect(parseUsd(formatDecimal(total))).toBe(total);
      }),
    );
    const tenCents = Array.from({ length: 10 }, () => parseUsd("0.1"));
    expect(formatDecimal(sumMicros(tenCents))).toBe("1.000000");
  });
});
