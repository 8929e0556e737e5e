import type { DialoguePart, Scene, ScreenplayElement } from "../../document/index.ts";
import { parseCharacterCue, ScreenplayBuilder } from "../screenplay-builder.ts";
import { isSceneHeadingLine } from "./scene-heading.ts";

/** A parsed Fountain script before metadata is attached. */
export interface ParsedFountain {
  readonly titlePage: Array<{ key: string; value: string }>;
  readonly opening: ScreenplayElement[];
  readonly scenes: Scene[];
  readonly characters: string[];
}

/**
 * Parses Fountain (fountain.io): title page, scene headings (forced "."), characters (forced "@",
 * extensions, dual "^"), parentheticals, dialogue, transitions (forced ">"), centered ">…<", lyrics "~",
 * sections "#", synopses "=", page breaks "===", forced action "!"; notes [[…]] and boneyard /*…*\/ are
 * dropped, emphasis markers removed.
 */
export function parseFountain(raw: string, tick: () => void = () => {}): ParsedFountain {
  let text = raw.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n");
  text = text.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, "");
  // Notes may span lines inside a paragraph; a line holding only a note disappears.
  text = text.replace(/\[\[[\s\S]*?(?:\]\]|$)/g, "\u0000");
  const lines = text
    .split("\n")
    .filter((line) => line.replace(/\u0000/g, "").trim() !== "" || !line.includes("\u0000"))
    .map((line) => line.replace(/\u0000/g, ""));

  const titlePage: Array<{ key: string; value: string }> = [];
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === "") i++;
  if (/^[A-Za-z][A-Za-z ]*:/.test(lines[i] ?? "")) {
    while (i < lines.length && lines[i]!.trim() !== "") {
      tick();
      const match = /^([A-Za-z][A-Za-z ]*):\s*(.*)$/.exec(lines[i]!);
      if (match) titlePage.push({ key: match[1]!.trim(), value: match[2]!.trim() });
      else if (titlePage.length > 0) {
        const last = titlePage.at(-1)!;
        last.value = last.value ? `${last.value}\n${lines[i]!.trim()}` : lines[i]!.trim();
      }
      i++;
    }
  }

  const builder = new ScreenplayBuilder();
  const blank = (index: number) => index < 0 || index >= lines.length || lines[index]!.trim() === "";
  while (i < lines.length) {
    tick();
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === "") {
      i++;
      continue;
    }
    const afterBlank = blank(i - 1);
    // Page break.
    if (/^={3,}$/.test(trimmed)) {
      builder.add({ type: "page_break" });
      i++;
      continue;
    }
    // Section and synopsis.
    if (trimmed.startsWith("#")) {
      const depth = /^#+/.exec(trimmed)![0].length;
      builder.add({ type: "section", depth, text: clean(trimmed.slice(depth)) });
      i++;
      continue;
    }
    if (/^=(?!=)/.test(trimmed)) {
      builder.add({ type: "synopsis", text: clean(trimmed.slice(1)) });
      i++;
      continue;
    }
    // Forced scene heading or a standard one.
    if (
      afterBlank &&
      ((/^\.[^.]/.test(trimmed) && !trimmed.startsWith("..")) || isSceneHeadingLine(trimmed))
    ) {
      const forced = trimmed.startsWith(".") && !isSceneHeadingLine(trimmed);
      builder.startScene(clean(forced ? trimmed.slice(1) : trimmed), forced);
      i++;
      continue;
    }
    // Centered text and transitions.
    if (/^>.*<$/.test(trimmed)) {
      builder.add({ type: "centered", text: clean(trimmed.slice(1, -1)) });
      i++;
      continue;
    }
    if (trimmed.startsWith(">")) {
      builder.add({ type: "transition", text: clean(trimmed.slice(1)) });
      i++;
      continue;
    }
    if (afterBlank && blank(i + 1) && /^[^a-z]*TO:$/.test(trimmed) && /[A-Z]/.test(trimmed)) {
      builder.add({ type: "transition", text: clean(trimmed) });
      i++;
      continue;
    }
    // Lyrics.
    if (trimmed.startsWith("~")) {
      const lyric: string[] = [];
      while (i < lines.length && lines[i]!.trim().startsWith("~"))
        lyric.push(clean(lines[i++]!.trim().slice(1)));
      builder.add({ type: "lyrics", text: lyric.join("\n") });
      continue;
    }
    // Character cue followed by dialogue.
    if (afterBlank && !blank(i + 1) && isCharacterCue(trimmed)) {
      let cue = trimmed.startsWith("@") ? trimmed.slice(1) : trimmed;
      const dual = cue.endsWith("^");
      if (dual) cue = cue.slice(0, -1);
      const { character, extensions } = parseCharacterCue(clean(cue));
      const parts: DialoguePart[] = [];
      i++;
      while (i < lines.length && (lines[i]!.trim() !== "" || lines[i] === "  ")) {
        tick();
        const dialogueLine = lines[i]!.trim();
        if (/^\(.*\)$/.test(dialogueLine)) parts.push({ type: "parenthetical", text: clean(dialogueLine) });
        else {
          const previous = parts.at(-1);
          if (previous?.type === "line") previous.text = `${previous.text}\n${clean(dialogueLine)}`;
          else parts.push({ type: "line", text: clean(dialogueLine) });
        }
        i++;
      }
      if (dual) {
        const previous = builder.last();
        if (previous?.type === "dialogue") previous.dual = true;
      }
      builder.add({ type: "dialogue", character, extensions, parts, dual });
      continue;
    }
    // Action: the paragraph up to the next blank line ("!" forces action).
    const action: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== "") {
      const actionLine = lines[i]!;
      action.push(
        clean(
          actionLine.trim().startsWith("!") ? actionLine.trim().slice(1) : actionLine.replace(/\s+$/, ""),
        ),
      );
      i++;
      if (i < lines.length && lines[i]!.trim() !== "" && isForcedBoundary(lines[i]!.trim())) break;
    }
    builder.add({ type: "action", text: action.join("\n").trim() });
  }
  return { titlePage, ...builder.finish() };
}

/** An upper-case line (letters present, no lower case outside parentheses), or one forced with "@". */
function isCharacterCue(line: string): boolean {
  if (line.startsWith("@")) return line.length > 1;
  if (line.startsWith("!") || line.length > 60) return false;
  const outside = line.replace(/\([^)]*\)/g, "").replace(/\^$/, "");
  return (
    /\p{Lu}/u.test(outside) &&
    outside === outside.toUpperCase() &&
    !/^[\d\s\p{P}]+$/u.test(outside) &&
    /^[\p{L}\d@]/u.test(outside.trim())
  );
}

function isForcedBoundary(line: string): boolean {
  return /^(?:={3,}$|#|=[^=]|~)/.test(line);
}

/** Drops emphasis markers (*, **, ***, _) and escape backslashes. */
function clean(text: string): string {
  return text
    .replace(/\\([*_\\])/g, "\u0001$1")
    .replace(/\*{1,3}([^*\n]+?)\*{1,3}/g, "$1")
    .replace(/_([^_\n]+?)_/g, "$1")
    .replace(/\u0001/g, "")
    .trim();
}
