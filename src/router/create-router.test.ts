import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import type { AppConfig } from "../config/index.ts";
import type { DatabaseHandle } from "../db/index.ts";
import { isLitinkError } from "../errors/index.ts";
import { createSilentLogger, type Logger } from "../logging/index.ts";
import { formatDecimal, parseUsd } from "../money/index.ts";
import type { Provider, TextRequest } from "../providers/index.ts";
import { createRouter } from "./create-router.ts";
import type { RouterPolicyOptions } from "./router-policy-options.ts";
import { FakeProvider } from "./testing/fake-provider.ts";
import {
  capturingLogger,
  createUser,
  openTestDatabase,
  testConfig,
  withChains,
} from "./testing/router-fixture.ts";

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const TEXT: TextRequest = {
  messages: [{ role: "user", content: "Adapt this chapter." }],
  maxOutputTokens: 200,
};
const IMAGE = { prompt: "a lighthouse at dusk", width: 64, height: 64 };

/** Instant policies for tests: no real waits, small limits. */
const FAST: Partial<RouterPolicyOptions> = {
  maxAttemptsPerModel: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterMs: 5000,
  breakerThreshold: 3,
  breakerCooldownMs: 30,
  timeoutMs: { default: 50 },
};

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await openTestDatabase("pglite", "", "");
});

afterAll(async () => {
  await handle?.close();
});

interface Setup {
  config?: AppConfig;
  providers?: Provider[];
  policy?: Partial<RouterPolicyOptions>;
  logger?: Logger;
  clock?: () => number;
}

function setup(options: Setup = {}) {
  const openrouter = new FakeProvider("openrouter");
  const modelslab = new FakeProvider("modelslab");
  const elevenlabs = new FakeProvider("elevenlabs");
  const local = new FakeProvider("local", { capabilities: ["script", "image", "video", "voice"] });
  const slept: number[] = [];
  let now = NOW;
  const router = createRouter({
    config: options.config ?? testConfig(),
    db: handle.db,
    providers: options.providers ?? [openrouter, modelslab, elevenlabs, local],
    logger: options.logger ?? createSilentLogger(),
    clock: options.clock ?? (() => now),
    random: () => 0.5,
    sleep: async (ms) => {
      // Waiting moves the fake clock on, as a real wait would.
      slept.push(ms);
      now += ms;
    },
    policy: { ...FAST, ...options.policy },
  });
  return { router, openrouter, modelslab, elevenlabs, local, slept };
}

const key = () => `test:${randomUUID()}`;

async function rowsFor(idempotencyKey: string) {
  return handle.db
    .selectFrom("usage_logs")
    .selectAll()
    .where("idempotency_key", "=", idempotencyKey)
    .orderBy("created_at")
    .orderBy("model_used")
    .orderBy("attempt")
    .execute();
}

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isLitinkError(error) ? error.code : error).toBe(code);
  return error as import("../errors/index.ts").LitinkError;
}

