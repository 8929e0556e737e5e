import { fnv1a } from "../../../script/index.ts";
import type { Palette } from "./palette.ts";
import type { PromptReading } from "./read-prompt.ts";

/** What the SVG composer needs. */
export interface IllustrationSpec {
  readonly reading: PromptReading;
  readonly palette: Palette;
  readonly width: number;
  readonly height: number;
  /** Seeds the placement of stars, trees, windows, waves and figures. */
  readonly seed: number;
  /** "noir" (black and white) or "sepia"; anything else draws in colour. */
  readonly style?: string | undefined;
  /**
   * Set the key line in type on a band at the bottom. Off when the caller burns in its own captions
   * (a negative prompt that excludes text). @defaultValue true
   */
  readonly typography?: boolean | undefined;
}

/** The serif family set for typography; the local provider's fontconfig serves it from dejavu-fonts-ttf. */
export const ILLUSTRATION_FONT = "DejaVu Serif";

/**
 * Composes a scene illustration as SVG: a sky for the time of day (sun, low sun or moon and stars), shapes
 * for the setting (sea, forest, mountains, street, field, or a room with a window), silhouettes for the
 * characters present, a mood vignette, and the key line set in serif type on a band at the bottom.
 * Pure and deterministic: the same spec gives the same SVG text.
 */
