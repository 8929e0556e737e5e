import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.ts";
import { applyTierRules, formatDuration } from "./tier-rules.ts";

const { tiers } = loadConfig({ env: {} });

describe("applyTierRules", () => {
  it("refuses a Free request longer than the tier allows, naming the limit and the estimate", () => {
    expect(() => applyTierRules({ tierName: "free", tiers, estimatedSeconds: 811, trim: false })).toThrow(
      "the Free tier allows videos up to 3 min; this request would make about 13 min 31 s. Choose fewer chapters (--chapters), add --trim to stop at 3 min, or use a higher tier",
    );
  });

  it("trims instead of refusing with --trim", () => {
    const decision = applyTierRules({ tierName: "free", tiers, estimatedSeconds: 811, trim: true });
    expect(decision.trimToSeconds).toBe(180);
    expect(decision.notices[0]).toContain("trimmed to the Free tier's 3 min");
  });

  it("caps the resolution at the tier's maximum", () => {
    const decision = applyTierRules({
      tierName: "basic",
      tiers,
      estimatedSeconds: 60,
      trim: false,
      resolution: "2160p",
    });
    expect(decision.resolution).toBe("720p");
    expect(decision.notices).toEqual(["2160p is above the Basic tier's maximum; rendering at 720p"]);
    expect(applyTierRules({ tierName: "premium", tiers, estimatedSeconds: 60, trim: false }).resolution).toBe(
      "2160p",
    );
  });

  it("puts the watermark on Free only", () => {
    expect(applyTierRules({ tierName: "free", tiers, estimatedSeconds: 60, trim: false }).watermark).toBe(
      true,
    );
    expect(applyTierRules({ tierName: "basic", tiers, estimatedSeconds: 60, trim: false }).watermark).toBe(
      false,
    );
  });

  it("refuses custom models below Standard and allows them from Standard", () => {
    expect(() =>
      applyTierRules({
        tierName: "basic",
        tiers,
        estimatedSeconds: 60,
        trim: false,
        modelOverrides: { script: "openai/gpt-4o" },
      }),
    ).toThrow(
      "the Basic tier uses fixed models; choosing a model (script: openai/gpt-4o) needs Standard or higher",
    );
    expect(() =>
      applyTierRules({
        tierName: "standard",
        tiers,
        estimatedSeconds: 60,
        trim: false,
        modelOverrides: { script: "openai/gpt-4o" },
      }),
    ).not.toThrow();
  });

  it("refuses voice cloning below Standard", () => {
    expect(() =>
      applyTierRules({ tierName: "free", tiers, estimatedSeconds: 60, trim: false, voiceCloning: true }),
    ).toThrow(
      "the Free tier does not include voice cloning; it needs Standard or higher. Render without --clone-voice, or on a tier with voice cloning",
    );
    expect(() =>
      applyTierRules({ tierName: "standard", tiers, estimatedSeconds: 60, trim: false, voiceCloning: true }),
    ).not.toThrow();
  });

  it("formats durations for people", () => {
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(180)).toBe("3 min");
    expect(formatDuration(260.4)).toBe("4 min 20 s");
  });
});
