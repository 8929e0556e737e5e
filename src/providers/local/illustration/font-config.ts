import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

const require = createRequire(import.meta.url);

/**
 * Points fontconfig (used by librsvg inside sharp to lay out SVG text) at the DejaVu fonts of the npm
 * package `dejavu-fonts-ttf`, so type renders the same on every machine, with or without system fonts.
 * fontconfig reads `FONTCONFIG_FILE` once, when the first text is rendered, so this runs before sharp is
 * loaded, writes a fonts.conf under the temp directory and sets the variable for this process. An
 * already-set `FONTCONFIG_FILE` is left alone (the operator's choice wins). Returns the file in use.
 */
export function useBundledFonts(): string | undefined {
  if (process.env.FONTCONFIG_FILE) return process.env.FONTCONFIG_FILE;
  let fontDirectory: string;
  try {
    fontDirectory = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
  } catch {
    return undefined; // No bundled fonts: fontconfig falls back to the system's.
  }
  // Per user: another user's directory in a shared /tmp is not ours to write.
  const directory = path.join(tmpdir(), `litink-fontconfig-${process.getuid?.() ?? "user"}`);
  const file = path.join(directory, "fonts.conf");
  try {
    mkdirSync(path.join(directory, "cache"), { recursive: true });
    // Written aside and renamed into place: other processes may be reading the same file right now.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(
      temporary,
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        "<fontconfig>",
        `  <dir>${escapeXml(fontDirectory)}</dir>`,
        `  <cachedir>${escapeXml(path.join(directory, "cache"))}</cachedir>`,
        "</fontconfig>",
        "",
      ].join("\n"),
    );
    renameSync(temporary, file);
  } catch {
    return undefined; // Cannot write a config: fontconfig falls back to the system's.
  }
  process.env.FONTCONFIG_FILE = file;
  return file;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
