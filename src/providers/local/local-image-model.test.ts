import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { isProviderError } from "../provider-error.ts";
import { composeIllustration } from "./illustration/compose-illustration.ts";
import { paletteFor } from "./illustration/palette.ts";
import { readPrompt } from "./illustration/read-prompt.ts";
import { createLocal } from "./local-provider.ts";

const PROMPT =
  "Home, in the evening. Della and Jim are there. Key image: Della doubled the fob chain in her hand and sat on the corner of the table.";

describe("local image (procedural illustration)", () => {
  const model = createLocal().model("image", "procedural");

  it("draws a PNG that decodes at exactly the requested size, landscape and portrait", async () => {
    for (const [width, height] of [
      [640, 360],
      [333, 592],
    ] as const) {
      const result = await model.generate({ prompt: PROMPT, width, height, seed: 1 });
      expect(result.mediaType).toBe("image/png");
      expect(result.costMicros).toBe(0);
      const { data, info } = await sharp(result.image).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.format]).toEqual([width, height, "raw"]);
      expect(data.length).toBe(width * height * info.channels);
    }
  });

  it("is deterministic for the same prompt and seed, and varies with the seed", async () => {
    const first = await model.generate({ prompt: PROMPT, width: 320, height: 180, seed: 42 });
    const again = await model.generate({ prompt: PROMPT, width: 320, height: 180, seed: 42 });
    const other = await model.generate({ prompt: PROMPT, width: 320, height: 180, seed: 43 });
    expect(Buffer.from(again.image).equals(Buffer.from(first.image))).toBe(true);
    expect(Buffer.from(other.image).equals(Buffer.from(first.image))).toBe(false);
  });

  it("sets the key line as light type on the dark band at the bottom (fonts are found)", async () => {
    const width = 640;
    const height = 360;
    const withText = await model.generate({ prompt: PROMPT, width, height, seed: 5 });
    const band = { left: 0, top: Math.round(height * 0.85), width, height: Math.round(height * 0.15) };
    const stats = await sharp(withText.image).extract(band).greyscale().stats();
    // The band is dark (about 45% black over the floor); glyphs in #fdfaf2 make bright pixels.
    expect(stats.channels[0]!.max).toBeGreaterThan(200);
    expect(stats.channels[0]!.mean).toBeLessThan(110);
  });

  it("refuses sizes it cannot draw", async () => {
    await expect(model.generate({ prompt: PROMPT, width: 0, height: 100 })).rejects.toSatisfy(
      (error) => isProviderError(error) && error.kind === "bad_request" && /width/.test(error.message),
    );
    await expect(model.generate({ prompt: PROMPT, width: 100, height: 10.5 })).rejects.toThrow(/height/);
  });
});

describe("LocalImageModel typography", () => {
  it("leaves out the key line when the negative prompt excludes text", async () => {
    const model = createLocal().model("image", "local");
    const prompt = "A shabby flat at night. Della counts the coins by the window.";
    const withText = await model.generate({ prompt, width: 320, height: 180, seed: 1 });
    const without = await model.generate({
      prompt,
      width: 320,
      height: 180,
      seed: 1,
      negativePrompt: "text, captions",
    });
    expect(Buffer.from(without.image).equals(Buffer.from(withText.image))).toBe(false);
    const again = await model.generate({
      prompt,
      width: 320,
      height: 180,
      seed: 1,
      negativePrompt: "text, captions",
    });
    expect(Buffer.from(again.image).equals(Buffer.from(without.image))).toBe(true);
    const reading = readPrompt(prompt);
    const spec = {
      reading,
      palette: paletteFor(reading.timeOfDay, reading.mood),
      width: 320,
      height: 180,
      seed: 1,
    };
    expect(composeIllustration(spec)).toContain("<text");
    expect(composeIllustration({ ...spec, typography: false })).not.toContain("<text");
  });
});