describe("createRouter: chains by tier", () => {
  it("serves a call on the tier's primary model and records it to the micro-dollar", async () => {
    const { router, openrouter } = setup();
    const idempotencyKey = key();
    const userId = await createUser(handle);
    const routed = await router.route("script", TEXT, {
      tier: "basic",
      userId,
      jobId: "job-1",
      idempotencyKey,
    });
    expect(routed).toMatchObject({ provider: "openrouter", model: "deepseek/deepseek-chat", offline: false });
    // deepseek-chat: $0.2574 / $1.0287 per 1M tokens; the fake reports 1000 in, 500 out.
    expect(routed.costMicros).toBe(257 + 514);
    expect(routed.estimatedCostMicros).toBeGreaterThan(0);
    expect(openrouter.calls).toHaveLength(1);
    const rows = await rowsFor(idempotencyKey);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      user_id: userId,
      job_id: "job-1",
      tier_at_time: "basic",
      resource_type: "script",
      provider: "openrouter",
      model_used: "deepseek/deepseek-chat",
      input_tokens: 1000,
      output_tokens: 500,
      cost_usd: formatDecimal(routed.costMicros),
      outcome: "succeeded",
      attempt: 1,
    });
    expect(parseUsd(rows[0]!.estimated_cost_usd!)).toBe(routed.estimatedCostMicros);
  });

  it("prefers the provider-reported cost over the computed one", async () => {
    const { router, openrouter } = setup();
    openrouter.script("deepseek/deepseek-chat", {
      ok: true,
      costMicros: 1234,
      answeredModel: "deepseek/deepseek-v3",
    });
    const idempotencyKey = key();
    const routed = await router.route("script", TEXT, { tier: "basic", idempotencyKey });
    expect(routed.costMicros).toBe(1234);
    expect(routed.answeredModel).toBe("deepseek/deepseek-v3");
    const [row] = await rowsFor(idempotencyKey);
    expect(row?.cost_usd).toBe("0.001234");
    expect(row?.metadata).toMatchObject({ answeredModel: "deepseek/deepseek-v3" });
  });

  it("refuses a capability the tier has no models for", async () => {
    const { router } = setup();
    const error = await expectCode(
      router.route("voice_clone", { name: "x", samples: [] }, { tier: "free", idempotencyKey: key() }),
      "router.not_in_tier",
    );
    expect(error.userFacing).toBe(true);
  });
});

