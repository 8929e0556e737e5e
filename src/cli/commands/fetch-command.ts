import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Command } from "commander";
import { loadConfig } from "../../config/index.ts";
import { type DatabaseHandle, openDatabase } from "../../db/index.ts";
import { LitinkError } from "../../errors/index.ts";
import { createObjectStore } from "../../storage/index.ts";
import { findVideo } from "./find-video.ts";

/** What `litink fetch` reads and writes; everything defaults to the real process. */
export interface FetchCommandDependencies {
  /** @defaultValue process.env */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** @defaultValue process.stdout */
  readonly output?: { write(text: string): unknown } | undefined;
  /** The database to read, left open. @defaultValue the environment's, opened and closed by the command */
  readonly database?: DatabaseHandle | undefined;
}

/**
 * `litink fetch VIDEO_ID [--out DIR]`: downloads a finished video's files (the MP4, SRT and VTT
 * captions, script.json, receipt.json, qc.json, all stored under `videos/<id>/`) from the object store
 * (`STORAGE_URL`) into DIR, and prints each file's path. For videos rendered with `--detach`.
 */
export function createFetchCommand(dependencies: FetchCommandDependencies = {}): Command {
  const output = dependencies.output ?? process.stdout;
  return new Command("fetch")
    .description("download a finished video's MP4, captions, script, receipt and QC report")
    .argument("<video-id>", "the video's id (printed by litink render --detach)")
    .option("--out <dir>", "folder to download into", "out")
    .action(async (videoId: string, options: { out: string }) => {
      const config = loadConfig({ env: dependencies.env ?? process.env });
      const database = dependencies.database ?? (await openDatabase(config.database));
      const storage = createObjectStore(config.storage);
      try {
        const video = await findVideo(database, videoId);
        if (video.status !== "succeeded" || !video.output_key) {
          throw new LitinkError(
            "cli.video_not_finished",
            video.status === "failed" || video.status === "cancelled"
              ? `video ${videoId} ${video.status}, so it has no files to fetch; see \`litink status ${videoId}\``
              : `video ${videoId} is ${video.status}, not finished yet; wait with \`litink status ${videoId} --follow\`, then fetch it`,
            { userFacing: true, details: { status: video.status } },
          );
        }
        const objects = await storage.list(`videos/${videoId}/`);
        if (objects.length === 0) {
          throw new LitinkError(
            "cli.video_files_missing",
            `video ${videoId} finished, but the object store holds none of its files; check STORAGE_URL`,
            { userFacing: true },
          );
        }
        const dir = path.resolve(options.out);
        await mkdir(dir, { recursive: true });
        for (const object of objects) {
          const file = path.join(dir, path.posix.basename(object.key));
          await pipeline(await storage.get(object.key), createWriteStream(file));
          output.write(`${file}\n`);
        }
      } finally {
        await storage.close();
        if (!dependencies.database) await database.close();
      }
    });
}
