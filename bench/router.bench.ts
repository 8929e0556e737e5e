/**
 * `npm run bench:router`: the model router's own overhead per call against an instant in-process
 * provider (p50/p99 in microseconds; target p99 <= 1 ms), against the baseline of calling that provider
 * directly, and the ledger's write throughput on PGlite and PostgreSQL.
 *
 * - overhead: route() with the ledger write stubbed out, so the figure is the router's CPU work (chain,
 *   token estimate, cost guard from cache, rate limiter, breaker, timeout, retry, cost); the same with
 *   the real PGlite ledger is printed too (and in the JSON as *_with_pglite_ledger_us).
 * - ledger: rows per second of Ledger.record (usage_logs insert + model_metrics upsert, one transaction
 *   per attempt: one INSERT with a data-modifying CTE), 8 writers at once as scenes route in parallel; one writer printed too.
 *
 * On a loaded machine the p99 is set by the machine (preemption, GC pauses stretched while the GC's
 * helper threads wait for a core), not by the router's code: a CPU spin of the median call's length is
 * timed the same way as a control, and the load average is printed.
 *
 * The last line is one JSON object: p50_us, p99_us, ledger_rows_per_s_pglite, ledger_rows_per_s_postgres.
 */
import { randomUUID } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { createDatabase, type DatabaseHandle } from "../src/db/index.ts";
import { createSilentLogger } from "../src/logging/index.ts";
import type { TextRequest } from "../src/providers/index.ts";
import { createRouter, Ledger, type LedgerEntry } from "../src/router/index.ts";
import { FakeProvider } from "../src/router/testing/fake-provider.ts";
import { testConfig } from "../src/router/testing/router-fixture.ts";
import { serviceAvailable, TEST_DATABASE_URL, uniqueName } from "../test/support/services.ts";

const WARMUP = 500;
const CALLS = Number(process.env.BENCH_ROUTER_CALLS ?? 5000);
const LEDGER_ROWS = Number(process.env.BENCH_LEDGER_ROWS ?? 2000);
const WRITERS = 8;

const REQUEST: TextRequest = {
  messages: [
    { role: "system", content: "You adapt book chapters into screenplay scenes as JSON." },
    {
      role: "user",
      content:
        "It was a bright cold day in April, and the clocks were striking thirteen. The keeper climbed the " +
        "stairs of the lighthouse with the lamp oil, counting the steps as his father had taught him, and " +
        "at the top he found the window open and the logbook gone. Adapt this passage into one scene.",
    },
  ],
  maxOutputTokens: 400,
};

