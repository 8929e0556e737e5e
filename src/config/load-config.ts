import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { LitinkError } from "../errors/index.ts";
import { type Environment, parseEnvironment } from "./environment.ts";
import { formatZodIssue } from "./format-zod-issue.ts";
import { type ModelsFile, modelsFileSchema } from "./models-schema.ts";
import { type TiersFile, tiersFileSchema } from "./tiers-schema.ts";

/** Where the project itself lives (the folder with package.json), whatever the working directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Which database LitinkAI talks to. */
export type DatabaseConfig =
  | { readonly kind: "pglite"; readonly dataDir: string }
  | { readonly kind: "postgres"; readonly url: string };

/** Which object store holds uploads, assets and videos. */
export type StorageConfig =
  | { readonly kind: "fs"; readonly root: string }
  | {
      readonly kind: "s3";
      readonly bucket: string;
      readonly endpoint: string | undefined;
      readonly region: string;
      readonly forcePathStyle: boolean;
      readonly prefix: string;
    };

/** Which job queue runs stages. */
export type QueueConfig = { readonly kind: "embedded" } | { readonly kind: "bullmq"; readonly url: string };

/** The renderer's cache of segments, audio tracks and chunks: rebuildable, so pruned to a budget. */
export interface RenderCacheConfig {
  /** `<LITINK_DATA_DIR>/cache/render`. */
  readonly dir: string;
  /**
   * Size the cache is pruned to at the end of each `litink render` (least recently used first);
   * undefined when `LITINK_RENDER_CACHE_MAX_MB=0` turns the budget off.
   * @defaultValue 5000 MB
   */
  readonly maxBytes: number | undefined;
}

/** A remote provider's connection settings; `apiKey` is undefined when not configured. */
export interface ProviderConnection {
  readonly apiKey: string | undefined;
  readonly baseUrl: string | undefined;
}

/** The whole LitinkAI configuration, built once at start-up and frozen. */
export interface AppConfig {
  readonly dataDir: string;
  readonly configDir: string;
  readonly database: DatabaseConfig;
  readonly storage: StorageConfig;
  readonly queue: QueueConfig;
  readonly providers: {
    readonly openrouter: ProviderConnection;
    readonly modelslab: ProviderConnection;
    readonly elevenlabs: ProviderConnection;
  };
  /** Fail instead of falling back to the offline local providers. */
  readonly requireRemote: boolean;
  readonly ffmpeg: { readonly ffmpegPath: string | undefined; readonly ffprobePath: string | undefined };
  readonly limits: { readonly maxUploadBytes: number };
  readonly renderCache: RenderCacheConfig;
  readonly logLevel: string;
  readonly tiers: TiersFile["tiers"];
  readonly models: ModelsFile;
}

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** @defaultValue process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Relative paths resolve against this folder. @defaultValue process.cwd() */
  readonly cwd?: string;
}

/**
 * Builds the configuration from environment variables and the two YAML files
 * (`config/tiers.yaml`, `config/models.yaml`). A mistake stops start-up with one message naming the
 * file, the field path and the reason.
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = parseEnvironment(options.env ?? process.env);
  const cwd = options.cwd ?? process.cwd();
  const configDir = path.resolve(cwd, env.LITINK_CONFIG_DIR ?? path.join(PROJECT_ROOT, "config"));
  const dataDir = path.resolve(cwd, env.LITINK_DATA_DIR ?? "data");
  const tiers = loadYamlFile(path.join(configDir, "tiers.yaml"), tiersFileSchema, cwd);
  const models = loadYamlFile(path.join(configDir, "models.yaml"), modelsFileSchema, cwd);
  return deepFreeze({
    dataDir,
    configDir,
    database: databaseConfig(env, dataDir),
    storage: storageConfig(env, dataDir),
    queue: env.REDIS_URL ? { kind: "bullmq", url: env.REDIS_URL } : { kind: "embedded" },
    providers: {
      openrouter: { apiKey: env.OPENROUTER_API_KEY, baseUrl: env.OPENROUTER_BASE_URL },
      modelslab: { apiKey: env.MODELSLAB_API_KEY, baseUrl: env.MODELSLAB_BASE_URL },
      elevenlabs: { apiKey: env.ELEVENLABS_API_KEY, baseUrl: env.ELEVENLABS_BASE_URL },
    },
    requireRemote: env.LITINK_REQUIRE_REMOTE,
    ffmpeg: { ffmpegPath: env.FFMPEG_PATH, ffprobePath: env.FFPROBE_PATH },
    limits: { maxUploadBytes: Math.round((env.LITINK_MAX_UPLOAD_MB ?? 50) * 1024 * 1024) },
    renderCache: renderCacheConfig(env, dataDir),
    logLevel: env.LOG_LEVEL ?? "info",
    tiers: tiers.tiers,
    models,
  } satisfies AppConfig);
}

/** Reads and validates one YAML file, turning any problem into one `config.invalid_file` error. */
export function loadYamlFile<Schema extends z.ZodType>(
  file: string,
  schema: Schema,
  cwd: string = process.cwd(),
): z.output<Schema> {
  const relative = path.relative(cwd, file);
  const shown = relative && !relative.startsWith("..") ? relative : file;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new LitinkError(
      "config.missing_file",
      `${shown}: cannot read the file (${(cause as Error).message})`,
      {
        cause,
        userFacing: true,
        details: { file },
      },
    );
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const line = first.linePos?.[0].line;
    throw new LitinkError(
      "config.invalid_file",
      `${shown}: ${line ? `line ${line}: ` : ""}${first.message.split("\n")[0]}`,
      { userFacing: true, details: { file } },
    );
  }
  const result = schema.safeParse(document.toJS({ maxAliasCount: 1000 }), { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${shown}: ${formatZodIssue(issue)}`);
    throw new LitinkError("config.invalid_file", problems.join("\n"), {
      userFacing: true,
      details: { file, issues: problems },
    });
  }
  return result.data;
}

function databaseConfig(env: Environment, dataDir: string): DatabaseConfig {
  return env.DATABASE_URL
    ? { kind: "postgres", url: env.DATABASE_URL }
    : { kind: "pglite", dataDir: path.join(dataDir, "db") };
}

/** Default budget of the render cache: room for a few long videos' segments and audio. */
const DEFAULT_RENDER_CACHE_MAX_MB = 5000;

function renderCacheConfig(env: Environment, dataDir: string): RenderCacheConfig {
  const megabytes = env.LITINK_RENDER_CACHE_MAX_MB ?? DEFAULT_RENDER_CACHE_MAX_MB;
  return {
    dir: path.join(dataDir, "cache", "render"),
    maxBytes: megabytes === 0 ? undefined : megabytes * 1024 * 1024,
  };
}

function storageConfig(env: Environment, dataDir: string): StorageConfig {
  const url = env.STORAGE_URL;
  if (!url) return { kind: "fs", root: path.join(dataDir, "storage") };
  const parsed = new URL(url);
  if (parsed.protocol === "file:") return { kind: "fs", root: fileURLToPath(parsed) };
  if (!parsed.hostname) {
    throw new LitinkError("config.invalid_environment", "environment: STORAGE_URL: missing the bucket name", {
      userFacing: true,
    });
  }
  return {
    kind: "s3",
    bucket: parsed.hostname,
    endpoint: parsed.searchParams.get("endpoint") ?? undefined,
    region: parsed.searchParams.get("region") ?? "us-east-1",
    forcePathStyle: parsed.searchParams.get("path_style") !== "false",
    prefix: parsed.pathname.replace(/^\/+/, ""),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
