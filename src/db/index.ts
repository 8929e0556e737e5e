export { type CreateDatabaseOptions, createDatabase, type DatabaseHandle } from "./create-database.ts";
export { listJobEvents } from "./job-events.ts";
export { openDatabase } from "./open-database.ts";
export type * from "./schema.ts";
