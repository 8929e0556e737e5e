import type { z } from "zod";
import {
  adaptChapterInputSchema,
  adaptScreenplayInputSchema,
  characterBibleInputSchema,
  characterBibleSchema,
  scriptSchema,
  TEXT_TASK_NAMES,
  type TextTaskName,
} from "../../script/index.ts";
import { ProviderError } from "../provider-error.ts";
import type { CallOptions, TextModel, TextRequest, TextResult } from "../types.ts";
import { LOCAL_PROVIDER_NAME, localUnsupported } from "./local-unsupported.ts";
import { adaptChapter, adaptScreenplay, buildCharacterBible } from "./screenwriter/index.ts";

/**
 * The local screenwriter as a text model. It has no language model: it performs the named tasks of
 * `TextRequest.task` ({@link TEXT_TASK_NAMES}) deterministically and returns their JSON, validated
 * against the request's `schema` when there is one. Any other request is `provider.unsupported`.
 */
export class LocalTextModel implements TextModel {
  readonly provider = LOCAL_PROVIDER_NAME;

  constructor(readonly modelId: string) {}

  /** Runs the request's task; `costMicros` is 0 and token counts are estimates (characters / 4). */
  async generate<T>(request: TextRequest<T>, options?: CallOptions): Promise<TextResult<T>> {
    options?.signal?.throwIfAborted();
    const task = request.task;
    if (!task) {
      throw localUnsupported(
        `the local provider has no language model and only performs named tasks (${TEXT_TASK_NAMES.join(", ")}): set TextRequest.task, or configure a remote text model (OPENROUTER_API_KEY)`,
        this.modelId,
      );
    }
    if (!isTaskName(task.name)) {
      throw localUnsupported(
        `the local provider does not know the task "${task.name}"; it performs only ${TEXT_TASK_NAMES.join(", ")}`,
        this.modelId,
      );
    }
    const output = this.#run(task.name, task.input);
    const text = JSON.stringify(output);
    let value: T;
    if (request.schema) {
      const checked = request.schema.safeParse(output);
      if (!checked.success) {
        throw new ProviderError(
          `the local ${task.name} output does not match the requested schema ${request.schemaName ?? ""}: ${checked.error.message}`,
          {
            provider: LOCAL_PROVIDER_NAME,
            modelId: this.modelId,
            kind: "invalid_response",
            cause: checked.error,
          },
        );
      }
      value = checked.data;
    } else {
      value = output as T;
    }
    const promptCharacters = request.messages.reduce((total, message) => total + message.content.length, 0);
    return {
      text,
      value,
      usage: {
        inputTokens: Math.ceil((promptCharacters + JSON.stringify(task.input ?? null).length) / 4),
        outputTokens: Math.ceil(text.length / 4),
      },
      modelId: this.modelId,
      costMicros: 0,
      finishReason: "stop",
    };
  }

  #run(name: TextTaskName, input: unknown): unknown {
    switch (name) {
      case "adapt_chapter":
        return scriptSchema.parse(adaptChapter(this.#input(name, adaptChapterInputSchema, input)));
      case "adapt_screenplay":
        return scriptSchema.parse(adaptScreenplay(this.#input(name, adaptScreenplayInputSchema, input)));
      case "character_bible":
        return characterBibleSchema.parse(
          buildCharacterBible(this.#input(name, characterBibleInputSchema, input)),
        );
    }
  }

  #input<S extends z.ZodType>(name: TextTaskName, schema: S, input: unknown): z.output<S> {
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "input";
    throw new ProviderError(`the ${name} task input is invalid at ${where}: ${issue?.message ?? "invalid"}`, {
      provider: LOCAL_PROVIDER_NAME,
      modelId: this.modelId,
      kind: "bad_request",
      cause: parsed.error,
    });
  }
}

function isTaskName(name: string): name is TextTaskName {
  return (TEXT_TASK_NAMES as readonly string[]).includes(name);
}
