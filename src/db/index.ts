export { type CreateDatabaseOptions, createDatabase, type DatabaseHandle } from "./create-database.ts";
export type * from "./schema.ts";
