import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, type Migration, type MigrationResultSet, Migrator, PostgresDialect } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import type { DatabaseConfig } from "../config/index.ts";
import { LitinkError } from "../errors/index.ts";
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
 */
export async function createDatabase(
  config: DatabaseConfig,
  options: CreateDatabaseOptions = {},
): Promise<DatabaseHandle> {
  if (config.kind === "pglite") {
    if (!config.dataDir.startsWith("memory://")) mkdirSync(config.dataDir, { recursive: true });
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
    const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
    return handle(db, "pglite", undefined);
  }

  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new LitinkError("db.invalid_schema", `invalid schema name "${schema}"`);
  }
  const types = {
    getTypeParser: (oid: number, format?: "text" | "binary") => {
      if (oid === INT8_OID) return (value: string) => Number(value);
      if (oid === NUMERIC_OID || oid === DATE_OID) return (value: string) => value;
      return pg.types.getTypeParser(oid, format as "text");
    },
  } as pg.CustomTypesConfig;
  if (schema !== undefined) {
    const setup = new pg.Client({ connectionString: config.url });
    await connectOrExplain(setup, config.url);
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
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