describe("createRouter: fallbacks", () => {
  it("retries transient failures with full-jitter backoff, then falls back to the next model", async () => {
    const { router, openrouter, slept } = setup();
    openrouter.script("deepseek/deepseek-chat", { fail: "server" }, { fail: "network" }, { fail: "timeout" });
    const idempotencyKey = key();
    const routed = await router.route("script", TEXT, { tier: "basic", idempotencyKey });
    expect(routed.model).toBe("meta-llama/llama-3.1-8b-instruct");
    expect(routed.attempts.map((a) => [a.model, a.attempt, a.outcome])).toEqual([
      ["deepseek/deepseek-chat", 1, "failed"],
      ["deepseek/deepseek-chat", 2, "failed"],
      ["deepseek/deepseek-chat", 3, "failed"],
      ["meta-llama/llama-3.1-8b-instruct", 1, "succeeded"],
    ]);
    // random() = 0.5: half of min(maxDelay, base * 2^(n-1)) for retries 1 and 2.
    expect(slept).toEqual([50, 100]);
    const rows = await rowsFor(idempotencyKey);
    expect(rows.map((row) => row.outcome).sort()).toEqual(["failed", "failed", "failed", "succeeded"]);
    expect(rows.filter((row) => row.outcome === "failed").every((row) => row.cost_usd === "0.000000")).toBe(
      true,
    );
  });

  it("honours a short Retry-After before retrying the same model", async () => {
    const { router, openrouter, slept } = setup();
    openrouter.script("deepseek/deepseek-chat", { fail: "rate_limited", retryAfterMs: 2000 });
    const routed = await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() });
    expect(routed.model).toBe("deepseek/deepseek-chat");
    expect(slept).toEqual([2000]);
    expect(routed.attempts[1]?.waitedMs).toBe(2000);
  });

  it("does not wait out a long Retry-After: diverts now and keeps the model aside", async () => {
    const { router, openrouter, slept } = setup();
    openrouter.script("deepseek/deepseek-chat", { fail: "rate_limited", retryAfterMs: 60_000 });
    const first = await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() });
    expect(first.model).toBe("meta-llama/llama-3.1-8b-instruct");
    expect(slept).toEqual([]);
    const second = await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() });
    expect(second.model).toBe("meta-llama/llama-3.1-8b-instruct");
    expect(second.skipped).toContainEqual({
      provider: "openrouter",
      model: "deepseek/deepseek-chat",
      reason: "rate_limited",
    });
    expect(openrouter.callsTo("deepseek/deepseek-chat")).toHaveLength(1);
  });

  it("skips straight to the next model on a non-retryable error", async () => {
    const { router, openrouter } = setup();
    openrouter.script("deepseek/deepseek-chat", { fail: "bad_request" });
    const routed = await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() });
    expect(routed.model).toBe("meta-llama/llama-3.1-8b-instruct");
    expect(openrouter.callsTo("deepseek/deepseek-chat")).toHaveLength(1);
    expect(routed.attempts[0]).toMatchObject({ outcome: "failed", errorCode: "provider.bad_request" });
  });

  it("passes over a model that refuses an unsupported option, without a ledger row", async () => {
    const { router, openrouter } = setup();
    openrouter.script("deepseek/deepseek-chat", { fail: "unsupported" });
    const idempotencyKey = key();
    const routed = await router.route("script", TEXT, { tier: "basic", idempotencyKey });
    expect(routed.skipped).toContainEqual({
      provider: "openrouter",
      model: "deepseek/deepseek-chat",
      reason: "unsupported",
    });
    expect((await rowsFor(idempotencyKey)).map((row) => row.model_used)).toEqual([
      "meta-llama/llama-3.1-8b-instruct",
    ]);
  });

  it("fails at once, as the user's to fix, when moderation refuses the content", async () => {
    const { router, openrouter } = setup();
    openrouter.script("deepseek/deepseek-chat", { fail: "moderation" });
    const idempotencyKey = key();
    const error = await expectCode(
      router.route("script", TEXT, { tier: "basic", idempotencyKey }),
      "router.refused_by_moderation",
    );
    expect(error.userFacing).toBe(true);
    expect(openrouter.callsTo("meta-llama/llama-3.1-8b-instruct")).toHaveLength(0);
    expect(await rowsFor(idempotencyKey)).toHaveLength(1);
  });

  it("passes over the rest of a provider's models when it has no credits", async () => {
    const base = testConfig();
    const chain = [...base.models.chains.script.basic, ...base.models.chains.voice.basic];
    // A deliberately mixed chain: two OpenRouter models, then ElevenLabs' voice entry re-used as text.
    const config = withChains(base, "script", { basic: chain });
    const { router, openrouter, elevenlabs } = setup({ config });
    openrouter.script("deepseek/deepseek-chat", { fail: "no_credits" });
    const routed = await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() });
    expect(routed.provider).toBe("elevenlabs");
    expect(routed.skipped).toContainEqual({
      provider: "openrouter",
      model: "meta-llama/llama-3.1-8b-instruct",
      reason: "provider_refused",
    });
    expect(openrouter.calls).toHaveLength(1);
    expect(elevenlabs.calls).toHaveLength(1);
  });

  it("times out a hanging attempt and records it as a timeout", async () => {
    const { router, openrouter } = setup({ policy: { maxAttemptsPerModel: 1 } });
    openrouter.script("deepseek/deepseek-chat", { hang: true });
    const idempotencyKey = key();
    const routed = await router.route("script", TEXT, { tier: "basic", idempotencyKey });
    expect(routed.attempts[0]).toMatchObject({ outcome: "failed", errorCode: "provider.timeout" });
    expect(routed.model).toBe("meta-llama/llama-3.1-8b-instruct");
    const rows = await rowsFor(idempotencyKey);
    expect(rows.find((row) => row.outcome === "failed")?.error_code).toBe("provider.timeout");
  });

  it("stops at once when the caller cancels, recording the call that was made", async () => {
    const { router, openrouter } = setup({ policy: { timeoutMs: { default: 60_000 } } });
    const controller = new AbortController();
    openrouter.decide = () => {
      controller.abort();
      return { hang: true };
    };
    const idempotencyKey = key();
    await expectCode(
      router.route("script", TEXT, { tier: "basic", idempotencyKey, signal: controller.signal }),
      "router.aborted",
    );
    expect(openrouter.calls).toHaveLength(1);
    expect(await rowsFor(idempotencyKey)).toHaveLength(1);
    await expectCode(
      router.route("script", TEXT, { tier: "basic", idempotencyKey: key(), signal: controller.signal }),
      "router.aborted",
    );
    expect(openrouter.calls).toHaveLength(1);
  });

  it("says what it tried when every model fails", async () => {
    const { router, openrouter } = setup({ policy: { maxAttemptsPerModel: 1 } });
    openrouter.otherwise({ fail: "server" });
    const error = await expectCode(
      router.route("script", TEXT, { tier: "basic", idempotencyKey: key() }),
      "router.exhausted",
    );
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("openrouter/deepseek/deepseek-chat: provider.server");
    expect(error.message).toContain("openrouter/meta-llama/llama-3.1-8b-instruct: provider.server");
  });
});

