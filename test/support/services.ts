import net from "node:net";

/** The PostgreSQL server the tests use. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The Redis server the tests use. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Whether a TCP service answers at `url`. In CI (`CI=true`) a missing service is a failure, never a
 * silent skip: this throws. Elsewhere it returns false, and the caller skips with a visible message.
 */
export async function serviceAvailable(name: string, url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port), timeout: 2000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
  if (!reachable && process.env.CI === "true") {
    throw new Error(`${name} is not reachable at ${url}, and CI=true requires it (see .ci/run)`);
  }
  if (!reachable) console.warn(`SKIPPED: ${name} is not reachable at ${url}; its tests are skipped`);
  return reachable;
}

/** A unique, SQL-safe name for one test run's schema or bucket. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}
