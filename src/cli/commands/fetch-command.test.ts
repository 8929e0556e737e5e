import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index.ts";
import { createDatabase } from "../../db/index.ts";
import { createObjectStore } from "../../storage/index.ts";
import { createFetchCommand } from "./fetch-command.ts";

describe("litink fetch", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("downloads a finished video's files, and refuses unknown and unfinished videos", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "litink-fetch-"));
    dirs.push(dataDir);
    const env = { ...process.env, DATABASE_URL: "", STORAGE_URL: "", LITINK_DATA_DIR: dataDir };
    const config = loadConfig({ env });
    const database = await createDatabase(config.database);
    await database.migrate();
    const storage = createObjectStore(config.storage);
    const insert = async (status: string, outputKey: string | null) =>
      (
        await database.db
          .insertInto("videos")
          .values({ options: JSON.stringify({}), tier_at_time: "free", status, output_key: outputKey })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    const done = await insert("succeeded", null);
    await database.db
      .updateTable("videos")
      .set({ output_key: `videos/${done}/story.mp4` })
      .where("id", "=", done)
      .execute();
    await storage.put(`videos/${done}/story.mp4`, new TextEncoder().encode("mp4"));
    await storage.put(`videos/${done}/receipt.json`, new TextEncoder().encode("{}"));
    const running = await insert("running", null);
    const fetch = (args: string[]) => {
      let text = "";
      return createFetchCommand({ env, database, output: { write: (t: string) => (text += t) } })
        .parseAsync(args, { from: "user" })
        .then(() => text);
    };
    try {
      const out = path.join(dataDir, "fetched");
      const printed = await fetch([done, "--out", out]);
      expect((await readdir(out)).sort()).toEqual(["receipt.json", "story.mp4"]);
      expect(await readFile(path.join(out, "story.mp4"), "utf8")).toBe("mp4");
      expect(printed).toContain(path.join(out, "story.mp4"));
      await expect(fetch([running])).rejects.toMatchObject({
        code: "cli.video_not_finished",
        userFacing: true,
      });
      await expect(fetch(["nope"])).rejects.toMatchObject({ code: "cli.unknown_video", userFacing: true });
    } finally {
      await storage.close();
      await database.close();
    }
  }, 120_000);
});
