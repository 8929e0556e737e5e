import { describe, expect, it } from "vitest";
import { isProviderError } from "../provider-error.ts";
import { createLocal } from "./local-provider.ts";

describe("createLocal", () => {
  const local = createLocal();

  it("is the offline provider named local, declaring script, image, voice and video", () => {
    expect(local.name).toBe("local");
    expect(Object.keys(local.supports).sort()).toEqual(["image", "script", "video", "voice"]);
    const model = local.model("voice", "espeak-ng");
    expect([model.provider, model.modelId]).toEqual(["local", "espeak-ng"]);
  });

  it("refuses lip sync and voice cloning with provider.unsupported before anything runs", () => {
    for (const capability of ["lip_sync", "voice_clone"] as const) {
      let caught: unknown;
      try {
        local.model(capability, "anything");
      } catch (error) {
        caught = error;
      }
      expect(isProviderError(caught) && caught.code === "provider.unsupported" && !caught.retryable).toBe(
        true,
      );
    }
  });
});
