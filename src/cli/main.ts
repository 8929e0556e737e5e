import { readFileSync } from "node:fs";
import path from "node:path";
import { Command, CommanderError } from "commander";
import { loadDotEnv, PROJECT_ROOT } from "../config/index.ts";
import { reportCliError } from "./cli-error.ts";
import { createDoctorCommand } from "./commands/doctor-command.ts";
import { createFetchCommand } from "./commands/fetch-command.ts";
import { createIngestCommand } from "./commands/ingest-command.ts";
import { createMigrateCommand } from "./commands/migrate-command.ts";
import { createModelsCommand } from "./commands/models-command.ts";
import { createProvidersCommand } from "./commands/providers-command.ts";
import { createQcCommand } from "./commands/qc-command.ts";
import { createQueueCommand } from "./commands/queue-command.ts";
import { createRenderCommand } from "./commands/render-command.ts";
import { createRenderTimelineCommand } from "./commands/render-timeline-command.ts";
import { createStatusCommand } from "./commands/status-command.ts";
import { createWorkerCommand } from "./commands/worker-command.ts";

/**
 * Builds the `litink` program. Each command lives in `commands/<name>-command.ts` and exports a
 * `create<Name>Command(): Command`; its action throws LitinkError for user mistakes and sets
 * `process.exitCode` for failures it reports itself.
 */
export function createProgram(): Command {
  const { version } = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  const program = new Command("litink")
    .description("LitinkAI: turn books and screenplays into narrated videos")
    .version(version, "-v, --version")
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(createRenderCommand());
  program.addCommand(createIngestCommand());
  program.addCommand(createRenderTimelineCommand());
  program.addCommand(createQcCommand());
  program.addCommand(createModelsCommand());
  program.addCommand(createProvidersCommand());
  program.addCommand(createStatusCommand());
  program.addCommand(createFetchCommand());
  program.addCommand(createQueueCommand());
  program.addCommand(createWorkerCommand());
  program.addCommand(createDoctorCommand());
  program.addCommand(createMigrateCommand());
  return program;
}

/** Runs the CLI with `argv` (as in process.argv) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  loadDotEnv(process.cwd());
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    return reportCliError(error);
  }
}