/** A ledger that writes nothing: isolates the router's own work from database I/O. */
class DiscardingLedger extends Ledger {
  override async record(_entry: LedgerEntry): Promise<boolean> {
    return true;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

async function timeEach(count: number, run: (index: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    await run(i);
    samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  return samples.sort((a, b) => a - b);
}

async function overhead(handle: DatabaseHandle, ledger: Ledger | undefined) {
  const provider = new FakeProvider("openrouter", { capabilities: ["script"] });
  const userRow = await handle.db
    .insertInto("users")
    .values({ display_name: "bench" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const router = createRouter({
    config: testConfig(),
    db: handle.db,
    providers: [provider],
    logger: createSilentLogger(),
    ledger,
    // The limiter still runs on every call; only its ceiling is lifted so thousands of calls fit a minute.
    policy: { rateLimits: { default: { requestsPerMinute: 1e9, maxConcurrent: 1000 } } },
  });
  const runId = randomUUID();
  const route = (i: number) =>
    router.route("script", REQUEST, {
      tier: "basic",
      userId: userRow.id,
      idempotencyKey: `bench:${runId}:${i}`,
    });
  await timeEach(WARMUP, (i) => route(-1 - i));
  return timeEach(CALLS, route);
}

async function baseline() {
  const model = new FakeProvider("openrouter", { capabilities: ["script"] }).model(
    "script",
    "deepseek/deepseek-chat",
  );
  await timeEach(WARMUP, () => model.generate(REQUEST));
  return timeEach(CALLS, () => model.generate(REQUEST));
}

function entry(i: number, runId: string): LedgerEntry {
  return {
    tier: "basic",
    capability: "image",
    provider: "modelslab",
    model: `bench-model-${i % 4}`,
    unit: "image",
    units: 1,
    latencyMs: 120,
    estimatedCostMicros: 4000,
    costMicros: 4000,
    outcome: i % 10 === 0 ? "failed" : "succeeded",
    idempotencyKey: `bench-ledger:${runId}:${i}`,
    attempt: 1,
    at: new Date(),
  };
}

async function ledgerThroughput(handle: DatabaseHandle, writers: number): Promise<number> {
  const ledger = new Ledger(handle.db);
  const runId = randomUUID();
  for (let i = 0; i < 50; i++) await ledger.record(entry(i, `${runId}-warm`));
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < LEDGER_ROWS) {
        const i = next++;
        await ledger.record(entry(i, runId));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Math.round(LEDGER_ROWS / seconds);
}

const fmt = (us: number) => `${us.toFixed(1)} µs`;

// p99 on a shared machine is mostly scheduling: say how busy it was.
console.log(
  `machine: ${availableParallelism()} cores, load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(" ")}`,
);
const pglite = await createDatabase({ kind: "pglite", dataDir: "memory://" });
await pglite.migrate();

const direct = await baseline();
const routed = await overhead(pglite, new DiscardingLedger(pglite.db));
const routedWithLedger = await overhead(pglite, undefined);
// A CPU spin as long as the router's median call: its p99 is what preemption alone does to a call of
// that length on this machine right now (it allocates nothing, so it sees no GC pause).
const spinMicros = percentile(routed, 50);
const spin = await timeEach(CALLS, async () => {
  const until = process.hrtime.bigint() + BigInt(Math.round(spinMicros * 1000));
  while (process.hrtime.bigint() < until) {
    // spin
  }
});
console.log(
  `router overhead, ${CALLS} calls to an instant in-process provider (after ${WARMUP} warm-up calls)`,
);
console.log(
  `  direct provider call (baseline)   p50 ${fmt(percentile(direct, 50))}  p99 ${fmt(percentile(direct, 99))}`,
);
console.log(
  `  route(), ledger write stubbed     p50 ${fmt(percentile(routed, 50))}  p99 ${fmt(percentile(routed, 99))}  ` +
    `(${(percentile(routed, 50) / percentile(direct, 50)).toFixed(1)}x the baseline median)`,
);
console.log(
  `    ${((100 * routed.filter((us) => us > 1000).length) / routed.length).toFixed(1)}% of calls over 1 ms`,
);
console.log(
  `  CPU spin as long as the median call (no allocation, no GC)  p50 ${fmt(percentile(spin, 50))}  p99 ${fmt(percentile(spin, 99))}`,
);
console.log(
  `  route(), PGlite ledger            p50 ${fmt(percentile(routedWithLedger, 50))}  p99 ${fmt(percentile(routedWithLedger, 99))}`,
);

const pgliteSequential = await ledgerThroughput(pglite, 1);
const pgliteRows = await ledgerThroughput(pglite, WRITERS);
await pglite.close();
console.log(`ledger writes, ${LEDGER_ROWS} attempts (usage_logs + model_metrics, one statement each)`);
console.log(`  PGlite       1 writer ${pgliteSequential} rows/s, ${WRITERS} writers ${pgliteRows} rows/s`);

let postgresRows: number | null = null;
if (await serviceAvailable("PostgreSQL", TEST_DATABASE_URL)) {
  const schema = uniqueName("bench_router");
  const postgres = await createDatabase(
    { kind: "postgres", url: TEST_DATABASE_URL },
    { schema, maxConnections: WRITERS },
  );
  try {
    await postgres.migrate();
    const postgresSequential = await ledgerThroughput(postgres, 1);
    postgresRows = await ledgerThroughput(postgres, WRITERS);
    console.log(
      `  PostgreSQL   1 writer ${postgresSequential} rows/s, ${WRITERS} writers ${postgresRows} rows/s`,
    );
    console.log(
      `  ratio PostgreSQL / PGlite (${WRITERS} writers): ${(postgresRows / pgliteRows).toFixed(2)}`,
    );
  } finally {
    const { sql } = await import("kysely");
    await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(postgres.db);
    await postgres.close();
  }
}

console.log(
  JSON.stringify({
    p50_us: Math.round(percentile(routed, 50) * 10) / 10,
    p99_us: Math.round(percentile(routed, 99) * 10) / 10,
    ledger_rows_per_s_pglite: pgliteRows,
    ledger_rows_per_s_postgres: postgresRows,
    p50_with_pglite_ledger_us: Math.round(percentile(routedWithLedger, 50) * 10) / 10,
    p99_with_pglite_ledger_us: Math.round(percentile(routedWithLedger, 99) * 10) / 10,
    p99_spin_same_length_us: Math.round(percentile(spin, 99) * 10) / 10,
  }),
);
