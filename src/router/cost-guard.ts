import type { Kysely } from "kysely";
import type { AppConfig, TierName } from "../config/index.ts";
import type { Database } from "../db/index.ts";
import type { Logger } from "../logging/index.ts";
import { formatDecimal, formatUsd, type Micros } from "../money/index.ts";
import type { Ledger } from "./ledger.ts";

/** What the cost guard decided for one call. */
export type CostVerdict = "ok" | "alert" | "downgrade";

interface MonthToDate {
  readonly period: string;
  micros: Micros;
  readAt: number;
}

/** Resources of a {@link CostGuard}. */
export interface CostGuardResources {
  readonly config: AppConfig;
  readonly db: Kysely<Database>;
  readonly ledger: Ledger;
  readonly logger: Logger;
  readonly now: () => number;
  /** How long a cached month-to-date figure is trusted before the ledger is read again. */
  readonly refreshMs: number;
}

/**
 * The cost guard of product plan §4.2: before each call, the user's month-to-date cost is compared with
 * the tier's monthly alert threshold. Above it, an alert is recorded once per month (`cost_alerts` row
 * and a `cost_alert` log event); above 1.2x, the verdict is `downgrade` and the router uses the cheapest
 * chain. Month-to-date is read from the ledger and cached per user for `refreshMs`, with this process's
 * own recorded costs added as they happen, so the check costs no query on most calls.
 */
export class CostGuard {
  readonly #resources: CostGuardResources;
  readonly #monthToDate = new Map<string, MonthToDate>();
  readonly #alerted = new Set<string>();

  constructor(resources: CostGuardResources) {
    this.#resources = resources;
  }

  /** The verdict for the next call of `userId` on `tier`. */
  async check(userId: string, tier: TierName): Promise<CostVerdict> {
    const threshold = this.#resources.config.tiers[tier].monthlyCostAlertMicros;
    if (threshold === null) return "ok";
    const now = this.#resources.now();
    const spent = await this.#spent(userId, now);
    if (spent <= threshold) return "ok";
    const period = periodOf(now);
    await this.#alert(userId, tier, period, "alert", threshold, spent);
    // 1.2x the threshold, exactly, in integers: spent > threshold * 6 / 5.
    if (spent * 5 <= threshold * 6) return "alert";
    await this.#alert(userId, tier, period, "downgrade", threshold, spent);
    return "downgrade";
  }

  /** Adds a cost this process just recorded to the cached month-to-date. */
  add(userId: string, micros: Micros, at: Date): void {
    const cached = this.#monthToDate.get(userId);
    if (cached !== undefined && cached.period === periodOf(at.getTime())) cached.micros += micros;
  }

  async #spent(userId: string, now: number): Promise<Micros> {
    const period = periodOf(now);
    const cached = this.#monthToDate.get(userId);
    if (cached?.period === period && now - cached.readAt < this.#resources.refreshMs) return cached.micros;
    const date = new Date(now);
    const from = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
    const to = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
    const micros = await this.#resources.ledger.costBetween(userId, from, to);
    this.#monthToDate.set(userId, { period, micros, readAt: now });
    return micros;
  }

  async #alert(
    userId: string,
    tier: TierName,
    period: string,
    level: "alert" | "downgrade",
    threshold: Micros,
    spent: Micros,
  ): Promise<void> {
    const key = `${userId}:${period}:${level}`;
    if (this.#alerted.has(key)) return;
    const inserted = await this.#resources.db
      .insertInto("cost_alerts")
      .values({
        user_id: userId,
        tier,
        period,
        level,
        threshold_usd: formatDecimal(threshold),
        month_to_date_usd: formatDecimal(spent),
      })
      .onConflict((conflict) => conflict.columns(["user_id", "period", "level"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    this.#alerted.add(key);
    if (inserted === undefined) return;
    this.#resources.logger.warn(
      {
        event: "cost_alert",
        userId,
        tier,
        period,
        level,
        thresholdUsd: formatUsd(threshold),
        monthToDateUsd: formatUsd(spent),
      },
      level === "alert"
        ? `user ${userId} passed the ${tier} tier's monthly cost alert (${formatUsd(spent)} > ${formatUsd(threshold)})`
        : `user ${userId} passed 1.2x the ${tier} tier's monthly cost alert (${formatUsd(spent)}): using the cheapest models`,
    );
  }
}

/** The month of a time, "YYYY-MM" in UTC. */
function periodOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}
