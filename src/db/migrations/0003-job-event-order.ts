import { type Kysely, sql } from "kysely";

/**
 * `job_events.sequence_number`: the order events were stored in. `created_at` steps in milliseconds
 * on PGlite (and two events of one millisecond are common when scene jobs finish together), and its
 * tie-breaker was a random uuid, so `litink status` could list same-millisecond events in either
 * order. An identity column only grows, whatever the clock says. Existing rows are numbered in the
 * order the table holds them, which for this append-only table is the order they were written in.
 * Listing a video's events now walks the new (video_id, sequence_number) index instead of
 * (video_id, created_at).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE job_events
            ADD COLUMN sequence_number bigint GENERATED ALWAYS AS IDENTITY`.execute(db);
  await db.schema.dropIndex("job_events_video").execute();
  await db.schema
    .createIndex("job_events_video_sequence")
    .on("job_events")
    .columns(["video_id", "sequence_number"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("job_events_video_sequence").execute();
  await db.schema.alterTable("job_events").dropColumn("sequence_number").execute();
  await db.schema
    .createIndex("job_events_video")
    .on("job_events")
    .columns(["video_id", "created_at"])
    .execute();
}