describe("createRouter: circuit breaker", () => {
  it("opens after consecutive failures, skips the model while open, and closes after a good probe", async () => {
    // cockatiel times the cooldown with Date.now: fake only Date, so no timer or database is affected.
    vi.useFakeTimers({ toFake: ["Date"], now: NOW });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const { router, openrouter } = setup({
      policy: { maxAttemptsPerModel: 1, breakerThreshold: 2, breakerCooldownMs: 60_000 },
    });
    openrouter.script("deepseek/deepseek-chat", { fail: "server" }, { fail: "server" });
    await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() });
    expect(router.breakerState("openrouter", "deepseek/deepseek-chat")).toBe("closed");
    await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() });
    expect(router.breakerState("openrouter", "deepseek/deepseek-chat")).toBe("open");

    const whileOpen = await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() });
    expect(whileOpen.model).toBe("meta-llama/llama-3.1-8b-instruct");
    expect(whileOpen.skipped).toContainEqual({
      provider: "openrouter",
      model: "deepseek/deepseek-chat",
      reason: "circuit_open",
    });
    expect(openrouter.callsTo("deepseek/deepseek-chat")).toHaveLength(2);

    vi.setSystemTime(NOW + 59_000);
    expect((await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() })).model).toBe(
      "meta-llama/llama-3.1-8b-instruct",
    );
    vi.setSystemTime(NOW + 60_001);
    const probe = await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() });
    expect(probe.model).toBe("deepseek/deepseek-chat");
    expect(router.breakerState("openrouter", "deepseek/deepseek-chat")).toBe("closed");
  });

  it("does not count a bad request against the model", async () => {
    const { router, openrouter } = setup({ policy: { maxAttemptsPerModel: 1, breakerThreshold: 1 } });
    openrouter.script("deepseek/deepseek-chat", { fail: "bad_request" });
    await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() });
    expect(router.breakerState("openrouter", "deepseek/deepseek-chat")).toBe("closed");
  });
});

describe("createRouter: rate limits", () => {
  it("diverts to the next model when a model's requests per minute are used up, and recovers", async () => {
    let now = NOW;
    const { router } = setup({
      clock: () => now,
      policy: {
        rateLimits: {
          default: { requestsPerMinute: 1000, maxConcurrent: 10 },
          "openrouter/deepseek/deepseek-chat": { requestsPerMinute: 2, maxConcurrent: 10 },
        },
      },
    });
    const models: string[] = [];
    for (let i = 0; i < 3; i++) {
      models.push((await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() })).model);
    }
    expect(models).toEqual([
      "deepseek/deepseek-chat",
      "deepseek/deepseek-chat",
      "meta-llama/llama-3.1-8b-instruct",
    ]);
    now += 30_000; // half a minute refills one request
    expect((await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() })).model).toBe(
      "deepseek/deepseek-chat",
    );
  });

  it("diverts when a model's concurrent requests are all in flight", async () => {
    const { router, openrouter } = setup({
      policy: {
        timeoutMs: { default: 5000 },
        rateLimits: {
          default: { requestsPerMinute: 1000, maxConcurrent: 10 },
          "openrouter/deepseek/deepseek-chat": { requestsPerMinute: 1000, maxConcurrent: 1 },
        },
      },
    });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const original = openrouter.model.bind(openrouter);
    openrouter.model = ((capability, modelId) => {
      const model = original(capability, modelId) as { generate: (...args: unknown[]) => Promise<unknown> };
      if (modelId !== "deepseek/deepseek-chat") return model;
      return { ...model, generate: async (...args: unknown[]) => gate.then(() => model.generate(...args)) };
    }) as typeof openrouter.model;
    const slow = router.route("script", TEXT, { tier: "basic", idempotencyKey: key() });
    const concurrent = await router.route("script", TEXT, { tier: "basic", idempotencyKey: key() });
    expect(concurrent.model).toBe("meta-llama/llama-3.1-8b-instruct");
    release();
    expect((await slow).model).toBe("deepseek/deepseek-chat");
  });
});

