import type { DatabaseConfig } from "../config/index.ts";
import { type CreateDatabaseOptions, createDatabase, type DatabaseHandle } from "./create-database.ts";

/**
 * Opens the database named by `config` and applies its pending migrations, so that a command can read
 * any table whether the database is new (a fresh data folder) or was made by an older version.
 * Closes the database again when migrating fails. When it is up to date, this costs one query.
 */
export async function openDatabase(
  config: DatabaseConfig,
  options: CreateDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const database = await createDatabase(config, options);
  try {
    await database.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
