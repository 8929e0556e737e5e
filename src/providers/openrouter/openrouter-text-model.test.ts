import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createOpenRouterFake, type OpenRouterFake } from "../../../test/fakes/openrouter-fake.ts";
import { isProviderError, type ProviderError } from "../provider-error.ts";
import { createOpenRouter, type OpenRouterProvider } from "./openrouter-provider.ts";

let fake: OpenRouterFake;
let openrouter: OpenRouterProvider;
const messages = [{ role: "user" as const, content: "Write one line about a lighthouse." }];

beforeAll(async () => {
  fake = await createOpenRouterFake();
  openrouter = createOpenRouter({ apiKey: fake.apiKey, baseURL: fake.baseURL });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.server.resetFaultsAndCalls();
  fake.charges.length = 0;
});

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

describe("OpenRouter text model against the fake", () => {
  it("generates text with usage, the reported cost and the answering model", async () => {
    const result = await openrouter
      .model("script", "openai/gpt-4o-mini")
      .generate({ messages, temperature: 0.2 });
    expect(result.text).toContain("lighthouse");
    expect(result.modelId).toBe("openai/gpt-4o-mini");
    expect(result.usage.inputTokens).toBe(fake.charges[0]!.promptTokens);
    expect(result.usage.outputTokens).toBe(fake.charges[0]!.completionTokens);
    expect(result.costMicros).toBe(fake.charges[0]!.costMicros);
    expect(result.costMicros).toBeGreaterThan(0);
    const sent = fake.server.requests[0]!;
    expect(sent.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(sent.json).toMatchObject({
      model: "openai/gpt-4o-mini",
      temperature: 0.2,
      usage: { include: true },
    });
  });

  it("returns validated JSON for a schema, sending response_format json_schema", async () => {
    const schema = z.object({
      title: z.string(),
      scenes: z.array(z.object({ heading: z.string(), beats: z.number() })),
    });
    const result = await openrouter
      .model("script", "deepseek/deepseek-chat")
      .generate({ messages, schema, schemaName: "script outline" });
    expect(result.value?.scenes.length).toBeGreaterThan(0);
    expect(fake.server.requests[0]!.json).toMatchObject({
      response_format: { type: "json_schema", json_schema: { name: "script_outline" } },
    });
    expect(fake.server.calls("chat")).toBe(1);
  });

  it("repairs invalid JSON once, summing both calls' tokens and cost", async () => {
    fake.queueReplies('{"title": 3}', '```json\n{"title": "The Keeper"}\n```');
    const schema = z.object({ title: z.string() });
    const result = await openrouter.model("script", "openai/gpt-4o-mini").generate({ messages, schema });
    expect(result.value).toEqual({ title: "The Keeper" });
    expect(fake.server.calls("chat")).toBe(2);
    const repair = fake.server.requests[1]!.json as { messages: { role: string; content: string }[] };
    expect(repair.messages.at(-2)).toEqual({ role: "assistant", content: '{"title": 3}' });
    expect(repair.messages.at(-1)!.content).toContain("title");
    expect(result.costMicros).toBe(fake.totalChargedMicros());
    expect(result.usage.inputTokens).toBe(fake.charges[0]!.promptTokens + fake.charges[1]!.promptTokens);
  });

  it("gives up after one repair with invalid_response", async () => {
    fake.queueReplies("not json", "still not json");
    const error = await failure(
      openrouter
        .model("script", "openai/gpt-4o-mini")
        .generate({ messages, schema: z.object({ a: z.string() }) }),
    );
    expect(error.kind).toBe("invalid_response");
    expect(error.retryable).toBe(false);
    expect(fake.server.calls("chat")).toBe(2);
    // Both completions were billed: the error says so, for the ledger.
    expect(error.incurredCostMicros).toBe(fake.totalChargedMicros());
    expect(error.incurredCostMicros).toBeGreaterThan(0);
  });

  it("carries the first completion's cost when the repair request itself fails", async () => {
    fake.queueReplies("not json");
    fake.server.fail("chat", { kind: "reset" }, 1, 1); // the repair request, not the first
    const model = openrouter.model("script", "openai/gpt-4o-mini");
    const error = await failure(model.generate({ messages, schema: z.object({ a: z.string() }) }));
    expect(error.kind).toBe("network");
    expect(fake.charges).toHaveLength(1);
    expect(error.incurredCostMicros).toBe(fake.charges[0]!.costMicros);
  });

  it("walks the models fallback list and reports the model that answered", async () => {
    fake.failModel("anthropic/claude-3-haiku", { kind: "error", status: 503 });
    const model = openrouter.textModel("anthropic/claude-3-haiku", {
      fallbackModels: ["openai/gpt-3.5-turbo"],
      providerPreferences: { sort: "price", data_collection: "deny" },
    });
    const result = await model.generate({ messages });
    expect(result.modelId).toBe("openai/gpt-3.5-turbo");
    expect(fake.server.requests[0]!.json).toMatchObject({
      models: ["anthropic/claude-3-haiku", "openai/gpt-3.5-turbo"],
      provider: { sort: "price", data_collection: "deny" },
    });
    expect(fake.server.calls("chat")).toBe(1);
    expect(fake.charges.map((charge) => charge.model)).toEqual(["openai/gpt-3.5-turbo"]);
    expect(result.costMicros).toBe(fake.charges[0]!.costMicros);
  });

  it("fails with the last error when every model of the list fails", async () => {
    fake.failModel("anthropic/claude-3-haiku", { kind: "error", status: 503 });
    fake.failModel("openai/gpt-3.5-turbo", { kind: "error", status: 402 });
    const model = openrouter.textModel("anthropic/claude-3-haiku", {
      fallbackModels: ["openai/gpt-3.5-turbo"],
    });
    const error = await failure(model.generate({ messages }));
    expect([error.kind, error.retryable]).toEqual(["no_credits", false]);
    expect(fake.charges).toHaveLength(0);
  });

  const errorCases = [
    { status: 400, kind: "bad_request", retryable: false },
    { status: 401, kind: "auth", retryable: false },
    { status: 402, kind: "no_credits", retryable: false },
    { status: 403, kind: "moderation", retryable: false },
    { status: 404, kind: "not_found", retryable: false },
    { status: 408, kind: "timeout", retryable: true },
    { status: 413, kind: "too_large", retryable: false },
    { status: 500, kind: "server", retryable: true },
    { status: 502, kind: "server", retryable: true },
    { status: 503, kind: "server", retryable: true },
  ] as const;
  it.each(errorCases)(
    "maps HTTP $status to $kind (retryable: $retryable)",
    async ({ status, kind, retryable }) => {
      fake.server.fail("chat", { kind: "error", status });
      const error = await failure(openrouter.model("script", "openai/gpt-4o-mini").generate({ messages }));
      expect(error.kind).toBe(kind);
      expect(error.status).toBe(status);
      expect(error.retryable).toBe(retryable);
      expect(error.code).toBe(`provider.${kind}`);
      expect(fake.charges).toHaveLength(0);
    },
  );

  it("maps 429 to rate_limited with Retry-After in milliseconds", async () => {
    fake.server.fail("chat", { kind: "error", status: 429, retryAfterSeconds: 7 });
    const error = await failure(openrouter.model("script", "openai/gpt-4o-mini").generate({ messages }));
    expect(error.kind).toBe("rate_limited");
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(7000);
  });

  it("maps an error inside a 200 choice by its error_type", async () => {
    fake.server.fail("chat", { kind: "error", status: 429, code: "rate_limit_exceeded", inBody: true });
    const error = await failure(openrouter.model("script", "openai/gpt-4o-mini").generate({ messages }));
    expect(error.kind).toBe("rate_limited");
    expect(error.providerCode).toBe("rate_limit_exceeded");
  });

  it("rejects a wrong key with auth", async () => {
    const wrong = createOpenRouter({ apiKey: "sk-or-v1-wrong", baseURL: fake.baseURL });
    const error = await failure(wrong.model("script", "openai/gpt-4o-mini").generate({ messages }));
    expect(error.kind).toBe("auth");
  });

  it("treats an unknown model id as bad_request", async () => {
    const error = await failure(openrouter.model("script", "acme/retired-1").generate({ messages }));
    expect(error.kind).toBe("bad_request");
    expect(error.message).toContain("acme/retired-1 is not a valid model ID");
  });

  it("classifies malformed JSON, HTML pages and truncated bodies", async () => {
    const model = openrouter.model("script", "openai/gpt-4o-mini");
    fake.server.fail("chat", { kind: "malformed-json" });
    expect((await failure(model.generate({ messages }))).kind).toBe("invalid_response");
    fake.server.fail("chat", { kind: "wrong-content-type" });
    expect((await failure(model.generate({ messages }))).kind).toBe("invalid_response");
    fake.server.fail("chat", { kind: "truncated-json" });
    const truncated = await failure(model.generate({ messages }));
    expect(truncated.kind).toBe("network");
    expect(truncated.retryable).toBe(true);
    fake.server.fail("chat", { kind: "reset" });
    expect((await failure(model.generate({ messages }))).kind).toBe("network");
  });

  it("turns a hung request into a timeout when the signal times out", async () => {
    fake.server.fail("chat", { kind: "hang" });
    const error = await failure(
      openrouter
        .model("script", "openai/gpt-4o-mini")
        .generate({ messages }, { signal: AbortSignal.timeout(150) }),
    );
    expect(error.kind).toBe("timeout");
    expect(error.retryable).toBe(true);
  });

  it("times out a slow body, and reads it whole when given time", async () => {
    const model = openrouter.model("script", "openai/gpt-4o-mini");
    fake.server.fail("chat", { kind: "slow-body", delayMs: 40, chunkBytes: 16 });
    const error = await failure(model.generate({ messages }, { signal: AbortSignal.timeout(150) }));
    expect(error.kind).toBe("timeout");
    fake.server.fail("chat", { kind: "slow-body", delayMs: 1, chunkBytes: 64 });
    expect((await model.generate({ messages })).text).toContain("lighthouse");
  });

  it("rethrows a caller's cancellation untouched", async () => {
    fake.server.fail("chat", { kind: "hang" });
    const controller = new AbortController();
    const pending = openrouter
      .model("script", "openai/gpt-4o-mini")
      .generate({ messages }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 50);
    await expect(pending).rejects.toThrow("user cancelled");
  });

  it("refuses unsupported capabilities before any call", () => {
    expect(() => openrouter.model("image", "openai/dall-e-3")).toThrow(/image capability is not supported/);
    expect(fake.server.calls()).toBe(0);
  });

  it("streams like OpenRouter when asked (for clients that stream)", async () => {
    const response = await fetch(`${fake.baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-4o-mini", messages, stream: true }),
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const lines = (await response.text()).split("\n").filter((line) => line !== "");
    expect(lines[0]).toBe(": OPENROUTER PROCESSING");
    expect(lines.at(-1)).toBe("data: [DONE]");
    const chunks = lines
      .filter((line) => line.startsWith("data: {"))
      .map(
        (line) =>
          JSON.parse(line.slice(6)) as {
            choices: { delta?: { content?: string } }[];
            usage?: { cost: number };
          },
      );
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? "").join("");
    expect(text).toContain("lighthouse");
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(Math.round(last.usage!.cost * 1e6)).toBe(fake.charges[0]!.costMicros);
  });

  it("serves generation stats and the model list like OpenRouter", async () => {
    await openrouter.model("script", "openai/gpt-4o-mini").generate({ messages });
    const id = fake.charges[0]!.generationId;
    const response = await fetch(`${fake.baseURL}/generation?id=${id}`, {
      headers: { authorization: `Bearer ${fake.apiKey}` },
    });
    const stats = (await response.json()) as { data: { total_cost: number; model: string } };
    expect(stats.data.model).toBe("openai/gpt-4o-mini");
    expect(Math.round(stats.data.total_cost * 1e6)).toBe(fake.charges[0]!.costMicros);
    const list = (await (await fetch(`${fake.baseURL}/models`)).json()) as {
      data: { pricing: { prompt: string } }[];
    };
    expect(list.data.length).toBeGreaterThan(5);
  });
});
