import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceAvailable, TEST_DATABASE_URL, uniqueName } from "../../test/support/services.ts";
import type { DatabaseHandle } from "../db/index.ts";
import { Ledger, type LedgerEntry } from "./ledger.ts";
import { createUser, dropTestSchema, openTestDatabase } from "./testing/router-fixture.ts";

const postgresUp = await serviceAvailable("PostgreSQL", TEST_DATABASE_URL);

function entry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    tier: "basic",
    capability: "image",
    provider: "modelslab",
    model: uniqueName("model"),
    unit: "image",
    units: 1,
    latencyMs: 120,
    estimatedCostMicros: 4000,
    costMicros: 4000,
    outcome: "succeeded",
    idempotencyKey: `ledger:${randomUUID()}`,
    attempt: 1,
    at: new Date(Date.UTC(2026, 10, 24, 12)),
    ...overrides,
  };
}

describe.each([
  { kind: "pglite" as const, run: true },
  { kind: "postgres" as const, run: postgresUp },
])("Ledger on $kind", ({ kind, run }) => {
  let handle: DatabaseHandle;
  let ledger: Ledger;
  const schema = uniqueName("router_ledger");

  beforeAll(async () => {
    if (!run) return;
    handle = await openTestDatabase(kind, TEST_DATABASE_URL, schema);
    ledger = new Ledger(handle.db);
  });

  afterAll(async () => {
    if (!handle) return;
    await dropTestSchema(handle, schema);
    await handle.close();
  });

  it.runIf(run)("writes one usage_logs row per attempt, with exact decimal money", async () => {
    const userId = await createUser(handle);
    const written = entry({
      userId,
      jobId: "job-9",
      costMicros: 1,
      estimatedCostMicros: 3,
      metadata: { a: 1 },
    });
    expect(await ledger.record(written)).toBe(true);
    const row = await handle.db
      .selectFrom("usage_logs")
      .selectAll()
      .where("idempotency_key", "=", written.idempotencyKey)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      user_id: userId,
      job_id: "job-9",
      resource_type: "image",
      provider: "modelslab",
      model_used: written.model,
      tier_at_time: "basic",
      unit: "image",
      units: "1.000000",
      cost_usd: "0.000001",
      estimated_cost_usd: "0.000003",
      outcome: "succeeded",
      attempt: 1,
      duration_seconds: 0.12,
      metadata: { a: 1 },
    });
    expect(row.created_at.toISOString()).toBe("2026-11-24T12:00:00.000Z");
  });

  it.runIf(run)("ignores a replayed attempt and leaves the metrics alone", async () => {
    const written = entry();
    expect(await ledger.record(written)).toBe(true);
    expect(await ledger.record({ ...written, costMicros: 9999, outcome: "failed" })).toBe(false);
    expect(await ledger.record({ ...written, attempt: 2, outcome: "failed", costMicros: 0 })).toBe(true);
    // The same try number of another model of the same call is another attempt.
    expect(await ledger.record({ ...written, model: `${written.model}-b` })).toBe(true);
    expect(await ledger.costOfCall(written.idempotencyKey)).toBe(8000);
    const metrics = await handle.db
      .selectFrom("model_metrics")
      .selectAll()
      .where("model_name", "=", written.model)
      .executeTakeFirstOrThrow();
    expect(metrics).toMatchObject({ request_count: 2, success_count: 1, failure_count: 1 });
  });

  it.runIf(run)("records a replayed call's success on a try its earlier run failed, once", async () => {
    const failed = entry({ outcome: "failed", costMicros: 0 });
    expect(await ledger.record(failed)).toBe(true);
    expect(await ledger.record({ ...failed, attempt: 2 })).toBe(true);
    // The retried job finds the model back: its first try succeeds, and was paid.
    const success = { ...failed, outcome: "succeeded" as const, costMicros: 4000 };
    expect(await ledger.record(success)).toBe(true);
    expect(await ledger.record(success)).toBe(false);
    expect(await ledger.record({ ...success, attempt: 2 })).toBe(false);
    const rows = await handle.db
      .selectFrom("usage_logs")
      .select(["attempt", "outcome"])
      .where("idempotency_key", "=", failed.idempotencyKey)
      .orderBy("attempt")
      .execute();
    expect(rows).toEqual([
      { attempt: 1, outcome: "failed" },
      { attempt: 2, outcome: "failed" },
      { attempt: 3, outcome: "succeeded" },
    ]);
    expect(await ledger.costOfCall(failed.idempotencyKey)).toBe(4000);
  });

  it.runIf(run)("rolls attempts into model_metrics per provider, model and day, with averages", async () => {
    const model = uniqueName("metrics");
    const day = new Date(Date.UTC(2026, 10, 24, 8));
    await ledger.record(entry({ model, latencyMs: 100, costMicros: 1000, at: day }));
    await ledger.record(entry({ model, latencyMs: 300, costMicros: 2001, at: day }));
    await ledger.record(entry({ model, latencyMs: 200, costMicros: 0, outcome: "failed", at: day }));
    await ledger.record(entry({ model, provider: "elevenlabs", latencyMs: 50, costMicros: 7, at: day }));
    await ledger.record(
      entry({ model, latencyMs: 10, costMicros: 5, at: new Date(Date.UTC(2026, 10, 25, 1)) }),
    );
    const rows = await handle.db
      .selectFrom("model_metrics")
      .selectAll()
      .where("model_name", "=", model)
      .orderBy("date")
      .orderBy("provider")
      .execute();
    expect(rows.map((row) => [row.provider, row.date])).toEqual([
      ["elevenlabs", "2026-11-24"],
      ["modelslab", "2026-11-24"],
      ["modelslab", "2026-11-25"],
    ]);
    expect(rows[1]).toMatchObject({
      request_count: 3,
      success_count: 2,
      failure_count: 1,
      total_latency_ms: 600,
      avg_latency_ms: 200,
      total_cost_usd: "0.003001",
      avg_cost_usd: "0.001501", // per successful call: 3001 / 2, rounded half up
    });
  });

  it.runIf(run)("sums a user's cost between two instants", async () => {
    const userId = await createUser(handle);
    await ledger.record(
      entry({ userId, costMicros: 1_500_000, at: new Date(Date.UTC(2026, 9, 31, 23, 59)) }),
    );
    await ledger.record(entry({ userId, costMicros: 250_000, at: new Date(Date.UTC(2026, 10, 1)) }));
    await ledger.record(entry({ userId, costMicros: 1, at: new Date(Date.UTC(2026, 10, 30, 23, 59)) }));
    const november = await ledger.costBetween(
      userId,
      new Date(Date.UTC(2026, 10, 1)),
      new Date(Date.UTC(2026, 11, 1)),
    );
    expect(november).toBe(250_001);
  });

  it.runIf(run)("records concurrent attempts of one model without losing a metric", async () => {
    const model = uniqueName("concurrent");
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => ledger.record(entry({ model, costMicros: i, latencyMs: 10 }))),
    );
    const metrics = await handle.db
      .selectFrom("model_metrics")
      .selectAll()
      .where("model_name", "=", model)
      .executeTakeFirstOrThrow();
    expect(metrics).toMatchObject({ request_count: 20, total_cost_usd: "0.000190", total_latency_ms: 200 });
  });
});
