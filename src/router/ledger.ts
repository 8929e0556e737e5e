import { type Kysely, sql } from "kysely";
import type { Capability, ModelPrice, TierName } from "../config/index.ts";
import type { Database } from "../db/index.ts";
import { LitinkError } from "../errors/index.ts";
import { formatDecimal, type Micros, parseUsd } from "../money/index.ts";

/** One attempt as the ledger stores it. */
export interface LedgerEntry {
  readonly userId?: string | undefined;
  readonly jobId?: string | undefined;
  readonly tier: TierName;
  readonly capability: Capability;
  readonly provider: string;
  /** The chain model (as in config/models.yaml) the attempt was made on. */
  readonly model: string;
  readonly unit: ModelPrice["unit"];
  /** Billable units for non-token prices (images, seconds, characters, requests). */
  readonly units?: number | undefined;
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  readonly latencyMs: number;
  readonly estimatedCostMicros: Micros;
  readonly costMicros: Micros;
  readonly outcome: "succeeded" | "failed";
  readonly errorCode?: string | undefined;
  readonly idempotencyKey: string;
  /** 1-based try number of this model within the call. */
  readonly attempt: number;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  /** When the attempt ended; decides the month (cost guard) and the day (model metrics). */
  readonly at: Date;
}

/**
 * The cost ledger: every attempt written exactly once to `usage_logs` and rolled into `model_metrics`
 * (per provider, model and UTC day) in one atomic statement. A replay of an attempt already recorded
 * (same idempotency key, provider, model and try number) writes nothing.
 */
