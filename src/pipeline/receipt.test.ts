import { describe, expect, it } from "vitest";
import type { CostLine } from "./pipeline-types.ts";
import { buildReceipt } from "./receipt.ts";

const line = (overrides: Partial<CostLine>): CostLine => ({
  stage: "image_generation",
  capability: "image",
  provider: "modelslab",
  model: "imagen-4-fast",
  units: 1,
  unit: "images",
  costMicros: 4000,
  cached: false,
  savedMicros: 0,
  ...overrides,
});

describe("buildReceipt", () => {
  it("groups by stage and model, separates cache savings and matches the ledger to the micro-dollar", () => {
    const receipt = buildReceipt({
      videoId: "v",
      title: "T",
      tier: "Basic",
      lines: [
        line({}),
        line({}),
        line({ cached: true, costMicros: 0, savedMicros: 4000 }),
        line({
          stage: "audio_generation",
          capability: "voice",
          provider: "elevenlabs",
          model: "eleven_multilingual_v2",
          units: 1234,
          unit: "characters",
          costMicros: 123_400,
        }),
      ],
      ledgerRows: 3,
      ledgerTotalMicros: 131_400,
    });
    expect(receipt.lines).toHaveLength(2);
    expect(receipt.lines[0]).toMatchObject({
      calls: 3,
      cachedCalls: 1,
      units: 3,
      costUsd: "0.008000",
      savedUsd: "0.004000",
    });
    expect(receipt.totalUsd).toBe("0.131400");
    expect(receipt.cacheSavingsUsd).toBe("0.004000");
    expect(receipt.ledger).toEqual({ rows: 3, totalUsd: "0.131400", matches: true });
    expect(
      buildReceipt({
        videoId: "v",
        title: "T",
        tier: "Basic",
        lines: [line({})],
        ledgerRows: 1,
        ledgerTotalMicros: 1,
      }).ledger.matches,
    ).toBe(false);
  });
});
