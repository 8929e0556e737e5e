import { Command } from "commander";
import { loadConfig } from "../../config/index.ts";
import { createDatabase } from "../../db/index.ts";

/** `litink migrate`: applies pending database migrations (the embedded database does this by itself). */
export function createMigrateCommand(): Command {
  return new Command("migrate").description("apply pending database migrations").action(async () => {
    const config = loadConfig();
    const database = await createDatabase(config.database);
    try {
      const applied = await database.migrate();
      const where = config.database.kind === "pglite" ? config.database.dataDir : "PostgreSQL (DATABASE_URL)";
      process.stdout.write(
        applied.length === 0
          ? `database is up to date (${where})\n`
          : `applied ${applied.length} migration(s) to ${where}: ${applied.join(", ")}\n`,
      );
    } finally {
      await database.close();
    }
  });
}
