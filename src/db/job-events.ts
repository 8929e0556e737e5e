import type { Kysely } from "kysely";
import type { Database, JobEventRecord } from "./schema.ts";

/**
 * A video's stored job events in the order they were stored: by `sequence_number`, never by
 * `created_at`, whose clock steps in milliseconds while many events share one.
 */
export function listJobEvents(db: Kysely<Database>, videoId: string): Promise<JobEventRecord[]> {
  return db
    .selectFrom("job_events")
    .selectAll()
    .where("video_id", "=", videoId)
    .orderBy("sequence_number")
    .execute();
}
