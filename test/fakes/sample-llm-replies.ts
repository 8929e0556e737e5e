import { readFile } from "node:fs/promises";
import { createLocal } from "../../src/providers/local/index.ts";
import { characterBibleSchema, scriptSchema } from "../../src/script/index.ts";

/**
 * What an LLM would answer for "The Gift of the Magi" (`sample`): the offline screenwriter's script and
 * character bible, as JSON, for the OpenRouter fake to reply with.
 */
export async function sampleLlmReplies(sample: string): Promise<string[]> {
  const text = await readFile(sample, "utf8");
  const paragraphs = text
    .split(/\n{2,}/)
    .slice(2)
    .map((p) => p.replace(/\s+/g, " ").trim());
  const writer = createLocal().model("script", "local");
  const script = await writer.generate({
    messages: [],
    schema: scriptSchema,
    task: { name: "adapt_chapter", input: { title: "The Gift of the Magi", ordinal: 1, paragraphs } },
  });
  const bible = await writer.generate({
    messages: [],
    schema: characterBibleSchema,
    task: { name: "character_bible", input: { title: "The Gift of the Magi", scripts: [script.value] } },
  });
  return [JSON.stringify(script.value), JSON.stringify(bible.value)];
}
