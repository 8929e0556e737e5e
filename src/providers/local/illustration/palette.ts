import type { Mood, TimeOfDay } from "../../../script/index.ts";

/** The colours of one illustration. */
export interface Palette {
  readonly skyTop: string;
  readonly skyBottom: string;
  readonly light: string;
  readonly far: string;
  readonly near: string;
  readonly ground: string;
  readonly wall: string;
  readonly accent: string;
  readonly text: string;
  /** Strength of the dark vignette, 0–1. */
  readonly vignette: number;
}

type Rgb = readonly [number, number, number];

const SKIES: Readonly<Record<TimeOfDay, { top: Rgb; bottom: Rgb; light: Rgb }>> = {
  dawn: { top: [70, 90, 150], bottom: [245, 180, 150], light: [255, 214, 160] },
  morning: { top: [110, 165, 225], bottom: [220, 235, 245], light: [255, 244, 200] },
  day: { top: [80, 150, 230], bottom: [200, 225, 250], light: [255, 250, 220] },
  afternoon: { top: [95, 150, 215], bottom: [240, 220, 180], light: [255, 230, 170] },
  evening: { top: [45, 55, 110], bottom: [230, 140, 90], light: [255, 190, 110] },
  dusk: { top: [40, 40, 90], bottom: [200, 100, 100], light: [255, 160, 110] },
  night: { top: [8, 12, 35], bottom: [30, 40, 80], light: [235, 235, 210] },
  unknown: { top: [100, 140, 190], bottom: [210, 220, 230], light: [250, 245, 220] },
};

/** How a mood bends the colours: saturation, brightness, a tint and the vignette. */
const MOODS: Readonly<Record<Mood, { saturation: number; brightness: number; tint: Rgb; vignette: number }>> =
  {
    neutral: { saturation: 1, brightness: 1, tint: [0, 0, 0], vignette: 0.35 },
    calm: { saturation: 0.8, brightness: 1.05, tint: [0, 10, 20], vignette: 0.25 },
    tender: { saturation: 0.9, brightness: 1.05, tint: [30, 5, 10], vignette: 0.3 },
    joyful: { saturation: 1.2, brightness: 1.1, tint: [25, 20, 0], vignette: 0.2 },
    tense: { saturation: 0.9, brightness: 0.85, tint: [25, 0, 0], vignette: 0.55 },
    somber: { saturation: 0.45, brightness: 0.8, tint: [0, 5, 20], vignette: 0.55 },
    mysterious: { saturation: 0.7, brightness: 0.75, tint: [10, 0, 35], vignette: 0.65 },
    dramatic: { saturation: 1.15, brightness: 0.85, tint: [35, 5, 0], vignette: 0.6 },
  };

/** The palette of a scene: the sky of its time of day, bent by its mood. */
export function paletteFor(time: TimeOfDay, mood: Mood): Palette {
  const sky = SKIES[time];
  const bend = MOODS[mood];
  const tone = (rgb: Rgb, darken = 1): string =>
    hex(adjust(rgb, bend.saturation, bend.brightness * darken, bend.tint));
  const isDark = time === "night" || time === "dusk" || time === "evening";
  return {
    skyTop: tone(sky.top),
    skyBottom: tone(sky.bottom),
    light: tone(sky.light),
    far: tone(mix(sky.top, [90, 100, 110], 0.5), isDark ? 0.55 : 0.8),
    near: tone(mix(sky.top, [40, 60, 40], 0.7), isDark ? 0.4 : 0.6),
    ground: tone(mix(sky.bottom, [90, 80, 60], 0.7), isDark ? 0.45 : 0.75),
    wall: tone(mix(sky.bottom, [150, 120, 95], 0.75), isDark ? 0.55 : 0.9),
    accent: tone(mix(sky.light, [200, 80, 60], 0.45)),
    text: "#fdfaf2",
    vignette: bend.vignette,
  };
}

function mix(a: Rgb, b: Rgb, amount: number): Rgb {
  return [0, 1, 2].map((index) => a[index]! * (1 - amount) + b[index]! * amount) as unknown as Rgb;
}

function adjust(rgb: Rgb, saturation: number, brightness: number, tint: Rgb): Rgb {
  const gray = (rgb[0] + rgb[1] + rgb[2]) / 3;
  return [0, 1, 2].map(
    (index) => (gray + (rgb[index]! - gray) * saturation) * brightness + tint[index]!,
  ) as unknown as Rgb;
}

function hex(rgb: Rgb): string {
  return `#${rgb
    .map((value) =>
      Math.round(Math.min(255, Math.max(0, value)))
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}
