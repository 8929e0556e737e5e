import type { DatabaseHandle } from "../db/index.ts";

/** The account CLI runs are charged to when no user is given. */
export const LOCAL_USER_EMAIL = "local@litink.invalid";

/** The id of the local account (created on first use), so the ledger and cost guard have a user. */
export async function ensureLocalUser(db: DatabaseHandle["db"], email = LOCAL_USER_EMAIL): Promise<string> {
  const existing = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
  if (existing) return existing.id;
  const created = await db
    .insertInto("users")
    .values({ email, display_name: "Local user" })
    .onConflict((oc) => oc.column("email").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (created) return created.id;
  const row = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow();
  return row.id;
}
