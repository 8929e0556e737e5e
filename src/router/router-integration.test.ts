import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenRouterFake, type OpenRouterFake } from "../../test/fakes/openrouter-fake.ts";
import type { DatabaseHandle } from "../db/index.ts";
import { createSilentLogger } from "../logging/index.ts";
import { parseUsd } from "../money/index.ts";
import { createRemoteProviders } from "../providers/index.ts";
import { checkProviders } from "./check-providers.ts";
import { createRouter } from "./create-router.ts";
import { openTestDatabase, testConfig } from "./testing/router-fixture.ts";

let fake: OpenRouterFake;
let handle: DatabaseHandle;

beforeAll(async () => {
  fake = await createOpenRouterFake();
  handle = await openTestDatabase("pglite", "", "");
});

afterAll(async () => {
  await fake?.close();
  await handle?.close();
});

function setup() {
  const config = testConfig({ OPENROUTER_API_KEY: fake.apiKey, OPENROUTER_BASE_URL: fake.baseURL });
  const slept: number[] = [];
  const router = createRouter({
    config,
    db: handle.db,
    providers: createRemoteProviders(config.providers),
    logger: createSilentLogger(),
    random: () => 0.5,
    sleep: async (ms) => {
      slept.push(ms);
    },
    policy: { maxAttemptsPerModel: 2, timeoutMs: { default: 5000 } },
  });
  return { config, router, slept };
}

describe("the router through the real OpenRouter client and its fake server", () => {
  it("survives a primary outage, and the ledger matches what OpenRouter charged to the micro-dollar", async () => {
    const { router, slept } = setup();
    const chargedBefore = fake.totalChargedMicros();
    fake.failModel(
      "deepseek/deepseek-chat",
      { kind: "error", status: 503, message: "upstream overloaded" },
      2,
    );
    const idempotencyKey = `integration:${randomUUID()}`;
    const routed = await router.route(
      "script",
      {
        messages: [{ role: "user", content: "Write one sentence about a lighthouse." }],
        maxOutputTokens: 50,
      },
      { tier: "basic", idempotencyKey },
    );
    expect(routed.model).toBe("meta-llama/llama-3.1-8b-instruct");
    expect(routed.attempts.map((attempt) => [attempt.model, attempt.outcome, attempt.errorCode])).toEqual([
      ["deepseek/deepseek-chat", "failed", "provider.server"],
      ["deepseek/deepseek-chat", "failed", "provider.server"],
      ["meta-llama/llama-3.1-8b-instruct", "succeeded", undefined],
    ]);
    expect(slept).toHaveLength(1);
    const charged = fake.totalChargedMicros() - chargedBefore;
    expect(routed.costMicros).toBe(charged);
    const rows = await handle.db
      .selectFrom("usage_logs")
      .selectAll()
      .where("idempotency_key", "=", idempotencyKey)
      .execute();
    expect(rows).toHaveLength(3);
    expect(rows.reduce((sum, row) => sum + parseUsd(row.cost_usd), 0)).toBe(charged);
  });

  it("honours OpenRouter's Retry-After on a 429", async () => {
    const { router, slept } = setup();
    fake.failModel("deepseek/deepseek-chat", { kind: "error", status: 429, retryAfterSeconds: 3 }, 1);
    const routed = await router.route(
      "script",
      { messages: [{ role: "user", content: "Hello." }], maxOutputTokens: 10 },
      { tier: "basic", idempotencyKey: `integration:${randomUUID()}` },
    );
    expect(routed.model).toBe("deepseek/deepseek-chat");
    expect(slept).toEqual([3000]);
  });

  it("checks the configured provider with one cheap call", async () => {
    const { config } = setup();
    const checks = await checkProviders(config, createRemoteProviders(config.providers));
    expect(checks.find((check) => check.provider === "openrouter")).toMatchObject({
      configured: true,
      ok: true,
      probe: "script meta-llama/llama-3.1-8b-instruct",
    });
    expect(checks.find((check) => check.provider === "elevenlabs")).toMatchObject({ configured: false });
  });

  it("reports a refused key as a failed check", async () => {
    const config = testConfig({ OPENROUTER_API_KEY: "wrong", OPENROUTER_BASE_URL: fake.baseURL });
    const [check] = await checkProviders(config, createRemoteProviders(config.providers));
    expect(check).toMatchObject({
      provider: "openrouter",
      configured: true,
      ok: false,
      errorCode: "provider.auth",
    });
  });
});
