import type { StorageConfig } from "../config/index.ts";
import { createFsObjectStore } from "./fs-object-store.ts";
import type { ObjectStore } from "./object-store.ts";
import { createS3ObjectStore } from "./s3-object-store.ts";

/** Opens the object store named by the configuration: local files by default, S3 with STORAGE_URL. */
export function createObjectStore(config: StorageConfig): ObjectStore {
  switch (config.kind) {
    case "fs":
      return createFsObjectStore(config.root);
    case "s3":
      return createS3ObjectStore(config);
  }
}