describe("createRouter: custom models", () => {
  it("refuses a user-chosen model on the Free tier", async () => {
    const { router, openrouter } = setup();
    const error = await expectCode(
      router.route("script", TEXT, { tier: "free", idempotencyKey: key(), modelOverride: "openai/gpt-4o" }),
      "router.custom_model_not_allowed",
    );
    expect(error.userFacing).toBe(true);
    expect(error.message).toContain("Free");
    expect(openrouter.calls).toHaveLength(0);
  });

  it("puts the chosen model first on a tier with model selection, keeping the chain as fallbacks", async () => {
    const { router, openrouter } = setup();
    openrouter.script("deepseek/deepseek-chat", { fail: "bad_request" });
    const routed = await router.route("script", TEXT, {
      tier: "standard",
      idempotencyKey: key(),
      modelOverride: "deepseek/deepseek-chat",
    });
    expect(routed.attempts[0]?.model).toBe("deepseek/deepseek-chat");
    expect(routed.model).toBe("anthropic/claude-3-haiku");
  });

  it("refuses a model the tier cannot reach, naming the ones it can", async () => {
    const { router } = setup();
    const error = await expectCode(
      router.route("script", TEXT, {
        tier: "standard",
        idempotencyKey: key(),
        modelOverride: "anthropic/claude-opus-4",
      }),
      "router.unknown_model",
    );
    expect(error.message).toContain("anthropic/claude-3-haiku");
  });
});

describe("createRouter: keys, clients and offline mode", () => {
  it("skips entries without an API key or without a client", async () => {
    const config = testConfig({ MODELSLAB_API_KEY: "k" });
    const { router, modelslab } = setup({ config });
    modelslab.script("seedream-4", { fail: "server" }, { fail: "server" }, { fail: "server" });
    const routed = await router.route("image", IMAGE, { tier: "premium", idempotencyKey: key() });
    expect(routed.model).toBe("imagen-4");
    expect(routed.skipped).toContainEqual({ provider: "openai", model: "dall-e-3", reason: "no_client" });
    const voice = router.resolveChain("voice", "basic");
    expect(voice.skipped).toContainEqual({
      provider: "elevenlabs",
      model: "eleven_multilingual_v2",
      reason: "no_api_key",
    });
    expect(voice.usable.map((entry) => entry.provider)).toEqual(["modelslab"]);
  });

  it("falls back to the offline local provider when no remote provider is configured", async () => {
    const { router, local, openrouter } = setup({ config: testConfig({}) });
    const idempotencyKey = key();
    const routed = await router.route("script", TEXT, { tier: "premium", idempotencyKey });
    expect(routed).toMatchObject({ provider: "local", offline: true, costMicros: 0 });
    expect(local.calls).toHaveLength(1);
    expect(openrouter.calls).toHaveLength(0);
    expect(routed.skipped.every((skip) => skip.reason === "no_api_key")).toBe(true);
    const [row] = await rowsFor(idempotencyKey);
    expect(row).toMatchObject({ provider: "local", cost_usd: "0.000000", outcome: "succeeded" });
  });

  it("refuses the offline fallback in strict mode (LITINK_REQUIRE_REMOTE=true)", async () => {
    const { router, local } = setup({ config: testConfig({ LITINK_REQUIRE_REMOTE: "true" }) });
    const error = await expectCode(
      router.route("script", TEXT, { tier: "basic", idempotencyKey: key() }),
      "router.remote_required",
    );
    expect(error.userFacing).toBe(true);
    expect(error.message).toContain("OPENROUTER_API_KEY");
    expect(local.calls).toHaveLength(0);
  });

  it("says so when the offline provider cannot do the capability either", async () => {
    const { router } = setup({ config: testConfig({}) });
    await expectCode(
      router.route(
        "lip_sync",
        {
          face: { data: new Uint8Array(), mediaType: "image/png" },
          audio: { data: new Uint8Array(), mediaType: "audio/wav" },
        },
        {
          tier: "premium",
          idempotencyKey: key(),
        },
      ),
      "router.no_provider",
    );
  });
});

