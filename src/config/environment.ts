import path from "node:path";
import { z } from "zod";
import { LitinkError } from "../errors/index.ts";
import { formatZodIssue } from "./format-zod-issue.ts";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((value) => value === "true" || value === "1" || value === "yes");

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

/** The environment variables LitinkAI reads, all optional: the defaults run on one machine. */
const environmentSchema = z.object({
  LITINK_DATA_DIR: optionalText,
  LITINK_CONFIG_DIR: optionalText,
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "expected postgres://user@host:port/database")
      .optional(),
  ),
  STORAGE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^(s3|file):\/\//, "expected s3://bucket?endpoint=…&region=… or file:///path")
      .optional(),
  ),
  REDIS_URL: optionalText.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, "expected redis://host:port")
      .optional(),
  ),
  OPENROUTER_API_KEY: optionalText,
  OPENROUTER_BASE_URL: optionalText,
  MODELSLAB_API_KEY: optionalText,
  MODELSLAB_BASE_URL: optionalText,
  ELEVENLABS_API_KEY: optionalText,
  ELEVENLABS_BASE_URL: optionalText,
  LITINK_REQUIRE_REMOTE: booleanFlag,
  FFMPEG_PATH: optionalText,
  FFPROBE_PATH: optionalText,
  LITINK_MAX_UPLOAD_MB: optionalText.pipe(
    z.coerce.number<string | undefined>().positive().max(10_000).optional(),
  ),
  LITINK_RENDER_CACHE_MAX_MB: optionalText.pipe(
    z.coerce.number<string | undefined>().int().nonnegative().max(100_000_000).optional(),
  ),
  LOG_LEVEL: optionalText.pipe(
    z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).optional(),
  ),
});

export type Environment = z.output<typeof environmentSchema>;

/** Names of the provider key variables, for reports that may show names but never values. */
export const PROVIDER_KEY_VARIABLES = {
  openrouter: "OPENROUTER_API_KEY",
  modelslab: "MODELSLAB_API_KEY",
  elevenlabs: "ELEVENLABS_API_KEY",
} as const;

/** Validates `env` (default `process.env`), naming each bad variable. */
export function parseEnvironment(env: NodeJS.ProcessEnv): Environment {
  const result = environmentSchema.safeParse(env, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      // Never echo a value back: it may be a secret.
      const { input: _input, ...withoutInput } = issue as typeof issue & { input?: unknown };
      return `environment: ${formatZodIssue(withoutInput as typeof issue)}`;
    });
    throw new LitinkError("config.invalid_environment", problems.join("\n"), { userFacing: true });
  }
  return result.data;
}

/** Loads `.env` from `directory` into `process.env` when the file exists; real variables win. */
export function loadDotEnv(directory: string): void {
  try {
    process.loadEnvFile(path.join(directory, ".env"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