export function composeIllustration(spec: IllustrationSpec): string {
  const { width: w, height: h, palette: p, reading } = spec;
  const random = mulberry32(spec.seed);
  const parts: string[] = [];
  const horizon =
    { sea: 0.58, forest: 0.62, mountain: 0.7, street: 0.74, field: 0.66, interior: 0.74 }[reading.setting] *
    h;

  const defs = [
    `<linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${p.skyTop}"/><stop offset="1" stop-color="${p.skyBottom}"/></linearGradient>`,
    `<radialGradient id="glow"><stop offset="0" stop-color="${p.light}" stop-opacity="0.9"/><stop offset="1" stop-color="${p.light}" stop-opacity="0"/></radialGradient>`,
    `<radialGradient id="vignette" cx="0.5" cy="0.45" r="0.75"><stop offset="0.55" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="${p.vignette}"/></radialGradient>`,
    `<linearGradient id="water" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${p.far}"/><stop offset="1" stop-color="${p.near}"/></linearGradient>`,
    `<linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${p.wall}"/><stop offset="1" stop-color="${p.ground}"/></linearGradient>`,
    styleFilter(spec.style),
  ];

  if (reading.setting === "interior") {
    parts.push(drawInterior(spec, random, horizon));
  } else {
    parts.push(`<rect width="${w}" height="${h}" fill="url(#sky)"/>`);
    parts.push(drawSkyLights(spec, random, 0, 0, w, horizon));
    parts.push(drawLandscape(spec, random, horizon));
  }
  parts.push(drawFigures(spec, random, horizon));
  parts.push(`<rect width="${w}" height="${h}" fill="url(#vignette)"/>`);
  if (spec.typography !== false) parts.push(drawKeyLine(spec));

  const filter = spec.style && styleFilter(spec.style) ? ` filter="url(#style)"` : "";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<defs>${defs.join("")}</defs>`,
    `<g${filter}>${parts.join("")}</g>`,
    "</svg>",
  ].join("");
}

type Random = () => number;

function drawSkyLights(
  spec: IllustrationSpec,
  random: Random,
  x: number,
  y: number,
  w: number,
  h: number,
): string {
  const { palette: p, reading } = spec;
  const size = Math.min(spec.width, spec.height);
  const out: string[] = [];
  const time = reading.timeOfDay;
  if (time === "night") {
    for (let star = 0; star < 70; star += 1) {
      const r = (0.6 + random() * 1.2) * (size / 720);
      out.push(circle(x + random() * w, y + random() * h * 0.9, r, p.light, 0.4 + random() * 0.6));
    }
    const mx = x + w * (0.6 + random() * 0.25);
    const my = y + h * 0.22;
    out.push(circle(mx, my, size * 0.16, "url(#glow)", 0.35));
    out.push(circle(mx, my, size * 0.05, p.light, 1));
  } else {
    const low = time === "dawn" || time === "dusk" || time === "evening";
    const sx = x + w * (0.2 + random() * 0.6);
    const sy = y + h * (low ? 0.82 : 0.25);
    out.push(circle(sx, sy, size * (low ? 0.3 : 0.2), "url(#glow)", 0.8));
    out.push(circle(sx, sy, size * (low ? 0.08 : 0.055), p.light, 0.95));
  }
  return out.join("");
}

function drawLandscape(spec: IllustrationSpec, random: Random, horizon: number): string {
  const { width: w, height: h, palette: p } = spec;
  const out: string[] = [];
  switch (spec.reading.setting) {
    case "sea": {
      out.push(`<rect y="${f(horizon)}" width="${w}" height="${f(h - horizon)}" fill="url(#water)"/>`);
      for (let wave = 0; wave < 18; wave += 1) {
        const y = horizon + (h - horizon) * (wave / 18) ** 1.3 + 4;
        const x = random() * w;
        const len = (0.05 + random() * 0.15) * w * (1 + wave / 10);
        out.push(
          `<path d="M${f(x)} ${f(y)} q${f(len / 2)} ${f(-4 - wave / 3)} ${f(len)} 0" stroke="${p.light}" stroke-opacity="${f(0.15 + random() * 0.3)}" stroke-width="${f(1 + wave / 8)}" fill="none"/>`,
        );
      }
      const bx = w * (0.15 + random() * 0.6);
      out.push(
        `<path d="M${f(bx)} ${f(horizon - 2)} l${f(w * 0.06)} 0 l${f(-w * 0.01)} ${f(h * 0.015)} l${f(-w * 0.04)} 0 z M${f(bx + w * 0.028)} ${f(horizon - 2)} l0 ${f(-h * 0.07)} l${f(w * 0.025)} ${f(h * 0.06)} z" fill="${p.near}"/>`,
      );
      break;
    }
    case "forest":
      out.push(hills(w, h, horizon - h * 0.05, p.far, random, 0.04));
      out.push(`<rect y="${f(horizon)}" width="${w}" height="${f(h - horizon)}" fill="${p.ground}"/>`);
      for (const [row, count, scale, colour] of [
        [0, 22, 0.12, p.far],
        [1, 14, 0.2, p.near],
        [2, 7, 0.34, p.near],
      ] as const) {
        for (let tree = 0; tree < count; tree += 1) {
          const x = (tree + random()) * (w / count);
          const base = horizon + row * h * 0.07;
          out.push(pine(x, base, h * scale * (0.8 + random() * 0.4), colour, row === 2 ? 0.95 : 0.85));
        }
      }
      break;
    case "mountain":
      out.push(ridge(w, horizon, h * 0.38, 7, p.far, random));
      out.push(ridge(w, horizon, h * 0.22, 11, p.near, random));
      out.push(`<rect y="${f(horizon)}" width="${w}" height="${f(h - horizon)}" fill="${p.ground}"/>`);
      break;
    case "street": {
      let x = 0;
      while (x < w) {
        const bw = w * (0.06 + random() * 0.1);
        const bh = h * (0.2 + random() * 0.4);
        out.push(
          `<rect x="${f(x)}" y="${f(horizon - bh)}" width="${f(bw + 1)}" height="${f(bh)}" fill="${random() < 0.5 ? p.far : p.near}"/>`,
        );
        const lit =
          spec.reading.timeOfDay === "night" ||
          spec.reading.timeOfDay === "evening" ||
          spec.reading.timeOfDay === "dusk";
        for (let wy = horizon - bh + h * 0.03; wy < horizon - h * 0.05; wy += h * 0.05) {
          for (let wx = x + bw * 0.15; wx < x + bw * 0.8; wx += bw * 0.28) {
            if (random() < (lit ? 0.55 : 0.25)) {
              out.push(
                `<rect x="${f(wx)}" y="${f(wy)}" width="${f(bw * 0.14)}" height="${f(h * 0.025)}" fill="${lit ? "#ffd98a" : p.skyBottom}" opacity="${lit ? 0.85 : 0.5}"/>`,
              );
            }
          }
        }
        x += bw;
      }
      out.push(`<rect y="${f(horizon)}" width="${w}" height="${f(h - horizon)}" fill="${p.ground}"/>`);
      out.push(
        `<path d="M${f(w * 0.45)} ${f(horizon)} L${f(w * 0.1)} ${h} M${f(w * 0.55)} ${f(horizon)} L${f(w * 0.9)} ${h}" stroke="${p.light}" stroke-opacity="0.25" stroke-width="${f(w / 400)}"/>`,
      );
      break;
    }
    case "field":
    case "interior":
      out.push(hills(w, h, horizon - h * 0.04, p.far, random, 0.05));
      out.push(hills(w, h, horizon + h * 0.04, p.near, random, 0.06));
      for (let tree = 0; tree < 3; tree += 1) {
        const x = w * (0.1 + random() * 0.8);
        const y = horizon + h * (0.02 + random() * 0.06);
        const r = h * (0.05 + random() * 0.05);
        out.push(
          `<rect x="${f(x - r * 0.08)}" y="${f(y - r * 0.4)}" width="${f(r * 0.16)}" height="${f(r * 1.2)}" fill="${p.near}"/>`,
        );
        out.push(circle(x, y - r, r, p.near, 0.95));
      }
      break;
  }
  return out.join("");
}

