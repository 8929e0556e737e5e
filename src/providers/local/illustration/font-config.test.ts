import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ILLUSTRATION_FONT } from "./compose-illustration.ts";
import { useBundledFonts } from "./font-config.ts";

async function renderText(text: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60"><rect width="400" height="60" fill="#000"/><text x="10" y="40" font-family="${ILLUSTRATION_FONT}" font-size="28" fill="#fff">${text}</text></svg>`;
  return sharp(Buffer.from(svg)).greyscale().raw().toBuffer();
}

describe("bundled fonts for SVG text", () => {
  it("points fontconfig at a fonts.conf, and librsvg draws real glyphs rather than missing-glyph boxes", async () => {
    const file = useBundledFonts();
    expect(file).toBeDefined();
    expect(process.env.FONTCONFIG_FILE).toBe(file);
    // Without a font every character is the same box, so equal-length strings render identically.
    const narrow = await renderText("iiiiiiii");
    const wide = await renderText("WWWWWWWW");
    expect(narrow.equals(wide)).toBe(false);
    const ink = (pixels: Buffer): number => pixels.reduce((total, value) => total + value, 0);
    expect(ink(wide)).toBeGreaterThan(ink(narrow) * 1.5);
  });
});
