import { LitinkError } from "../../errors/index.ts";

/** Platform aspect presets. */
export const ASPECT_PRESETS = {
  /** 16:9, YouTube. */
  youtube: { aspectWidth: 16, aspectHeight: 9 },
  /** 9:16, TikTok, Reels, Shorts. */
  vertical: { aspectWidth: 9, aspectHeight: 16 },
  /** 1:1, Instagram feed. */
  square: { aspectWidth: 1, aspectHeight: 1 },
  /** 4:5, Instagram portrait. */
  portrait: { aspectWidth: 4, aspectHeight: 5 },
} as const;

/** A key of {@link ASPECT_PRESETS}. */
export type AspectPreset = keyof typeof ASPECT_PRESETS;

/** Resolution caps: the short side of the frame, in pixels. */
export const RESOLUTION_CAPS = { "720p": 720, "1080p": 1080, "2160p": 2160 } as const;

/** A key of {@link RESOLUTION_CAPS}. */
export type ResolutionCap = keyof typeof RESOLUTION_CAPS;

/**
 * The output size for a platform preset under a resolution cap: the short side equals the cap and
 * both sides are even (yuv420p needs even dimensions).
 *
 * @example outputSize("vertical", "1080p") // { width: 1080, height: 1920 }
 */
export function outputSize(
  preset: AspectPreset,
  cap: ResolutionCap | number,
): { width: number; height: number } {
  const aspect = ASPECT_PRESETS[preset];
  if (!aspect) {
    throw new LitinkError(
      "render.unknown_preset",
      `unknown format preset "${preset}": use one of ${Object.keys(ASPECT_PRESETS).join(", ")}`,
      {
        userFacing: true,
      },
    );
  }
  const shortSide = typeof cap === "number" ? cap : RESOLUTION_CAPS[cap];
  const even = (value: number): number => Math.max(2, Math.round(value / 2) * 2);
  if (aspect.aspectWidth >= aspect.aspectHeight) {
    return { width: even((shortSide * aspect.aspectWidth) / aspect.aspectHeight), height: even(shortSide) };
  }
  return { width: even(shortSide), height: even((shortSide * aspect.aspectHeight) / aspect.aspectWidth) };
}
