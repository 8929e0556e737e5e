import { createRequire } from "node:module";
import path from "node:path";
import { LitinkError } from "../../errors/index.ts";

const require = createRequire(import.meta.url);

/**
 * The folder of the bundled DejaVu TrueType fonts (npm `dejavu-fonts-ttf`: Latin, Greek, Cyrillic,
 * Arabic, Hebrew and more), handed to libass as `fontsdir` and to drawtext as `fontfile`, because the
 * static FFmpeg build finds no system fonts.
 */
export function bundledFontsFolder(): string {
  try {
    return path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
  } catch (cause) {
    throw new LitinkError("render.fonts_missing", "the dejavu-fonts-ttf package is missing; run npm ci", {
      cause,
    });
  }
}
