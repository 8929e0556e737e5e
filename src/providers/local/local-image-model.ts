import { fnv1a } from "../../script/index.ts";
import { ProviderError } from "../provider-error.ts";
import type { CallOptions, ImageModel, ImageRequest, ImageResult } from "../types.ts";
import { composeIllustration } from "./illustration/compose-illustration.ts";
import { useBundledFonts } from "./illustration/font-config.ts";
import { paletteFor } from "./illustration/palette.ts";
import { readPrompt } from "./illustration/read-prompt.ts";
import { LOCAL_PROVIDER_NAME } from "./local-unsupported.ts";

/** Largest side the local illustrator draws (8K). */
const MAX_SIDE = 8192;

type Sharp = typeof import("sharp").default;
let sharpModule: Promise<Sharp> | undefined;

/** Loads sharp once, after fontconfig has been pointed at the bundled fonts. */
function loadSharp(): Promise<Sharp> {
  sharpModule ??= (async () => {
    useBundledFonts();
    return (await import("sharp")).default;
  })();
  return sharpModule;
}

/**
 * Offline illustrations: the prompt (a scene's visual description) is read for setting, time of day,
 * mood, figures and key line, composed as SVG (see `composeIllustration`) and rasterized to PNG with sharp
 * at exactly `width` × `height`. The same prompt, size, style and seed give the same bytes.
 */
export class LocalImageModel implements ImageModel {
  readonly provider = LOCAL_PROVIDER_NAME;

  constructor(readonly modelId: string) {}

  /**
   * Draws the picture; `costMicros` is 0. A `negativePrompt` that excludes text (text, letters, captions,
   * typography) leaves out the key line; reference images are ignored.
   */
  async generate(request: ImageRequest, options?: CallOptions): Promise<ImageResult> {
    options?.signal?.throwIfAborted();
    for (const [field, value] of [
      ["width", request.width],
      ["height", request.height],
    ] as const) {
      if (!Number.isInteger(value) || value < 16 || value > MAX_SIDE) {
        throw new ProviderError(
          `image ${field} must be a whole number of pixels from 16 to ${MAX_SIDE}, got ${value}`,
          {
            provider: LOCAL_PROVIDER_NAME,
            modelId: this.modelId,
            kind: "bad_request",
          },
        );
      }
    }
    const seed = (request.seed ?? 0) >>> 0;
    const reading = readPrompt(request.prompt);
    const svg = composeIllustration({
      reading,
      palette: paletteFor(reading.timeOfDay, reading.mood),
      width: request.width,
      height: request.height,
      seed: (fnv1a(request.prompt) ^ seed) >>> 0,
      style: request.style,
      typography: !/\b(text|letters|captions?|typography|words)\b/i.test(request.negativePrompt ?? ""),
    });
    const sharp = await loadSharp();
    const image = await sharp(Buffer.from(svg), { density: 72 })
      .resize(request.width, request.height, { fit: "fill" })
      .png({ compressionLevel: 9, adaptiveFiltering: false })
      .toBuffer();
    return {
      image: new Uint8Array(image),
      mediaType: "image/png",
      width: request.width,
      height: request.height,
      seed,
      modelId: this.modelId,
      costMicros: 0,
    };
  }
}