function drawInterior(spec: IllustrationSpec, random: Random, floor: number): string {
  const { width: w, height: h, palette: p } = spec;
  const out: string[] = [`<rect width="${w}" height="${h}" fill="url(#wall)"/>`];
  const wx = w * (0.1 + random() * 0.45);
  const ww = w * 0.28;
  const wy = h * 0.14;
  const wh = h * 0.4;
  out.push(
    `<clipPath id="pane"><rect x="${f(wx)}" y="${f(wy)}" width="${f(ww)}" height="${f(wh)}"/></clipPath>`,
  );
  out.push(
    `<g clip-path="url(#pane)"><rect x="${f(wx)}" y="${f(wy)}" width="${f(ww)}" height="${f(wh)}" fill="url(#sky)"/>`,
  );
  out.push(drawSkyLights(spec, random, wx, wy, ww, wh * 1.1));
  out.push("</g>");
  const frame = Math.max(2, w / 200);
  out.push(
    `<rect x="${f(wx)}" y="${f(wy)}" width="${f(ww)}" height="${f(wh)}" fill="none" stroke="${p.near}" stroke-width="${f(frame * 2)}"/>`,
  );
  out.push(
    `<path d="M${f(wx + ww / 2)} ${f(wy)} v${f(wh)} M${f(wx)} ${f(wy + wh / 2)} h${f(ww)}" stroke="${p.near}" stroke-width="${f(frame)}"/>`,
  );
  const dark =
    spec.reading.timeOfDay === "night" ||
    spec.reading.timeOfDay === "evening" ||
    spec.reading.timeOfDay === "dusk";
  if (dark) {
    const lx = w * (0.7 + random() * 0.2);
    out.push(circle(lx, h * 0.45, h * 0.35, "url(#glow)", 0.55));
    out.push(
      `<path d="M${f(lx - w * 0.03)} ${f(h * 0.42)} h${f(w * 0.06)} l${f(-w * 0.012)} ${f(-h * 0.06)} h${f(-w * 0.036)} z" fill="${p.accent}"/>`,
    );
  }
  out.push(`<rect y="${f(floor)}" width="${w}" height="${f(h - floor)}" fill="${p.ground}"/>`);
  out.push(
    `<rect y="${f(floor - h * 0.015)}" width="${w}" height="${f(h * 0.015)}" fill="${p.near}" opacity="0.7"/>`,
  );
  const tx = w * (0.55 + random() * 0.2);
  out.push(
    `<rect x="${f(tx)}" y="${f(floor - h * 0.16)}" width="${f(w * 0.2)}" height="${f(h * 0.025)}" fill="${p.near}"/>`,
  );
  out.push(
    `<rect x="${f(tx + w * 0.01)}" y="${f(floor - h * 0.14)}" width="${f(w * 0.012)}" height="${f(h * 0.16)}" fill="${p.near}"/>`,
  );
  out.push(
    `<rect x="${f(tx + w * 0.178)}" y="${f(floor - h * 0.14)}" width="${f(w * 0.012)}" height="${f(h * 0.16)}" fill="${p.near}"/>`,
  );
  return out.join("");
}

function drawFigures(spec: IllustrationSpec, random: Random, ground: number): string {
  const { width: w, height: h, palette: p } = spec;
  const figures = spec.reading.figures.slice(0, 4);
  return figures
    .map((name, index) => {
      const x = w * ((index + 0.5) / figures.length) * 0.6 + w * 0.2 + (random() - 0.5) * w * 0.05;
      const tall = h * (0.26 + (fnv1a(name) % 7) / 100);
      const head = tall * 0.11;
      const top = ground + h * 0.06 - tall;
      const shade = mixHex(p.near, `#${(fnv1a(name) & 0xffffff).toString(16).padStart(6, "0")}`, 0.25);
      return [
        circle(x, top + head, head, shade, 1),
        `<path d="M${f(x - tall * 0.16)} ${f(top + tall)} Q${f(x - tall * 0.14)} ${f(top + head * 2.2)} ${f(x)} ${f(top + head * 2.1)} Q${f(x + tall * 0.14)} ${f(top + head * 2.2)} ${f(x + tall * 0.16)} ${f(top + tall)} Z" fill="${shade}"/>`,
      ].join("");
    })
    .join("");
}

