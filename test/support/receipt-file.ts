/**
 * A video's `receipt.json` as the end-to-end tests read it, and the checks that it equals the ledger: the
 * `usage_logs` rows of the deployment's PostgreSQL database, read straight from it.
 */
import { readFile } from "node:fs/promises";
import pg from "pg";
import { expect } from "vitest";
import type { Receipt } from "../../src/pipeline/index.ts";

/** Reads and parses a `receipt.json` written by `litink render` or `litink fetch`. */
export async function readReceipt(file: string): Promise<Receipt> {
  return JSON.parse(await readFile(file, "utf8")) as Receipt;
}

/** Runs `use` with a connection to the database at `databaseUrl`, closing it afterwards. */
async function withClient<T>(databaseUrl: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * Asserts that `receipt` is video `videoId`'s and equals the ledger: it says so itself, and the job's
 * `usage_logs` rows in the database at `databaseUrl` are as many and sum to its total. Returns the rows'
 * count and total, for the caller's own checks.
 */
export async function expectReceiptEqualsLedger(
  databaseUrl: string,
  videoId: string,
  receipt: Receipt,
): Promise<{ rows: number; totalUsd: number }> {
  expect(receipt.videoId).toBe(videoId);
  expect(receipt.ledger.matches).toBe(true);
  const ledger = await withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ rows: number; total: string | null }>(
      "SELECT count(*)::int AS rows, sum(cost_usd)::text AS total FROM usage_logs WHERE job_id = $1",
      [videoId],
    );
    return { rows: rows[0]!.rows, totalUsd: Number(rows[0]!.total ?? 0) };
  });
  expect(ledger.rows).toBe(receipt.ledger.rows);
  expect(ledger.totalUsd).toBe(Number(receipt.totalUsd));
  return ledger;
}

/**
 * Asserts that the database at `databaseUrl` has one paid row per call (no idempotency key was charged
 * twice) and exactly `images` paid images (one per scene, however often a scene job ran).
 */
export async function expectPaidOnce(databaseUrl: string, images: number): Promise<void> {
  await withClient(databaseUrl, async (client) => {
    const twice = await client.query(
      "SELECT idempotency_key FROM usage_logs WHERE outcome = 'succeeded' AND cost_usd > 0 GROUP BY idempotency_key HAVING count(*) > 1",
    );
    expect(twice.rows).toEqual([]);
    const paid = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM usage_logs WHERE resource_type = 'image' AND outcome = 'succeeded'",
    );
    expect(paid.rows[0]!.n).toBe(images);
  });
}
