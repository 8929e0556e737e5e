import { type Kysely, sql } from "kysely";

/** The first schema: accounts and billing (product plan §4.1), sources, videos, scenes, assets, events. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const id = sql`gen_random_uuid()`;
  const now = sql`now()`;

  await db.schema
    .createTable("users")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(id))
    .addColumn("email", "text", (c) => c.unique())
    .addColumn("display_name", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("user_subscriptions")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(id))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("tier", "varchar(50)", (c) => c.notNull())
    .addColumn("status", "varchar(20)", (c) => c.notNull().defaultTo("active"))
    .addColumn("current_period_start", "timestamptz")
    .addColumn("current_period_end", "timestamptz")
    .addColumn("video_count_limit", "integer")
    .addColumn("video_count_used", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("usage_logs")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(id))
    .addColumn("user_id", "uuid", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("job_id", "text")
    .addColumn("resource_type", "varchar(50)", (c) => c.notNull())
    .addColumn("provider", "varchar(50)", (c) => c.notNull())
    .addColumn("model_used", "varchar(200)", (c) => c.notNull())
    .addColumn("tier_at_time", "varchar(50)")
    .addColumn("input_tokens", "integer")
    .addColumn("output_tokens", "integer")
    .addColumn("units", "decimal(18, 6)")
    .addColumn("unit", "varchar(20)")
    .addColumn("duration_seconds", "double precision")
    .addColumn("estimated_cost_usd", "decimal(14, 6)")
    .addColumn("cost_usd", "decimal(14, 6)", (c) => c.notNull())
    .addColumn("outcome", "varchar(20)", (c) => c.notNull())
    .addColumn("error_code", "varchar(100)")
    .addColumn("idempotency_key", "text")
    .addColumn("attempt", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("metadata", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  // One row per attempt of one idempotent call: a replay writes nothing new.
  await sql`CREATE UNIQUE INDEX usage_logs_idempotency ON usage_logs (idempotency_key, attempt)
            WHERE idempotency_key IS NOT NULL`.execute(db);
  await db.schema
    .createIndex("usage_logs_user_month")
    .on("usage_logs")
    .columns(["user_id", "created_at"])
    .execute();
  await db.schema.createIndex("usage_logs_job").on("usage_logs").column("job_id").execute();

  await db.schema
    .createTable("cost_aggregations")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(id))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("period_start", "date", (c) => c.notNull())
    .addColumn("period_end", "date", (c) => c.notNull())
    .addColumn("total_cost", "decimal(14, 6)", (c) => c.notNull())
    .addColumn("total_videos", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("breakdown", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("cost_aggregations_user_period", ["user_id", "period_start"])
    .execute();

  await db.schema
    .createTable("cost_alerts")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(id))
    .addColumn("user_id", "uuid", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("tier", "varchar(50)", (c) => c.notNull())
    .addColumn("period", "varchar(7)", (c) => c.notNull())
    .addColumn("level", "varchar(20)", (c) => c.notNull())
    .addColumn("threshold_usd", "decimal(14, 6)", (c) => c.notNull())
    .addColumn("month_to_date_usd", "decimal(14, 6)", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("cost_alerts_once", ["user_id", "period", "level"])
    .execute();

  await db.schema
    .createTable("model_metrics")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(id))
    .addColumn("model_name", "varchar(200)", (c) => c.notNull())
    .addColumn("provider", "varchar(50)")
    .addColumn("date", "date", (c) => c.notNull())
    .addColumn("request_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("success_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("failure_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("total_latency_ms", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("avg_latency_ms", "double precision")
    .addColumn("total_cost_usd", "decimal(14, 6)", (c) => c.notNull().defaultTo(0))
    .addColumn("avg_cost_usd", "decimal(14, 6)")
    .addUniqueConstraint("model_metrics_model_date", ["model_name", "date"])
    .execute();

  await db.schema
    .createTable("sources")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(id))
    .addColumn("user_id", "uuid", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("filename", "text", (c) => c.notNull())
    .addColumn("format", "varchar(20)", (c) => c.notNull())
    .addColumn("kind", "varchar(20)", (c) => c.notNull())
    .addColumn("title", "text")
    .addColumn("author", "text")
    .addColumn("content_sha256", "char(64)", (c) => c.notNull())
    .addColumn("storage_key", "text", (c) => c.notNull())
    .addColumn("document_key", "text")
    .addColumn("bytes", "bigint", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("videos")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(id))
    .addColumn("user_id", "uuid", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("source_id", "uuid", (c) => c.references("sources.id").onDelete("set null"))
    .addColumn("chapters", "text")
    .addColumn("options", "jsonb", (c) => c.notNull())
    .addColumn("tier_at_time", "varchar(50)", (c) => c.notNull())
    .addColumn("status", "varchar(20)", (c) => c.notNull().defaultTo("pending"))
    .addColumn("estimate_usd", "decimal(14, 6)")
    .addColumn("actual_cost_usd", "decimal(14, 6)")
    .addColumn("output_key", "text")
    .addColumn("error", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("started_at", "timestamptz")
    .addColumn("finished_at", "timestamptz")
    .execute();

  await db.schema
    .createTable("scenes")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(id))
    .addColumn("video_id", "uuid", (c) => c.notNull().references("videos.id").onDelete("cascade"))
    .addColumn("ordinal", "integer", (c) => c.notNull())
    .addColumn("chapter_ordinal", "integer")
    .addColumn("content_hash", "char(64)", (c) => c.notNull())
    .addColumn("status", "varchar(20)", (c) => c.notNull().defaultTo("pending"))
    .addColumn("script", "jsonb")
    .addColumn("segment_asset_id", "uuid")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint("scenes_video_ordinal", ["video_id", "ordinal"])
    .execute();

  await db.schema
    .createTable("assets")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(id))
    .addColumn("input_key", "varchar(128)", (c) => c.notNull().unique())
    .addColumn("sha256", "char(64)", (c) => c.notNull())
    .addColumn("kind", "varchar(30)", (c) => c.notNull())
    .addColumn("storage_key", "text", (c) => c.notNull())
    .addColumn("bytes", "bigint", (c) => c.notNull())
    .addColumn("content_type", "varchar(100)")
    .addColumn("provider", "varchar(50)")
    .addColumn("model", "varchar(200)")
    .addColumn("cost_usd", "decimal(14, 6)", (c) => c.notNull().defaultTo(0))
    .addColumn("metadata", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("assets_sha256").on("assets").column("sha256").execute();

  await db.schema
    .createTable("job_events")
    .addColumn("id", "uuid", (c) => c.primaryKey().defaultTo(id))
    .addColumn("video_id", "uuid", (c) => c.references("videos.id").onDelete("cascade"))
    .addColumn("job_id", "text")
    .addColumn("stage", "varchar(50)", (c) => c.notNull())
    .addColumn("scene_ordinal", "integer")
    .addColumn("event", "varchar(20)", (c) => c.notNull())
    .addColumn("message", "text")
    .addColumn("cost_usd", "decimal(14, 6)")
    .addColumn("data", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("job_events_video")
    .on("job_events")
    .columns(["video_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "job_events",
    "assets",
    "scenes",
    "videos",
    "sources",
    "model_metrics",
    "cost_alerts",
    "cost_aggregations",
    "usage_logs",
    "user_subscriptions",
    "users",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
