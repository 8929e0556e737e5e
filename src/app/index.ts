export { ensureLocalUser, LOCAL_USER_EMAIL } from "./local-user.ts";
export { type AppResources, type OpenResourcesOptions, openResources } from "./open-resources.ts";