export class Ledger {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Records one attempt and its metrics. A success whose try number a failure of an earlier run of the
   * call already holds (a retried job whose first run found the model down) is new spend: it is written
   * after the call's last recorded try of that model, unless a success of the call on it is recorded.
   * @returns true when written, false when the ledger already held it (an idempotent replay)
   * @throws LitinkError `router.ledger_failed` (retryable) when the database refuses the write
   */
  async record(entry: LedgerEntry): Promise<boolean> {
    if (await this.#insert(entry)) return true;
    if (entry.outcome !== "succeeded") return false;
    try {
      const earlier = await this.#db
        .selectFrom("usage_logs")
        .select((eb) => [
          eb.fn.max<number>("attempt").as("last"),
          eb.fn.countAll<string>().filterWhere("outcome", "=", "succeeded").as("succeeded"),
        ])
        .where("idempotency_key", "=", entry.idempotencyKey)
        .where("provider", "=", entry.provider)
        .where("model_used", "=", entry.model)
        .executeTakeFirstOrThrow();
      if (Number(earlier.succeeded) > 0) return false;
      return await this.#insert({ ...entry, attempt: Number(earlier.last ?? 0) + 1 });
    } catch (cause) {
      if (cause instanceof LitinkError) throw cause;
      throw ledgerFailed(entry, cause);
    }
  }

  /** Inserts the attempt's row and rolls it into the metrics, unless its try is recorded; whether it was. */
  async #insert(entry: LedgerEntry): Promise<boolean> {
    const succeeded = entry.outcome === "succeeded" ? 1 : 0;
    const latency = Math.round(entry.latencyMs);
    const cost = formatDecimal(entry.costMicros);
    try {
      // One statement, so one round trip and atomic without a transaction: the usage row is inserted
      // unless the attempt is already recorded, and the metrics are upserted from what was inserted
      // (nothing on a replay). RETURNING yields a row only when both happened.
      const written = await this.#db
        .with("inserted", (db) =>
          db
            .insertInto("usage_logs")
            .values({
              user_id: entry.userId ?? null,
              job_id: entry.jobId ?? null,
              resource_type: entry.capability,
              provider: entry.provider,
              model_used: entry.model,
              tier_at_time: entry.tier,
              input_tokens: entry.inputTokens ?? null,
              output_tokens: entry.outputTokens ?? null,
              units: entry.units === undefined ? null : String(roundUnits(entry.units)),
              unit: entry.unit,
              duration_seconds: entry.latencyMs / 1000,
              estimated_cost_usd: formatDecimal(entry.estimatedCostMicros),
              cost_usd: cost,
              outcome: entry.outcome,
              error_code: entry.errorCode ?? null,
              idempotency_key: entry.idempotencyKey,
              attempt: entry.attempt,
              metadata: entry.metadata === undefined ? null : JSON.stringify(entry.metadata),
              created_at: entry.at,
            })
            .onConflict((conflict) =>
              conflict
                .columns(["idempotency_key", "provider", "model_used", "attempt"])
                .where("idempotency_key", "is not", null)
                .doNothing(),
            )
            .returning("id"),
        )
        .insertInto("model_metrics")
        .columns([
          "model_name",
          "provider",
          "date",
          "request_count",
          "success_count",
          "failure_count",
          "total_latency_ms",
          "avg_latency_ms",
          "total_cost_usd",
          "avg_cost_usd",
        ])
        .expression((eb) =>
          eb
            .selectFrom("inserted")
            .select([
              sql<string>`${entry.model}::varchar`.as("model_name"),
              sql<string>`${entry.provider}::varchar`.as("provider"),
              sql<string>`${entry.at.toISOString().slice(0, 10)}::date`.as("date"),
              sql<number>`1`.as("request_count"),
              sql<number>`${succeeded}::int`.as("success_count"),
              sql<number>`${1 - succeeded}::int`.as("failure_count"),
              sql<number>`${latency}::bigint`.as("total_latency_ms"),
              sql<number>`${latency}::double precision`.as("avg_latency_ms"),
              sql<string>`${cost}::numeric`.as("total_cost_usd"),
              sql<string>`${succeeded ? cost : null}::numeric`.as("avg_cost_usd"),
            ]),
        )
        .onConflict((conflict) =>
          conflict.columns(["provider", "model_name", "date"]).doUpdateSet({
            request_count: sql`model_metrics.request_count + 1`,
            success_count: sql`model_metrics.success_count + excluded.success_count`,
            failure_count: sql`model_metrics.failure_count + excluded.failure_count`,
            total_latency_ms: sql`model_metrics.total_latency_ms + excluded.total_latency_ms`,
            avg_latency_ms: sql`(model_metrics.total_latency_ms + excluded.total_latency_ms)::double precision
              / (model_metrics.request_count + 1)`,
            total_cost_usd: sql`model_metrics.total_cost_usd + excluded.total_cost_usd`,
            avg_cost_usd: sql`case when model_metrics.success_count + excluded.success_count > 0
              then round((model_metrics.total_cost_usd + excluded.total_cost_usd)
                / (model_metrics.success_count + excluded.success_count), 6)
              else null end`,
          }),
        )
        .returning("model_metrics.id")
        .executeTakeFirst();
      return written !== undefined;
    } catch (cause) {
      throw ledgerFailed(entry, cause);
    }
  }

  /** The user's recorded cost from `from` (inclusive) to `to` (exclusive). */
  async costBetween(userId: string, from: Date, to: Date): Promise<Micros> {
    const row = await this.#db
      .selectFrom("usage_logs")
      .select(sql<string>`coalesce(sum(cost_usd), 0)::text`.as("total"))
      .where("user_id", "=", userId)
      .where("created_at", ">=", from)
      .where("created_at", "<", to)
      .executeTakeFirstOrThrow();
    return parseUsd(row.total);
  }

  /** The recorded cost of every attempt of one idempotent call (what a receipt line should show). */
  async costOfCall(idempotencyKey: string): Promise<Micros> {
    const row = await this.#db
      .selectFrom("usage_logs")
      .select(sql<string>`coalesce(sum(cost_usd), 0)::text`.as("total"))
      .where("idempotency_key", "=", idempotencyKey)
      .executeTakeFirstOrThrow();
    return parseUsd(row.total);
  }
}

/** The error of a ledger write the database refused. */
function ledgerFailed(entry: LedgerEntry, cause: unknown): LitinkError {
  return new LitinkError(
    "router.ledger_failed",
    `could not record the ${entry.capability} call to ${entry.provider}/${entry.model} in usage_logs: ${(cause as Error).message}`,
    { cause, retryable: true, details: { idempotencyKey: entry.idempotencyKey, attempt: entry.attempt } },
  );
}

function roundUnits(units: number): number {
  return Math.round(units * 1_000_000) / 1_000_000;
}