describe("createRouter: cost guard", () => {
  async function spend(userId: string, usd: string) {
    await handle.db
      .insertInto("usage_logs")
      .values({
        user_id: userId,
        resource_type: "image",
        provider: "modelslab",
        model_used: "seedream-4",
        cost_usd: usd,
        outcome: "succeeded",
        created_at: new Date(NOW - 3600_000),
      })
      .execute();
  }

  async function alertsOf(userId: string) {
    return handle.db
      .selectFrom("cost_alerts")
      .selectAll()
      .where("user_id", "=", userId)
      .orderBy("level")
      .execute();
  }

  it("records an alert once a user passes the tier's monthly threshold, without changing models", async () => {
    const { logger, lines } = capturingLogger();
    const { router } = setup({ logger });
    const userId = await createUser(handle);
    await spend(userId, "15.500000"); // Basic alerts above $15
    const routed = await router.route("script", TEXT, { tier: "basic", userId, idempotencyKey: key() });
    expect(routed).toMatchObject({ model: "deepseek/deepseek-chat", downgraded: false });
    await router.route("script", TEXT, { tier: "basic", userId, idempotencyKey: key() });
    const alerts = await alertsOf(userId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ level: "alert", period: "2026-11", threshold_usd: "15.000000" });
    expect(lines.filter((line) => line.event === "cost_alert")).toHaveLength(1);
  });

  it("moves a user past 1.2x the threshold to the cheapest chain", async () => {
    const { router } = setup();
    const userId = await createUser(handle);
    await spend(userId, "18.000001"); // 1.2 x $15 = $18
    const idempotencyKey = key();
    const routed = await router.route("script", TEXT, {
      tier: "basic",
      userId,
      idempotencyKey,
      modelOverride: undefined,
    });
    expect(routed).toMatchObject({
      model: "meta-llama/llama-3.3-70b-instruct:free",
      downgraded: true,
      costMicros: 0,
    });
    expect((await alertsOf(userId)).map((alert) => alert.level)).toEqual(["alert", "downgrade"]);
    const [row] = await rowsFor(idempotencyKey);
    expect(row).toMatchObject({
      tier_at_time: "basic",
      model_used: "meta-llama/llama-3.3-70b-instruct:free",
    });
  });

  it("never opens a capability the tier lacks, even when downgrading", async () => {
    const { router } = setup();
    const userId = await createUser(handle);
    await spend(userId, "100.000000");
    const face = { data: new Uint8Array(), mediaType: "image/png" };
    await expectCode(
      router.route("lip_sync", { face, audio: face }, { tier: "standard", userId, idempotencyKey: key() }),
      "router.not_in_tier",
    );
  });

  it("counts the router's own spending towards the threshold", async () => {
    const config = testConfig();
    const { router, openrouter } = setup({ config });
    const userId = await createUser(handle);
    await spend(userId, "14.999000");
    openrouter.script("deepseek/deepseek-chat", { ok: true, costMicros: 2000 });
    await router.route("script", TEXT, { tier: "basic", userId, idempotencyKey: key() });
    expect(await alertsOf(userId)).toHaveLength(0);
    await router.route("script", TEXT, { tier: "basic", userId, idempotencyKey: key() });
    expect((await alertsOf(userId)).map((alert) => alert.level)).toEqual(["alert"]);
  });

  it("ignores spending of previous months", async () => {
    const { router } = setup({ clock: () => Date.UTC(2026, 11, 1, 0, 0, 1) });
    const userId = await createUser(handle);
    await spend(userId, "100.000000"); // in November; the clock says December
    const routed = await router.route("script", TEXT, { tier: "basic", userId, idempotencyKey: key() });
    expect(routed.downgraded).toBe(false);
  });
});