function drawKeyLine(spec: IllustrationSpec): string {
  const { width: w, height: h, palette: p } = spec;
  const line = spec.reading.keyLine;
  if (!line) return "";
  const fontSize = Math.max(10, Math.round(Math.min(h * 0.045, w * 0.04)));
  const perLine = Math.max(12, Math.floor((w * 0.88) / (fontSize * 0.55)));
  const lines = wrap(`“${line}”`, perLine, 3);
  const leading = fontSize * 1.3;
  const band = lines.length * leading + fontSize * 1.2;
  const text = lines
    .map(
      (row, index) =>
        `<text x="${f(w / 2)}" y="${f(h - band + fontSize * 0.6 + leading * (index + 0.8))}" font-family="${ILLUSTRATION_FONT}" font-size="${fontSize}" fill="${p.text}" text-anchor="middle">${escapeXml(row)}</text>`,
    )
    .join("");
  return `<rect y="${f(h - band)}" width="${w}" height="${f(band)}" fill="#000" opacity="0.45"/>${text}`;
}

function wrap(text: string, perLine: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/)) {
    if (current && current.length + 1 + word.length > perLine) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${kept[maxLines - 1]!.replace(/[\s,;:.]*$/, "")}…”`;
  return kept;
}

function hills(w: number, h: number, y: number, colour: string, random: Random, amplitude: number): string {
  const a = h * amplitude;
  return `<path d="M0 ${f(y)} C${f(w * 0.25)} ${f(y - a * (1 + random()))} ${f(w * 0.45)} ${f(y + a * random())} ${f(w * 0.65)} ${f(y - a * random())} S${f(w * 0.9)} ${f(y - a * random())} ${w} ${f(y)} V${h} H0 Z" fill="${colour}"/>`;
}

function ridge(
  w: number,
  base: number,
  height: number,
  peaks: number,
  colour: string,
  random: Random,
): string {
  const points = [`0,${f(base)}`];
  for (let peak = 0; peak <= peaks; peak += 1) {
    const x = (peak / peaks) * w;
    points.push(`${f(x)},${f(base - height * (0.4 + random() * 0.6) * (peak % 2 === 0 ? 1 : 0.55))}`);
  }
  points.push(`${w},${f(base)}`);
  return `<polygon points="${points.join(" ")}" fill="${colour}"/>`;
}

function pine(x: number, base: number, height: number, colour: string, opacity: number): string {
  const half = height * 0.22;
  return `<path d="M${f(x)} ${f(base - height)} L${f(x + half)} ${f(base)} L${f(x - half)} ${f(base)} Z" fill="${colour}" opacity="${opacity}"/>`;
}

function circle(x: number, y: number, r: number, fill: string, opacity: number): string {
  return `<circle cx="${f(x)}" cy="${f(y)}" r="${f(r)}" fill="${fill}" opacity="${f(opacity)}"/>`;
}

function styleFilter(style: string | undefined): string {
  const name = style?.toLowerCase();
  if (name === "noir") {
    return `<filter id="style"><feColorMatrix type="saturate" values="0"/></filter>`;
  }
  if (name === "sepia") {
    return `<filter id="style"><feColorMatrix type="matrix" values="0.393 0.769 0.189 0 0 0.349 0.686 0.168 0 0 0.272 0.534 0.131 0 0 0 0 0 1 0"/></filter>`;
  }
  return "";
}

function mixHex(a: string, b: string, amount: number): string {
  const parse = (hex: string): number[] => [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));
  const [x, y] = [parse(a), parse(b)];
  return `#${x
    .map((value, index) =>
      Math.round(value * (1 - amount) + y[index]! * amount)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

/** A small seeded PRNG (mulberry32): the same seed draws the same picture. */
function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Numbers in SVG with two decimals at most, so the text (and the picture) is stable. */
function f(value: number): string {
  return String(Math.round(value * 100) / 100);
}
