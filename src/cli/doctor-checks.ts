import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { sql } from "kysely";
import { type AppConfig, loadConfig, PROVIDER_KEY_VARIABLES } from "../config/index.ts";
import { createDatabase } from "../db/index.ts";
import { resolveFfmpeg } from "../media/index.ts";
import { createObjectStore } from "../storage/index.ts";

/** One line of the doctor's report. */
export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  /** What was found, e.g. "ffmpeg N-47683 (npm-shipped) at /…/ffmpeg". */
  readonly detail: string;
  /** Only informational: a failure here does not fail the doctor (e.g. a provider key not set). */
  readonly optional?: boolean;
}

const MINIMUM_NODE = [20, 19] as const;

/**
 * Runs every check `litink doctor` reports: Node, FFmpeg, config files, database, queue, storage and
 * provider keys (names only, never values). Never throws: a failing check is a row with ok=false.
 */
export async function runDoctorChecks(env: NodeJS.ProcessEnv = process.env): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [nodeCheck()];
  let config: AppConfig | undefined;
  try {
    config = loadConfig({ env });
    checks.push({
      name: "config",
      ok: true,
      detail: `tiers.yaml and models.yaml valid (${config.configDir})`,
    });
  } catch (error) {
    checks.push({ name: "config", ok: false, detail: (error as Error).message });
  }
  checks.push(...(await ffmpegChecks(config)));
  if (!config) return checks;
  checks.push(await attempt("database", () => databaseCheck(config)));
  checks.push(await attempt("queue", () => queueCheck(config)));
  checks.push(await attempt("storage", () => storageCheck(config)));
  for (const [provider, variable] of Object.entries(PROVIDER_KEY_VARIABLES)) {
    const set = config.providers[provider as keyof typeof PROVIDER_KEY_VARIABLES].apiKey !== undefined;
    checks.push({
      name: `provider ${provider}`,
      ok: set,
      optional: true,
      detail: set ? `${variable} is set` : `${variable} not set: the offline local provider serves instead`,
    });
  }
  return checks;
}

function nodeCheck(): DoctorCheck {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const ok = major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1]);
  return {
    name: "node",
    ok,
    detail: `v${process.versions.node}${ok ? "" : ` (LitinkAI needs >= ${MINIMUM_NODE.join(".")})`}`,
  };
}

async function ffmpegChecks(config: AppConfig | undefined): Promise<DoctorCheck[]> {
  try {
    const binaries = await resolveFfmpeg({
      ffmpegPath: config?.ffmpeg.ffmpegPath ?? process.env.FFMPEG_PATH,
      ffprobePath: config?.ffmpeg.ffprobePath ?? process.env.FFPROBE_PATH,
    });
    const describe = (b: typeof binaries.ffmpeg): string =>
      `${b.version} (${{ env: "from *_PATH", path: "system, on PATH", npm: "npm-shipped static build" }[b.source]}) at ${b.path}`;
    return [
      { name: "ffmpeg", ok: true, detail: describe(binaries.ffmpeg) },
      { name: "ffprobe", ok: true, detail: describe(binaries.ffprobe) },
    ];
  } catch (error) {
    return [{ name: "ffmpeg", ok: false, detail: (error as Error).message }];
  }
}

async function databaseCheck(config: AppConfig): Promise<DoctorCheck> {
  const where =
    config.database.kind === "pglite"
      ? `embedded PGlite at ${config.database.dataDir}`
      : `PostgreSQL at ${config.database.url.replace(/\/\/[^@/]*@/, "//***@")}`;
  const database = await createDatabase(config.database, { maxConnections: 1 });
  try {
    await sql`select 1`.execute(database.db);
    return { name: "database", ok: true, detail: `${where}: reachable` };
  } catch (error) {
    throw new Error(`cannot reach ${where}: ${(error as Error).message}`);
  } finally {
    await database.close();
  }
}

async function queueCheck(config: AppConfig): Promise<DoctorCheck> {
  if (config.queue.kind === "embedded") {
    return {
      name: "queue",
      ok: true,
      detail: "embedded in-process queue (set REDIS_URL for BullMQ workers)",
    };
  }
  const redis = new Redis(config.queue.url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  redis.on("error", (error: Error) => {
    lastError = error;
  });
  try {
    await redis.connect();
    await redis.ping();
    return { name: "queue", ok: true, detail: `BullMQ on Redis at ${config.queue.url}: reachable` };
  } catch (error) {
    throw new Error(`cannot reach Redis at ${config.queue.url}: ${(lastError ?? (error as Error)).message}`);
  } finally {
    redis.disconnect();
  }
}

async function storageCheck(config: AppConfig): Promise<DoctorCheck> {
  const store = createObjectStore(config.storage);
  const probe = `.doctor/${randomUUID()}`;
  try {
    await store.put(probe, new TextEncoder().encode("ok"));
    await store.delete(probe);
    const where =
      config.storage.kind === "fs"
        ? `local files at ${config.storage.root}`
        : `S3 bucket ${config.storage.bucket}`;
    return { name: "storage", ok: true, detail: `${where}: writable` };
  } finally {
    await store.close();
  }
}

async function attempt(name: string, check: () => Promise<DoctorCheck>): Promise<DoctorCheck> {
  try {
    return await check();
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message };
  }
}
