import type { DatabaseConnection, Dialect, Driver, KyselyPlugin } from "kysely";
import { LitinkError } from "../errors/index.ts";

/**
 * Closes an embedded database safely. PGlite spins for ever (timers and all) when its `close()` runs
 * while a query is still in flight, and fire-and-forget writes make that easy to hit. The guard counts
 * the connections Kysely holds (every query and transaction holds one), refuses queries once closing
 * starts, and lets the in-flight ones finish before the database is closed.
 */
export interface DrainOnClose {
  /** Wraps the dialect so its connections are counted. */
  dialect(inner: Dialect): Dialect;
  /** Refuses every query compiled once {@link DrainOnClose.drain} has begun. */
  readonly plugin: KyselyPlugin;
  /** Stops new queries and resolves when none is in flight. */
  drain(): Promise<void>;
}

/** A {@link DrainOnClose} for the database at `location` (named in the refusal's message). */
export function drainOnClose(location: string): DrainOnClose {
  let closing = false;
  let held = 0;
  let idle: (() => void) | undefined;
  const release = (): void => {
    held -= 1;
    if (held === 0) idle?.();
  };
  return {
    dialect: (inner) => ({
      createAdapter: () => inner.createAdapter(),
      createIntrospector: (db) => inner.createIntrospector(db),
      createQueryCompiler: () => inner.createQueryCompiler(),
      createDriver: () => countingDriver(inner.createDriver(), () => (held += 1), release),
    }),
    plugin: {
      transformQuery(args) {
        if (closing) {
          throw new LitinkError(
            "db.closed",
            `the database at ${location} is closing: a query was sent after its owner closed it (some work was not awaited)`,
          );
        }
        return args.node;
      },
      transformResult: async (args) => args.result,
    },
    async drain() {
      closing = true;
      // Queries compiled just before are still on their way to a connection: let them get there.
      await new Promise((resolve) => setImmediate(resolve));
      while (held > 0) await new Promise<void>((resolve) => (idle = resolve));
    },
  };
}

function countingDriver(driver: Driver, acquired: () => void, released: () => void): Driver {
  return {
    init: () => driver.init(),
    async acquireConnection(): Promise<DatabaseConnection> {
      acquired();
      try {
        return await driver.acquireConnection();
      } catch (error) {
        released();
        throw error;
      }
    },
    async releaseConnection(connection) {
      try {
        await driver.releaseConnection(connection);
      } finally {
        released();
      }
    },
    beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
    commitTransaction: (connection) => driver.commitTransaction(connection),
    rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
    ...(driver.savepoint && { savepoint: driver.savepoint.bind(driver) }),
    ...(driver.rollbackToSavepoint && { rollbackToSavepoint: driver.rollbackToSavepoint.bind(driver) }),
    ...(driver.releaseSavepoint && { releaseSavepoint: driver.releaseSavepoint.bind(driver) }),
    destroy: () => driver.destroy(),
  };
}
