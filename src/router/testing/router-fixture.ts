import { Writable } from "node:stream";
import { pino } from "pino";
import { type AppConfig, loadConfig } from "../../config/index.ts";
import { createDatabase, type DatabaseHandle } from "../../db/index.ts";
import type { Logger } from "../../logging/index.ts";

/** Every remote provider key set: the router sees all three providers as configured. */
const ALL_KEYS = {
  OPENROUTER_API_KEY: "test-openrouter",
  MODELSLAB_API_KEY: "test-modelslab",
  ELEVENLABS_API_KEY: "test-elevenlabs",
} as const;

/** The project's own config/tiers.yaml and config/models.yaml, with only the given variables set. */
export function testConfig(env: Record<string, string> = ALL_KEYS): AppConfig {
  return loadConfig({ env: { LITINK_DATA_DIR: "/nonexistent-router-test", ...env } });
}

/** A config whose chains for one capability are replaced (the real file's entries rearranged). */
export function withChains(
  config: AppConfig,
  capability: keyof AppConfig["models"]["chains"],
  chains: Partial<AppConfig["models"]["chains"]["script"]>,
): AppConfig {
  return {
    ...config,
    models: {
      ...config.models,
      chains: {
        ...config.models.chains,
        [capability]: { ...config.models.chains[capability], ...chains },
      },
    },
  };
}

/** A migrated database: in-memory PGlite, or PostgreSQL in a fresh schema. */
export async function openTestDatabase(
  kind: "pglite" | "postgres",
  postgresUrl: string,
  schema: string,
): Promise<DatabaseHandle> {
  const handle =
    kind === "pglite"
      ? await createDatabase({ kind: "pglite", dataDir: "memory://" })
      : await createDatabase({ kind: "postgres", url: postgresUrl }, { schema, maxConnections: 4 });
  await handle.migrate();
  return handle;
}

/** Drops a PostgreSQL test schema (no-op on PGlite). */
export async function dropTestSchema(handle: DatabaseHandle, schema: string): Promise<void> {
  if (handle.kind === "postgres") {
    const { sql } = await import("kysely");
    await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(handle.db);
  }
}

/** Inserts a user and returns its id. */
export async function createUser(handle: DatabaseHandle): Promise<string> {
  const row = await handle.db
    .insertInto("users")
    .values({ display_name: "router test" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A logger whose JSON lines are kept in `lines` for assertions. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { logger: pino({ level: "debug" }, destination), lines };
}
