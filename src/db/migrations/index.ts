import type { Migration } from "kysely";
import * as initial from "./0001-initial.ts";
import * as attemptIdentity from "./0002-attempt-identity.ts";
import * as jobEventOrder from "./0003-job-event-order.ts";

/**
 * Every migration, in order. A new migration is a new file `NNNN-name.ts` added here; an applied one
 * is never edited.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  "0001-initial": initial,
  "0002-attempt-identity": attemptIdentity,
  "0003-job-event-order": jobEventOrder,
};
