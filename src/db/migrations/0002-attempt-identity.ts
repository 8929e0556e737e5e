import { type Kysely, sql } from "kysely";

/**
 * Attempt identity for the router's ledger, and model metrics per provider.
 *
 * - `usage_logs`: an attempt is identified by (idempotency key, provider, model, try number of that
 *   model) instead of (idempotency key, global attempt number). A replayed call may skip a model whose
 *   breaker is now open, which would shift a global number onto another model's attempt; the model in
 *   the key keeps a replay from either duplicating a row or hiding a real new one.
 * - `model_metrics`: one row per (provider, model, day). The same model id is served by two providers
 *   (ElevenLabs' `eleven_multilingual_v2` directly and through ModelsLab), and their figures must not mix.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX usage_logs_idempotency`.execute(db);
  await sql`CREATE UNIQUE INDEX usage_logs_attempt
            ON usage_logs (idempotency_key, provider, model_used, attempt)
            WHERE idempotency_key IS NOT NULL`.execute(db);
  await db.schema.alterTable("model_metrics").dropConstraint("model_metrics_model_date").execute();
  await sql`UPDATE model_metrics SET provider = '' WHERE provider IS NULL`.execute(db);
  await db.schema
    .alterTable("model_metrics")
    .alterColumn("provider", (column) => column.setNotNull())
    .execute();
  await db.schema
    .alterTable("model_metrics")
    .addUniqueConstraint("model_metrics_provider_model_date", ["provider", "model_name", "date"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("model_metrics").dropConstraint("model_metrics_provider_model_date").execute();
  await db.schema
    .alterTable("model_metrics")
    .alterColumn("provider", (column) => column.dropNotNull())
    .execute();
  await db.schema
    .alterTable("model_metrics")
    .addUniqueConstraint("model_metrics_model_date", ["model_name", "date"])
    .execute();
  await sql`DROP INDEX usage_logs_attempt`.execute(db);
  await sql`CREATE UNIQUE INDEX usage_logs_idempotency ON usage_logs (idempotency_key, attempt)
            WHERE idempotency_key IS NOT NULL`.execute(db);
}
