import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from "kysely";

/**
 * DECIMAL money columns: read as a decimal string ("0.000140"), written as a decimal string made by
 * `formatDecimal(micros)`. Never a JavaScript float.
 */
type Decimal = ColumnType<string, string, string>;
type NullableDecimal = ColumnType<string | null, string | null | undefined, string | null>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T extends object = Record<string, unknown>> = JSONColumnType<T, string, string>;
type NullableJson<T = Record<string, unknown>> = ColumnType<
  T | null,
  string | null | undefined,
  string | null
>;

export interface UsersTable {
  id: Generated<string>;
  email: string | null;
  display_name: string | null;
  created_at: CreatedAt;
}

export interface UserSubscriptionsTable {
  id: Generated<string>;
  user_id: string;
  tier: string;
  status: Generated<string>;
  current_period_start: NullableTimestamp;
  current_period_end: NullableTimestamp;
  video_count_limit: number | null;
  video_count_used: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface UsageLogsTable {
  id: Generated<string>;
  user_id: string | null;
  job_id: string | null;
  /** The capability: script, image, video, voice, voice_clone, lip_sync. */
  resource_type: string;
  provider: string;
  model_used: string;
  tier_at_time: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  /** Billable units (images, seconds, characters, requests) for non-token prices. */
  units: NullableDecimal;
  unit: string | null;
  duration_seconds: number | null;
  estimated_cost_usd: NullableDecimal;
  cost_usd: Decimal;
  /** succeeded, failed, cached, skipped. */
  outcome: string;
  error_code: string | null;
  /** The caller's key for one logical call; a replay with the same key records nothing twice. */
  idempotency_key: string | null;
  /** 1-based try number of this provider/model within the call: (key, provider, model, attempt) is unique. */
  attempt: Generated<number>;
  metadata: NullableJson;
  created_at: CreatedAt;
}

export interface CostAggregationsTable {
  id: Generated<string>;
  user_id: string;
  period_start: ColumnType<string, string, string>;
  period_end: ColumnType<string, string, string>;
  total_cost: Decimal;
  total_videos: Generated<number>;
  breakdown: NullableJson;
  created_at: CreatedAt;
}

export interface CostAlertsTable {
  id: Generated<string>;
  user_id: string;
  tier: string;
  /** The month the alert is about, "YYYY-MM". */
  period: string;
  /** alert (over the threshold) or downgrade (over 1.2x: cheapest chain used). */
  level: string;
  threshold_usd: Decimal;
  month_to_date_usd: Decimal;
  created_at: CreatedAt;
}

export interface ModelMetricsTable {
  id: Generated<string>;
  model_name: string;
  /** With model_name and date, the row's identity: the same model id may be served by two providers. */
  provider: string;
  date: ColumnType<string, string, string>;
  request_count: Generated<number>;
  success_count: Generated<number>;
  failure_count: Generated<number>;
  total_latency_ms: Generated<number>;
  avg_latency_ms: number | null;
  total_cost_usd: ColumnType<string, string | undefined, string>;
  avg_cost_usd: NullableDecimal;
}

export interface SourcesTable {
  id: Generated<string>;
  user_id: string | null;
  filename: string;
  format: string;
  kind: string;
  title: string | null;
  author: string | null;
  content_sha256: string;
  storage_key: string;
  document_key: string | null;
  bytes: number;
  created_at: CreatedAt;
}

export interface VideosTable {
  id: Generated<string>;
  user_id: string | null;
  source_id: string | null;
  chapters: string | null;
  options: Json;
  tier_at_time: string;
  /** pending, queued, running, succeeded, failed, cancelled. */
  status: Generated<string>;
  estimate_usd: NullableDecimal;
  actual_cost_usd: NullableDecimal;
  output_key: string | null;
  error: NullableJson;
  created_at: CreatedAt;
  updated_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface ScenesTable {
  id: Generated<string>;
  video_id: string;
  ordinal: number;
  chapter_ordinal: number | null;
  content_hash: string;
  status: Generated<string>;
  script: NullableJson;
  segment_asset_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AssetsTable {
  id: Generated<string>;
  /** The hash of the inputs that made this asset: the cache key looked up before any paid call. */
  input_key: string;
  /** The sha256 of the asset's bytes. */
  sha256: string;
  kind: string;
  storage_key: string;
  bytes: number;
  content_type: string | null;
  provider: string | null;
  model: string | null;
  cost_usd: Decimal;
  metadata: NullableJson;
  created_at: CreatedAt;
}

export interface JobEventsTable {
  id: Generated<string>;
  video_id: string | null;
  job_id: string | null;
  stage: string;
  scene_ordinal: number | null;
  /** started, progress, succeeded, failed, skipped. */
  event: string;
  message: string | null;
  cost_usd: NullableDecimal;
  data: NullableJson;
  created_at: CreatedAt;
  /** The order events were stored in (an identity column): list a video's events by it, not by time. */
  sequence_number: ColumnType<number, never, never>;
}

/** Every table LitinkAI keeps, as Kysely sees them. */
export interface Database {
  users: UsersTable;
  user_subscriptions: UserSubscriptionsTable;
  usage_logs: UsageLogsTable;
  cost_aggregations: CostAggregationsTable;
  cost_alerts: CostAlertsTable;
  model_metrics: ModelMetricsTable;
  sources: SourcesTable;
  videos: VideosTable;
  scenes: ScenesTable;
  assets: AssetsTable;
  job_events: JobEventsTable;
}

export type User = Selectable<UsersTable>;
export type NewUsageLog = Insertable<UsageLogsTable>;
export type UsageLog = Selectable<UsageLogsTable>;
export type NewAsset = Insertable<AssetsTable>;
export type Asset = Selectable<AssetsTable>;
export type Video = Selectable<VideosTable>;
export type VideoUpdate = Updateable<VideosTable>;
export type NewJobEvent = Insertable<JobEventsTable>;
export type JobEventRecord = Selectable<JobEventsTable>;
