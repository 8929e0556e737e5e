export { createObjectStore } from "./create-object-store.ts";
export { createFsObjectStore } from "./fs-object-store.ts";
export { assertObjectKey } from "./object-key.ts";
export type { ObjectInfo, ObjectStore, PutOptions, UrlOptions } from "./object-store.ts";
export { createS3ObjectStore, type S3ObjectStoreOptions } from "./s3-object-store.ts";
