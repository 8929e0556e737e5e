import { fileURLToPath } from "node:url";

/** Absolute path of a file in test/fixtures/ingest. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/ingest/${name}`, import.meta.url));
}
