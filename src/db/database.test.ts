import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceAvailable, TEST_DATABASE_URL, uniqueName } from "../../test/support/services.ts";
import { formatDecimal, parseUsd, sumMicros } from "../money/index.ts";
import { createDatabase, type DatabaseHandle } from "./create-database.ts";
import { listJobEvents } from "./job-events.ts";
import { openDatabase } from "./open-database.ts";

const postgresUp = await serviceAvailable("PostgreSQL", TEST_DATABASE_URL);

const pgSchema = uniqueName("test");
const backends = [
  { name: "pglite", open: () => createDatabase({ kind: "pglite", dataDir: "memory://" }), run: true },
  {
    name: "postgres",
    open: () => createDatabase({ kind: "postgres", url: TEST_DATABASE_URL }, { schema: pgSchema }),
    run: postgresUp,
  },
];

describe.each(backends)("database conformance: $name", ({ open, run }) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    if (!run) return;
    handle = await open();
    await handle.migrate();
  });
  afterAll(async () => {
    if (handle?.kind === "postgres") await sql`DROP SCHEMA ${sql.id(pgSchema)} CASCADE`.execute(handle.db);
    await handle?.close();
  });

  it.runIf(run)("applies migrations once", async () => {
    expect(await handle.migrate()).toEqual([]);
    const tables = await handle.db.introspection.getTables();
    const names = tables.map((t) => t.name);
    for (const table of [
      "users",
      "user_subscriptions",
      "usage_logs",
      "cost_aggregations",
      "cost_alerts",
      "model_metrics",
      "sources",
      "videos",
      "scenes",
      "assets",
      "job_events",
    ]) {
      expect(names).toContain(table);
    }
  });

  it.runIf(run)("refuses a database that has migrations this code does not know", async () => {
    const future = { name: "9999-from-a-newer-version", timestamp: new Date().toISOString() };
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${future.name}, ${future.timestamp})`.execute(
      handle.db,
    );
    try {
      await expect(handle.migrate()).rejects.toMatchObject({ code: "db.migration_failed" });
    } finally {
      await sql`DELETE FROM kysely_migration WHERE name = ${future.name}`.execute(handle.db);
    }
    expect(await handle.migrate()).toEqual([]);
  });

  it.runIf(run)("generates UUID keys and keeps JSONB", async () => {
    const user = await handle.db
      .insertInto("users")
      .values({ email: `${uniqueName("u")}@example.com` })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    const video = await handle.db
      .insertInto("videos")
      .values({
        user_id: user.id,
        options: JSON.stringify({ aspect: "16:9", nested: { a: [1, 2] } }),
        tier_at_time: "free",
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(video.options).toEqual({ aspect: "16:9", nested: { a: [1, 2] } });
    expect(video.status).toBe("pending");
    expect(video.created_at).toBeInstanceOf(Date);
  });

  it.runIf(run)("stores money as DECIMAL and sums it exactly", async () => {
    const costs = ["0.000140", "0.100000", "0.200000", "1.333333", "0.000001"];
    const job = uniqueName("job");
    for (const cost of costs) {
      await handle.db
        .insertInto("usage_logs")
        .values({
          job_id: job,
          resource_type: "script",
          provider: "p",
          model_used: "m",
          cost_usd: cost,
          outcome: "succeeded",
        })
        .execute();
    }
    const row = await handle.db
      .selectFrom("usage_logs")
      .select((eb) => eb.fn.sum<string>("cost_usd").as("total"))
      .where("job_id", "=", job)
      .executeTakeFirstOrThrow();
    expect(typeof row.total).toBe("string");
    expect(parseUsd(row.total)).toBe(sumMicros(costs.map((c) => parseUsd(c))));
    expect(row.total).toBe(formatDecimal(1_633_474));
  });

  it.runIf(run)("keeps one row per idempotency key and attempt", async () => {
    const key = uniqueName("idem");
    const row = {
      resource_type: "image",
      provider: "p",
      model_used: "m",
      cost_usd: "0.002000",
      outcome: "succeeded",
      idempotency_key: key,
      attempt: 1,
    };
    await handle.db.insertInto("usage_logs").values(row).execute();
    await handle.db
      .insertInto("usage_logs")
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(["idempotency_key", "provider", "model_used", "attempt"])
          .where("idempotency_key", "is not", null)
          .doNothing(),
      )
      .execute();
    await expect(handle.db.insertInto("usage_logs").values(row).execute()).rejects.toThrow();
    const rows = await handle.db
      .selectFrom("usage_logs")
      .selectAll()
      .where("idempotency_key", "=", key)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it.runIf(run)(
    "enforces UNIQUE(provider, model_name, date) in model_metrics and upserts into it",
    async () => {
      const model = uniqueName("model");
      for (let i = 0; i < 3; i++) {
        await handle.db
          .insertInto("model_metrics")
          .values({
            model_name: model,
            provider: "p",
            date: "2026-11-24",
            request_count: 1,
            total_latency_ms: 100,
          })
          .onConflict((oc) =>
            oc.columns(["provider", "model_name", "date"]).doUpdateSet((eb) => ({
              request_count: eb("model_metrics.request_count", "+", 1),
              total_latency_ms: eb("model_metrics.total_latency_ms", "+", 100),
            })),
          )
          .execute();
      }
      const metrics = await handle.db
        .selectFrom("model_metrics")
        .selectAll()
        .where("model_name", "=", model)
        .execute();
      expect(metrics).toHaveLength(1);
      expect(metrics[0]).toMatchObject({ request_count: 3, total_latency_ms: 300, date: "2026-11-24" });
    },
  );

  it.runIf(run)(
    "lists a video's events in the order they were stored, within one millisecond too",
    async () => {
      const user = await handle.db
        .insertInto("users")
        .values({ email: `${uniqueName("events")}@example.com` })
        .returning("id")
        .executeTakeFirstOrThrow();
      const video = await handle.db
        .insertInto("videos")
        .values({ user_id: user.id, options: "{}", tier_at_time: "free" })
        .returning("id")
        .executeTakeFirstOrThrow();
      // One timestamp for all: the ids are random uuids, so any order but the stored one shows up here.
      const at = new Date("2026-11-29T09:00:00.000Z");
      const stages = Array.from({ length: 40 }, (_, index) => `stage-${index}`);
      for (const stage of stages) {
        await handle.db
          .insertInto("job_events")
          .values({ video_id: video.id, stage, event: "started", created_at: at })
          .execute();
      }
      const events = await listJobEvents(handle.db, video.id);
      expect(events.map((event) => event.stage)).toEqual(stages);
      expect(new Set(events.map((event) => event.created_at.getTime()))).toEqual(new Set([at.getTime()]));
    },
  );

  it.runIf(run)("rolls back a failed transaction completely", async () => {
    const email = `${uniqueName("tx")}@example.com`;
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await trx.insertInto("users").values({ email }).execute();
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const found = await handle.db.selectFrom("users").select("id").where("email", "=", email).execute();
    expect(found).toEqual([]);
  });

  it.runIf(run)("serializes concurrent transactions without interleaving", async () => {
    const base = uniqueName("c");
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        handle.db.transaction().execute(async (trx) => {
          await trx
            .insertInto("users")
            .values({ email: `${base}-${i}@example.com` })
            .execute();
        }),
      ),
    );
    const rows = await handle.db
      .selectFrom("users")
      .select("email")
      .where("email", "like", `${base}-%`)
      .execute();
    expect(rows).toHaveLength(8);
  });
});

describe("embedded database on disk", () => {
  it("is migrated when a command opens a fresh folder, and persists across restarts", async () => {
    const { mkdtemp, rm } = await import("node:fs/promises");
    const os = await import("node:os");
    const path = await import("node:path");
    const dir = await mkdtemp(path.join(os.tmpdir(), "litink-db-"));
    const first = await openDatabase({ kind: "pglite", dataDir: dir });
    expect(await first.db.selectFrom("videos").select("id").execute()).toEqual([]);
    await first.db.insertInto("users").values({ email: "persist@example.com" }).execute();
    await first.close();
    const second = await createDatabase({ kind: "pglite", dataDir: dir });
    expect(await second.migrate()).toEqual([]);
    const rows = await second.db.selectFrom("users").select("email").execute();
    expect(rows.map((r) => r.email)).toEqual(["persist@example.com"]);
    await second.close();
    await rm(dir, { recursive: true, force: true });
  });
});

describe("closing the embedded database", () => {
  it("finishes the queries already sent and refuses later ones, instead of handing them to a closing PGlite", async () => {
    const handle = await openDatabase({ kind: "pglite", dataDir: "memory://" });
    // Sent and not awaited, as a fire-and-forget event insert would be, then the owner closes.
    const inFlight = handle.db.insertInto("users").values({ email: "late@example.com" }).execute();
    const closed = handle.close();
    const late = handle.db.selectFrom("users").select("email").execute();
    await expect(inFlight).resolves.toHaveLength(1);
    await expect(late).rejects.toMatchObject({ code: "db.closed" });
    await closed;
  });
});
