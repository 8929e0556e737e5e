import type { DatabaseHandle } from "../../db/index.ts";
import { LitinkError } from "../../errors/index.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The video's row, or the error a user sees for an id the database does not know (or that is no uuid). */
export async function findVideo(database: DatabaseHandle, videoId: string) {
  const video = UUID.test(videoId)
    ? await database.db.selectFrom("videos").selectAll().where("id", "=", videoId).executeTakeFirst()
    : undefined;
  if (!video) {
    throw new LitinkError(
      "cli.unknown_video",
      `no video ${videoId} in the database; check the id litink render printed (and DATABASE_URL)`,
      { userFacing: true },
    );
  }
  return video;
}
