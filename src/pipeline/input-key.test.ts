import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, inputKey } from "./input-key.ts";

describe("inputKey", () => {
  it("does not depend on key order", () => {
    expect(inputKey("image", { a: 1, b: { c: 2, d: 3 } })).toBe(
      inputKey("image", { b: { d: 3, c: 2 }, a: 1 }),
    );
  });

  it("changes with any input and with the kind", () => {
    const base = inputKey("image", { prompt: "a", seed: 1 });
    expect(inputKey("image", { prompt: "a", seed: 2 })).not.toBe(base);
    expect(inputKey("speech", { prompt: "a", seed: 1 })).not.toBe(base);
    expect(base).toMatch(/^image-[0-9a-f]{64}$/);
  });

  it("is canonical for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const reordered = JSON.parse(JSON.stringify(value));
        expect(canonicalJson(reordered)).toBe(canonicalJson(value));
      }),
    );
  });
});
