import { LitinkError } from "../errors/index.ts";

const MAX_KEY_LENGTH = 1024;

/**
 * Checks that `key` is a safe relative object key: non-empty, at most 1024 characters, slash-separated
 * segments none of which is empty, `.` or `..`, no leading slash, no backslash or control characters.
 * Throws `storage.invalid_key` otherwise.
 */
export function assertObjectKey(key: string): void {
  const problem = objectKeyProblem(key);
  if (problem) {
    throw new LitinkError("storage.invalid_key", `invalid storage key ${JSON.stringify(key)}: ${problem}`, {
      details: { key },
    });
  }
}

/** Like {@link assertObjectKey} for a prefix, which may be empty or end with a slash. */
export function assertObjectPrefix(prefix: string): void {
  if (prefix === "") return;
  assertObjectKey(prefix.endsWith("/") ? prefix.slice(0, -1) : prefix);
}

function objectKeyProblem(key: string): string | undefined {
  if (typeof key !== "string" || key.length === 0) return "it is empty";
  if (key.length > MAX_KEY_LENGTH) return `it is longer than ${MAX_KEY_LENGTH} characters`;
  if (key.startsWith("/")) return "it is an absolute path";
  if (key.includes("\\")) return "it contains a backslash";
  if (/[\u0000-\u001f\u007f]/.test(key)) return "it contains control characters";
  for (const segment of key.split("/")) {
    if (segment === "") return "it has an empty path segment";
    if (segment === "." || segment === "..") return `it has a "${segment}" path segment`;
  }
  return undefined;
}
