import { mkdirSync } from "node:fs";
import { Kysely, type Migration, type MigrationResultSet, Migrator, PostgresDialect, sql } from "kysely";
import type pg from "pg";
import type { DatabaseConfig } from "../config/index.ts";
import { LitinkError } from "../errors/index.ts";
import { drainOnClose } from "./drain-on-close.ts";
import { MIGRATIONS } from "./migrations/index.ts";
import type { Database } from "./schema.ts";

/** PostgreSQL type OIDs whose default JavaScript mapping we override. */
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const DATE_OID = 1082;

/** A connected database: the Kysely instance and how to close it. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseConfig["kind"];
  /** Applies every pending migration; returns the names applied. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

/** Options for {@link createDatabase}. */
export interface CreateDatabaseOptions {
  /**
   * PostgreSQL only: the schema to work in (created if missing), for isolated test runs.
   * @defaultValue public
   */
  readonly schema?: string;
  /** PostgreSQL only. @defaultValue 10 */
  readonly maxConnections?: number;
}

/**
 * Opens the database named by `config`: embedded PGlite (a folder, or `memory://`) or PostgreSQL.
 * Both speak the same SQL; values come back the same way (int8 as number, numeric and date as strings).
 * Only the driver the configuration names is loaded. It does not migrate: commands open the database
 * with `openDatabase`, which does.
 */
export async function createDatabase(
  config: DatabaseConfig,
  options: CreateDatabaseOptions = {},
): Promise<DatabaseHandle> {
  if (config.kind === "pglite") {
    if (!config.dataDir.startsWith("memory://")) mkdirSync(config.dataDir, { recursive: true });
    const [{ PGlite }, { PGliteDialect }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("kysely-pglite-dialect"),
    ]);
    const client = await PGlite.create(config.dataDir, {
      parsers: {
        [INT8_OID]: (value: string) => Number(value),
        [NUMERIC_OID]: (value: string) => value,
        [DATE_OID]: (value: string) => value,
      },
    }).catch((cause: unknown) => {
      throw new LitinkError(
        "db.open_failed",
        `cannot open the embedded database at ${config.dataDir}: ${(cause as Error).message}`,
        { cause, details: { dataDir: config.dataDir } },
      );
    });
    const guard = drainOnClose(config.dataDir);
    const db = new Kysely<Database>({
      dialect: guard.dialect(new PGliteDialect(client)),
      plugins: [guard.plugin],
    });
    return {
      ...handle(db, "pglite", undefined),
      async close() {
        await guard.drain();
        await db.destroy();
      },
    };
  }

  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new LitinkError("db.invalid_schema", `invalid schema name "${schema}"`);
  }
  const { default: postgres } = await import("pg");
  const types = {
    getTypeParser: (oid: number, format?: "text" | "binary") => {
      if (oid === INT8_OID) return (value: string) => Number(value);
      if (oid === NUMERIC_OID || oid === DATE_OID) return (value: string) => value;
      return postgres.types.getTypeParser(oid, format as "text");
    },
  } as pg.CustomTypesConfig;
  if (schema !== undefined) {
    const setup = new postgres.Client({ connectionString: config.url });
    await connectOrExplain(setup, config.url);
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new postgres.Pool({
    connectionString: config.url,
    max: options.maxConnections ?? 10,
    types,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return handle(db, "postgres", schema);
}

function handle(
  db: Kysely<Database>,
  kind: DatabaseConfig["kind"],
  schema: string | undefined,
): DatabaseHandle {
  return {
    db,
    kind,
    migrate: () => migrate(db, schema),
    close: () => db.destroy(),
  };
}

async function migrate(db: Kysely<Database>, schema: string | undefined): Promise<string[]> {
  if (await isUpToDate(db, schema)) return [];
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async (): Promise<Record<string, Migration>> => ({ ...MIGRATIONS }) },
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName ?? "unknown";
    throw new LitinkError(
      "db.migration_failed",
      `database migration ${failed} failed: ${(error as Error).message}`,
      {
        cause: error,
        details: { migration: failed },
      },
    );
  }
  return (results ?? [])
    .filter((result) => result.status === "Success")
    .map((result) => result.migrationName);
}

/**
 * Whether the database has applied exactly the migrations this code knows, read in one query. Every
 * command opens the database, and the Migrator's own check (introspection, a lock table, a locked
 * transaction) takes eight queries; only when this says no does the Migrator run, and it then also
 * reports a database that is ahead of the code.
 */
async function isUpToDate(db: Kysely<Database>, schema: string | undefined): Promise<boolean> {
  const table = sql.table(schema === undefined ? "kysely_migration" : `${schema}.kysely_migration`);
  try {
    const { rows } = await sql<{ name: string }>`SELECT name FROM ${table}`.execute(db);
    const applied = new Set(rows.map((row) => row.name));
    return (
      applied.size === Object.keys(MIGRATIONS).length &&
      Object.keys(MIGRATIONS).every((name) => applied.has(name))
    );
  } catch {
    // No migration table yet (a new database): the Migrator creates it.
    return false;
  }
}

async function connectOrExplain(client: pg.Client, url: string): Promise<void> {
  try {
    await client.connect();
  } catch (cause) {
    const safeUrl = url.replace(/\/\/[^@/]*@/, "//***@");
    throw new LitinkError(
      "db.unreachable",
      `cannot connect to PostgreSQL at ${safeUrl}: ${(cause as Error).message}. Is the server running?`,
      { cause, retryable: true, userFacing: true },
    );
  }
}
