import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { reportCliError } from "./cli-error.ts";

/** The repository root, where package.json (and its version) lives. */
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Every command, in the order `litink --help` lists them, with how to load it. Each command lives in
 * `commands/<name>-command.ts` and exports a `create<Name>Command(): Command`. They are imported only
 * when run: a command's module pulls in what it needs (the pipeline, PGlite, the AWS SDK, BullMQ…),
 * and loading all of them cost every command, even `litink --version`, about a second.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  render: async () => (await import("./commands/render-command.ts")).createRenderCommand(),
  ingest: async () => (await import("./commands/ingest-command.ts")).createIngestCommand(),
  "render-timeline": async () =>
    (await import("./commands/render-timeline-command.ts")).createRenderTimelineCommand(),
  qc: async () => (await import("./commands/qc-command.ts")).createQcCommand(),
  models: async () => (await import("./commands/models-command.ts")).createModelsCommand(),
  providers: async () => (await import("./commands/providers-command.ts")).createProvidersCommand(),
  status: async () => (await import("./commands/status-command.ts")).createStatusCommand(),
  fetch: async () => (await import("./commands/fetch-command.ts")).createFetchCommand(),
  cache: async () => (await import("./commands/cache-command.ts")).createCacheCommand(),
  queue: async () => (await import("./commands/queue-command.ts")).createQueueCommand(),
  worker: async () => (await import("./commands/worker-command.ts")).createWorkerCommand(),
  doctor: async () => (await import("./commands/doctor-command.ts")).createDoctorCommand(),
  migrate: async () => (await import("./commands/migrate-command.ts")).createMigrateCommand(),
};

/** The commands `argv` (as in process.argv) can run: the one it names, none for `--version`, else all. */
function commandsFor(argv: readonly string[]): readonly string[] {
  const first = argv[2];
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [first];
  // All of them for help, or for a typo that wants suggestions.
  return first === "-v" || first === "--version" ? [] : Object.keys(COMMANDS);
}

/**
 * Builds the `litink` program with the commands `argv` (as in process.argv) can run: only the one it
 * names, none for `--version`, all of them otherwise (help, a typo that wants suggestions).
 * Each command's action throws LitinkError for user mistakes and sets `process.exitCode` for failures
 * it reports itself.
 */
export async function createProgram(argv: readonly string[] = []): Promise<Command> {
  const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  const program = new Command("litink")
    .description("LitinkAI: turn books and screenplays into narrated videos")
    .version(version, "-v, --version")
    .showHelpAfterError()
    .exitOverride();
  const commands = await Promise.all(commandsFor(argv).map((name) => COMMANDS[name]?.()));
  for (const command of commands) if (command) program.addCommand(command);
  return program;
}

/** Runs the CLI with `argv` (as in process.argv) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    // `.env` is for the commands; `--version` needs neither it nor the configuration's modules.
    if (commandsFor(argv).length > 0) {
      const { loadDotEnv } = await import("../config/index.ts");
      loadDotEnv(process.cwd());
    }
    const program = await createProgram(argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    return reportCliError(error);
  }
}
