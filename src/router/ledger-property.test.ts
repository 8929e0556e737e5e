import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceAvailable, TEST_DATABASE_URL, uniqueName } from "../../test/support/services.ts";
import type { TierName } from "../config/index.ts";
import type { DatabaseHandle } from "../db/index.ts";
import { isLitinkError } from "../errors/index.ts";
import { createSilentLogger } from "../logging/index.ts";
import { parseUsd } from "../money/index.ts";
import type { Capability, ProviderErrorKind } from "../providers/index.ts";
import { createRouter } from "./create-router.ts";
import { type FakeCall, FakeProvider, type FakeStep } from "./testing/fake-provider.ts";
import { dropTestSchema, openTestDatabase, testConfig } from "./testing/router-fixture.ts";

const postgresUp = await serviceAvailable("PostgreSQL", TEST_DATABASE_URL);

const FAULTS: readonly ProviderErrorKind[] = [
  "server",
  "network",
  "timeout",
  "rate_limited",
  "bad_request",
  "invalid_response",
  "no_credits",
  "moderation",
];

const stepArbitrary: fc.Arbitrary<FakeStep> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.integer({ min: 0, max: 50_000 }).map((costMicros) => ({ ok: true as const, costMicros })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      fail: fc.constantFrom(...FAULTS),
      retryAfterMs: fc.option(fc.constantFrom(10, 1000, 120_000), { nil: undefined }),
    }),
  },
);

const callArbitrary = fc.record({
  capability: fc.constantFrom<Capability>("script", "image"),
  tier: fc.constantFrom<TierName>("basic", "standard", "premium", "professional"),
});

/**
 * A provider that honours idempotency keys the way a careful API does: the same attempt key always gets
 * the same answer, and is charged at most once. What it charged is the truth the ledger must match.
 */
class IdempotentFake extends FakeProvider {
  charged = 0;
  readonly #answers = new Map<string, FakeStep>();

  constructor(name: string, schedule: FakeStep[]) {
    super(name, { capabilities: ["script", "image"] });
    this.decide = (call: FakeCall) => {
      const key = call.idempotencyKey ?? randomUUID();
      let step = this.#answers.get(key);
      if (step === undefined) {
        step = schedule.shift() ?? { ok: true, costMicros: 1 };
        this.#answers.set(key, step);
        if ("ok" in step) this.charged += step.costMicros ?? 0;
      }
      return step;
    };
  }

  /** Distinct attempts that reached this provider. */
  get attempts(): number {
    return this.#answers.size;
  }
}

describe.each([
  { kind: "pglite" as const, run: true, runs: 25 },
  { kind: "postgres" as const, run: postgresUp, runs: 12 },
])("the ledger under random faults on $kind", ({ kind, run, runs }) => {
  let handle: DatabaseHandle;
  const schema = uniqueName("router_property");

  beforeAll(async () => {
    if (run) handle = await openTestDatabase(kind, TEST_DATABASE_URL, schema);
  });

  afterAll(async () => {
    if (!handle) return;
    await dropTestSchema(handle, schema);
    await handle.close();
  });

  it.runIf(run)(
    "totals exactly what the providers charged, one row per attempt, nothing twice on replay",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(callArbitrary, { minLength: 1, maxLength: 8 }),
          fc.array(stepArbitrary, { maxLength: 40 }),
          fc.array(stepArbitrary, { maxLength: 40 }),
          async (calls, openrouterSchedule, modelslabSchedule) => {
            const runId = randomUUID();
            const openrouter = new IdempotentFake("openrouter", [...openrouterSchedule]);
            const modelslab = new IdempotentFake("modelslab", [...modelslabSchedule]);
            let now = Date.UTC(2026, 10, 24, 12);
            const router = createRouter({
              config: testConfig(),
              db: handle.db,
              providers: [openrouter, modelslab, new FakeProvider("local")],
              logger: createSilentLogger(),
              clock: () => now,
              random: () => 0.5,
              sleep: async (ms) => {
                now += ms;
              },
              policy: {
                maxAttemptsPerModel: 3,
                baseDelayMs: 10,
                maxDelayMs: 100,
                maxRetryAfterMs: 1000,
                breakerThreshold: 3,
                breakerCooldownMs: 60_000,
                timeoutMs: { default: 1000 },
              },
            });
            const routeAll = async () => {
              for (const [index, call] of calls.entries()) {
                const request =
                  call.capability === "script"
                    ? { messages: [{ role: "user" as const, content: `call ${index}` }] }
                    : { prompt: `call ${index}`, width: 64, height: 64 };
                try {
                  await router.route(call.capability, request as never, {
                    tier: call.tier,
                    idempotencyKey: `prop:${runId}:${index}`,
                  });
                } catch (error) {
                  if (!isLitinkError(error) || !error.code.startsWith("router.")) throw error;
                }
              }
            };
            await routeAll();
            await routeAll(); // the job is retried: every call replays with the same key

            const rows = await handle.db
              .selectFrom("usage_logs")
              .select(["idempotency_key", "provider", "model_used", "attempt", "cost_usd"])
              .where("idempotency_key", "like", `prop:${runId}:%`)
              .execute();
            const ledgerTotal = rows.reduce((sum, row) => sum + parseUsd(row.cost_usd), 0);
            expect(ledgerTotal).toBe(openrouter.charged + modelslab.charged);
            expect(rows).toHaveLength(openrouter.attempts + modelslab.attempts);
            const identities = new Set(
              rows.map((row) => `${row.idempotency_key}|${row.provider}/${row.model_used}#${row.attempt}`),
            );
            expect(identities.size).toBe(rows.length);
          },
        ),
        { numRuns: runs },
      );
      // The metrics saw every recorded attempt exactly once too.
      const totals = await handle.db
        .selectFrom("usage_logs")
        .select([
          sql<number>`count(*)::int`.as("rows"),
          sql<string>`coalesce(sum(cost_usd), 0)::text`.as("cost"),
        ])
        .executeTakeFirstOrThrow();
      const metrics = await handle.db
        .selectFrom("model_metrics")
        .select([
          sql<number>`coalesce(sum(request_count), 0)::int`.as("rows"),
          sql<string>`coalesce(sum(total_cost_usd), 0)::text`.as("cost"),
        ])
        .executeTakeFirstOrThrow();
      expect(metrics.rows).toBe(totals.rows);
      expect(parseUsd(metrics.cost)).toBe(parseUsd(totals.cost));
    },
  );
});
