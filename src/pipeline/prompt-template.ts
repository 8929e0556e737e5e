import { readFileSync } from "node:fs";
import { LitinkError } from "../errors/index.ts";
import type { ChatMessage } from "../providers/index.ts";
import { sha256Hex } from "./input-key.ts";

/** A prompt template file of `src/pipeline/prompts/`: a system part and a user part with `{{name}}` slots. */
export interface PromptTemplate {
  readonly id: string;
  /** Hash of the file's text: part of every cache key the prompt feeds, so editing a prompt re-runs it. */
  readonly version: string;
  readonly system: string;
  readonly user: string;
}

const cache = new Map<string, PromptTemplate>();

/** Loads `prompts/<id>.md` (sections `<!-- system -->` and `<!-- user -->`). */
export function loadPrompt(id: string): PromptTemplate {
  const cached = cache.get(id);
  if (cached) return cached;
  const text = readFileSync(new URL(`./prompts/${id}.md`, import.meta.url), "utf8");
  const match = /<!-- system -->\s*([\s\S]*?)<!-- user -->\s*([\s\S]*)$/.exec(text);
  if (!match) {
    throw new LitinkError(
      "pipeline.bad_prompt",
      `prompts/${id}.md needs a <!-- system --> and a <!-- user --> part`,
    );
  }
  const template: PromptTemplate = {
    id,
    version: sha256Hex(text).slice(0, 16),
    system: (match[1] ?? "").trim(),
    user: (match[2] ?? "").trim(),
  };
  cache.set(id, template);
  return template;
}

/** Fills a template's slots; a slot without a value is an error, never left in the prompt. */
export function renderPrompt(
  template: PromptTemplate,
  values: Record<string, string | number>,
): ChatMessage[] {
  const fill = (text: string): string =>
    text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) {
        throw new LitinkError("pipeline.bad_prompt", `prompt ${template.id} has no value for {{${name}}}`);
      }
      return String(value);
    });
  return [
    { role: "system", content: fill(template.system) },
    { role: "user", content: fill(template.user) },
  ];
}
