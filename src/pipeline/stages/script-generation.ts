import { type BookDocument, type Chapter, chunkChapter, type Document } from "../../ingest/index.ts";
import {
  type CharacterBible,
  characterBibleSchema,
  SCRIPT_SCHEMA_VERSION,
  type Script,
  scriptSchema,
} from "../../script/index.ts";
import { jsonAsset } from "../asset-cache.ts";
import type { RunContext } from "../pipeline-types.ts";
import { loadPrompt, renderPrompt } from "../prompt-template.ts";
import { routedAsset } from "../routed-asset.ts";
import { screenplayToScript } from "../screenplay-script.ts";

/** Token budget of one passage sent for adaptation. */
const PASSAGE_TOKENS = 2_500;

/** What script generation hands to scene breakdown. */
export interface ScriptStageResult {
  readonly title: string;
  /** One script per passage (books) or one for the whole screenplay, in reading order. */
  readonly scripts: readonly { readonly chapter: Chapter | undefined; readonly script: Script }[];
  readonly bible: CharacterBible;
}

/**
 * `script_generation`: adapts each passage of the chosen chapters into a script through the router
 * (the tier's script chain, with the `adapt_chapter` task for the offline screenwriter), then builds the
 * book's character bible once. Screenplays skip adaptation. Every result is cached by its inputs.
 */
export async function runScriptGeneration(
  context: RunContext,
  document: Document,
  chapters: readonly Chapter[],
): Promise<ScriptStageResult> {
  const title = document.metadata.title || document.metadata.fileName;
  if (document.kind === "screenplay") {
    const script = screenplayToScript(document);
    context.emit({
      stage: "script_generation",
      status: "skipped",
      message: "screenplay: no adaptation needed",
    });
    const bible = await buildBible(context, title, [script]);
    return { title, scripts: [{ chapter: undefined, script }], bible };
  }
  const scripts = await adaptChapters(context, document, chapters);
  const bible = await buildBible(
    context,
    title,
    scripts.map((entry) => entry.script),
  );
  return { title, scripts, bible };
}

async function adaptChapters(
  context: RunContext,
  document: BookDocument,
  chapters: readonly Chapter[],
): Promise<{ chapter: Chapter; script: Script }[]> {
  const template = loadPrompt("adapt-chapter");
  const work = chapters.flatMap((chapter) =>
    chunkChapter(chapter, { maxTokens: PASSAGE_TOKENS }).map((passage) => ({ chapter, passage })),
  );
  const bookTitle = document.metadata.title || document.metadata.fileName;
  const results: { chapter: Chapter; script: Script }[] = [];
  let done = 0;
  context.emit({ stage: "script_generation", status: "progress", done, total: work.length });
  // Passages are adapted independently (no chaining of earlier output), so editing one passage
  // re-adapts only that passage; names are unified afterwards by the character bible.
  for (const { chapter, passage } of work) {
    const paragraphs = passage.text.split(/\n{2,}/).filter((paragraph) => paragraph.trim().length > 0);
    const input = {
      title: chapter.title,
      ordinal: chapter.ordinal,
      paragraphs,
      firstSceneOrdinal: 1,
      firstParagraph: passage.paragraphStart,
    };
    const { asset } = await routedAsset(context, {
      stage: "script_generation",
      capability: "script",
      kind: "script",
      inputs: { task: "adapt_chapter", input, bookTitle, template: template.version },
      request: {
        messages: renderPrompt(template, {
          bookTitle,
          title: chapter.title,
          ordinal: chapter.ordinal,
          firstSceneOrdinal: 1,
          firstParagraph: passage.paragraphStart,
          knownCharacters: "none yet",
          text: passage.text,
        }),
        schema: scriptSchema,
        schemaName: "script",
        temperature: 0.3,
        task: { name: "adapt_chapter", input },
      },
      toAsset: (result) => ({
        data: jsonAsset(scriptSchema.parse(result.value)),
        contentType: "application/json",
      }),
    });
    results.push({ chapter, script: scriptSchema.parse(await context.cache.readJson(asset)) });
    done += 1;
    context.emit({ stage: "script_generation", status: "progress", done, total: work.length });
  }
  return results;
}

async function buildBible(
  context: RunContext,
  title: string,
  scripts: readonly Script[],
): Promise<CharacterBible> {
  const names = [
    ...new Set(scripts.flatMap((script) => script.characters.map((character) => character.name))),
  ];
  if (names.length === 0) return { version: SCRIPT_SCHEMA_VERSION, characters: [] };
  const template = loadPrompt("character-bible");
  const input = { title, scripts: scripts.map((script) => scriptSchema.parse(script)) };
  const abridged = scripts
    .flatMap((script) => script.scenes)
    .slice(0, 40)
    .map((scene) => `- ${scene.location}: ${scene.visualDescription}`)
    .join("\n");
  const { asset } = await routedAsset(context, {
    stage: "script_generation",
    capability: "script",
    kind: "character-bible",
    // The bible is the book's cast: keyed by the book and the names in it, not by every word of the
    // scripts, so an edit to the prose does not recast the characters (and redraw every scene they are in).
    inputs: { task: "character_bible", title, names: [...names].sort(), template: template.version },
    request: {
      messages: renderPrompt(template, { bookTitle: title, characters: names.join(", "), scenes: abridged }),
      schema: characterBibleSchema,
      schemaName: "character_bible",
      temperature: 0.2,
      task: { name: "character_bible", input },
    },
    toAsset: (result) => ({
      data: jsonAsset(characterBibleSchema.parse(result.value)),
      contentType: "application/json",
    }),
  });
  return characterBibleSchema.parse(await context.cache.readJson(asset));
}