describe("createRouter: idempotent replay", () => {
  it("records nothing twice when a call is replayed with the same key", async () => {
    const { router, openrouter } = setup();
    const userId = await createUser(handle);
    const idempotencyKey = key();
    openrouter.script("deepseek/deepseek-chat", { fail: "server" }, { ok: true, costMicros: 700 });
    const first = await router.route("script", TEXT, { tier: "basic", userId, idempotencyKey });
    expect(first.attempts.map((attempt) => attempt.recorded)).toEqual([true, true]);
    const metricsBefore = await handle.db.selectFrom("model_metrics").selectAll().execute();

    openrouter.script("deepseek/deepseek-chat", { fail: "server" }, { ok: true, costMicros: 700 });
    const replay = await router.route("script", TEXT, { tier: "basic", userId, idempotencyKey });
    expect(replay.attempts.map((attempt) => attempt.recorded)).toEqual([false, false]);
    expect(await rowsFor(idempotencyKey)).toHaveLength(2);
    expect(await handle.db.selectFrom("model_metrics").selectAll().execute()).toEqual(metricsBefore);
    // The provider saw the same per-attempt keys both times, so it can deduplicate too.
    const keys = openrouter.calls.map((call) => call.idempotencyKey);
    expect(keys.slice(0, 2)).toEqual(keys.slice(2, 4));
  });
});

describe("createRouter: a call pinned to one provider", () => {
  // A voice cloned at ElevenLabs: no other provider knows its id.
  const SPEECH = { text: "Della counted it three times.", voice: "Xb7hH8cloned", language: "en", speed: 1 };

  it("is served by that provider only, the rest of the chain passed over", async () => {
    const { router, modelslab } = setup();
    const routed = await router.route("voice", SPEECH, {
      tier: "standard",
      idempotencyKey: key(),
      provider: "modelslab",
    });
    expect(routed.provider).toBe("modelslab");
    expect(routed.skipped).toContainEqual({
      provider: "elevenlabs",
      model: "eleven_multilingual_v2",
      reason: "pinned_elsewhere",
    });
    expect(modelslab.calls).toHaveLength(1);
  });

  it("never falls back to another provider, nor to the offline one, when that provider fails", async () => {
    const { router, elevenlabs, modelslab, local } = setup({ policy: { maxAttemptsPerModel: 1 } });
    elevenlabs.otherwise({ fail: "server" });
    const error = await expectCode(
      router.route("voice", SPEECH, { tier: "standard", idempotencyKey: key(), provider: "elevenlabs" }),
      "router.exhausted",
    );
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("elevenlabs/eleven_multilingual_v2: provider.server");
    expect(error.message).toContain("modelslab/eleven_multilingual_v2: pinned_elsewhere");
    expect(modelslab.calls).toHaveLength(0);
    expect(local.calls).toHaveLength(0);
    // Unpinned, the same failure falls back as usual.
    const routed = await router.route("voice", SPEECH, { tier: "standard", idempotencyKey: key() });
    expect(routed.provider).toBe("modelslab");
  });

  it("calls no one when the tier's chain has no model of that provider", async () => {
    const { router, elevenlabs, modelslab, local } = setup();
    const error = await expectCode(
      router.route("voice", SPEECH, { tier: "free", idempotencyKey: key(), provider: "elevenlabs" }),
      "router.exhausted",
    );
    expect(error.message).toContain("modelslab/eleven_multilingual_v2: pinned_elsewhere");
    for (const provider of [elevenlabs, modelslab, local]) expect(provider.calls).toHaveLength(0);
  });
});
