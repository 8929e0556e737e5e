import { buildMetadata } from "../document/build-document.ts";
import { type DialoguePart, DOCUMENT_MODEL_VERSION, type ScreenplayDocument } from "../document/index.ts";
import { IngestError } from "../ingest-error.ts";
import { baseName, type SourceFile } from "../source-file.ts";
import { childElements, findElement, type MarkupElement, parseMarkup } from "../xml/parse-markup.ts";
import { parseCharacterCue, ScreenplayBuilder } from "./screenplay-builder.ts";

/**
 * Reads a Final Draft .fdx screenplay: `<Paragraph Type="…">` elements of the main `<Content>`
 * (Scene Heading, Action, Character, Dialogue, Parenthetical, Transition, Shot, General), dual dialogue
 * from `<DualDialogue>`, title page text from `<TitlePage>`.
 */
export function readFdx(source: SourceFile, text: string): ScreenplayDocument {
  const root = parseMarkup(text, source.fileName, source.deadline);
  const finalDraft = findElement(root, (e) => e.local === "finaldraft");
  const content = finalDraft ? childElements(finalDraft, "content")[0] : undefined;
  if (!finalDraft || !content) {
    throw new IngestError(
      "ingest.xml_malformed",
      source.fileName,
      "this is not a Final Draft file (no <FinalDraft><Content>); export it again from Final Draft",
    );
  }
  const builder = new ScreenplayBuilder();
  let dialogue: { character: string; extensions: string[]; parts: DialoguePart[]; dual: boolean } | null =
    null;
  const flush = () => {
    if (dialogue) builder.add({ type: "dialogue", ...dialogue });
    dialogue = null;
  };
  const visit = (paragraph: MarkupElement, dual: boolean) => {
    source.deadline.tick();
    const type = (paragraph.attributes.Type ?? paragraph.attributes.type ?? "").toLowerCase();
    const value = paragraphText(paragraph);
    if (type !== "dialogue" && type !== "parenthetical") flush();
    if (!value && type !== "character") return;
    switch (type) {
      case "scene heading":
        builder.startScene(value, false);
        break;
      case "character": {
        const cue = parseCharacterCue(value.replace(/\^$/, ""));
        dialogue = { ...cue, parts: [], dual };
        break;
      }
      case "dialogue":
      case "parenthetical": {
        const partType = type === "dialogue" ? "line" : "parenthetical";
        if (!dialogue) dialogue = { character: "", extensions: [], parts: [], dual };
        const last = dialogue.parts.at(-1);
        if (partType === "line" && last?.type === "line") last.text = `${last.text}\n${value}`;
        else dialogue.parts.push({ type: partType, text: value });
        break;
      }
      case "transition":
        builder.add({ type: "transition", text: value });
        break;
      default:
        builder.add({ type: "action", text: value });
    }
  };
  for (const child of childElements(content)) {
    if (child.local === "paragraph") {
      const dual = findElement(child, (e) => e.local === "dualdialogue");
      if (dual) {
        flush();
        for (const inner of childElements(dual, "paragraph")) visit(inner, true);
        flush();
      } else visit(child, false);
    } else if (child.local === "dualdialogue") {
      flush();
      for (const inner of childElements(child, "paragraph")) visit(inner, true);
      flush();
    }
  }
  flush();
  const titleContent = childElements(finalDraft, "titlepage")[0];
  const titleLines = titleContent
    ? childElements(childElements(titleContent, "content")[0] ?? titleContent, "paragraph")
        .map(paragraphText)
        .filter(Boolean)
    : [];
  const { opening, scenes, characters } = builder.finish();
  if (scenes.length === 0 && opening.length === 0) {
    throw new IngestError(
      "ingest.no_text",
      source.fileName,
      "the Final Draft file has no paragraphs; check that it is the script",
    );
  }
  const byIndex = titleLines.findIndex((line) => /^(?:written )?by$/i.test(line));
  const author = byIndex >= 0 ? (titleLines[byIndex + 1] ?? null) : null;
  return {
    version: DOCUMENT_MODEL_VERSION,
    kind: "screenplay",
    metadata: buildMetadata(source, "fdx", {
      title: titleLines[0] ?? baseName(source.fileName),
      author,
      language: null,
    }),
    titlePage: titleLines.map((line, index) => ({
      key: index === 0 ? "Title" : `Line ${index + 1}`,
      value: line,
    })),
    opening,
    scenes,
    characters,
  };
}

/** The text of a paragraph: its `<Text>` runs joined, white space collapsed. */
function paragraphText(paragraph: MarkupElement): string {
  const runs = childElements(paragraph, "text");
  const raw = (element: MarkupElement): string =>
    element.children.map((child) => (child.type === "text" ? child.text : raw(child))).join("");
  return runs.map(raw).join("").replace(/\s+/g, " ").trim();
}
