import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProviders, startFakeProviders } from "../../test/fakes/fake-providers.ts";
import type { OpenRouterFake } from "../../test/fakes/openrouter-fake.ts";
import type { DatabaseHandle } from "../db/index.ts";
import { createSilentLogger } from "../logging/index.ts";
import { parseUsd } from "../money/index.ts";
import { createRemoteProviders } from "../providers/index.ts";
import { checkProviders } from "./check-providers.ts";
import { createRouter } from "./create-router.ts";
import { openTestDatabase, testConfig } from "./testing/router-fixture.ts";

let fakes: FakeProviders;
let fake: OpenRouterFake;
let handle: DatabaseHandle;

beforeAll(async () => {
  fakes = await startFakeProviders();
  fake = fakes.openrouter;
  handle = await openTestDatabase("pglite", "", "");
});

afterAll(async () => {
  await fakes?.close();
  await handle?.close();
});

async function usageOf(idempotencyKey: string) {
  return handle.db
    .selectFrom("usage_logs")
    .selectAll()
    .where("idempotency_key", "=", idempotencyKey)
    .execute();
}

function setup(
  env: Record<string, string> = { OPENROUTER_API_KEY: fake.apiKey, OPENROUTER_BASE_URL: fake.baseURL },
) {
  const config = testConfig(env);
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

describe("the router through the real provider clients and their fake servers", () => {
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

  it("falls back from a ModelsLab image outage past the client-less dall-e-3, priced per image", async () => {
    const { router } = setup(fakes.env);
    fakes.modelslab.server.fail("text-to-image", { kind: "error", status: 503, message: "overloaded" }, 2);
    const idempotencyKey = `integration:${randomUUID()}`;
    const routed = await router.route(
      "image",
      { prompt: "a lighthouse at dusk", width: 512, height: 512 },
      { tier: "premium", idempotencyKey },
    );
    expect(routed).toMatchObject({ provider: "modelslab", model: "imagen-4", costMicros: 10_000 });
    expect(routed.skipped).toContainEqual({ provider: "openai", model: "dall-e-3", reason: "no_client" });
    expect(routed.result.image.byteLength).toBeGreaterThan(0);
    const rows = await usageOf(idempotencyKey);
    expect(rows.map((row) => [row.model_used, row.outcome, row.cost_usd]).sort()).toEqual([
      ["imagen-4", "succeeded", "0.010000"],
      ["seedream-4", "failed", "0.000000"],
      ["seedream-4", "failed", "0.000000"],
    ]);
  });

  it("bills ElevenLabs by the characters it reports", async () => {
    const { router } = setup(fakes.env);
    const before = fakes.elevenlabs.totalCharacters();
    const idempotencyKey = `integration:${randomUUID()}`;
    const routed = await router.route(
      "voice",
      { text: "The keeper climbed the stairs.", voice: "21m00Tcm4TlvDq8ikWAM" },
      { tier: "basic", idempotencyKey },
    );
    const characters = fakes.elevenlabs.totalCharacters() - before;
    expect(routed.provider).toBe("elevenlabs");
    // $0.10 per 1K characters.
    expect(routed.costMicros).toBe(characters * 100);
    const [row] = await usageOf(idempotencyKey);
    expect(row).toMatchObject({ unit: "characters", units: `${characters}.000000` });
  });

  it("checks all three providers against their fakes", async () => {
    const { config } = setup(fakes.env);
    const checks = await checkProviders(config, createRemoteProviders(config.providers));
    expect(checks.map((check) => [check.provider, check.ok, check.probe])).toEqual([
      ["openrouter", true, "script meta-llama/llama-3.1-8b-instruct"],
      ["modelslab", true, "image imagen-4-ultra"],
      ["elevenlabs", true, "GET voices"],
    ]);
  });
});
