import { Command } from "commander";
import { runDoctorChecks } from "../doctor-checks.ts";

/** `litink doctor`: what this machine will run with, and whether each part works. */
export function createDoctorCommand(): Command {
  return new Command("doctor")
    .description("check Node, FFmpeg, config, database, queue, storage and provider keys")
    .option("--json", "print one JSON object instead of the report")
    .action(async (options: { json?: boolean }) => {
      const checks = await runDoctorChecks();
      const failed = checks.filter((check) => !check.ok && !check.optional);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ok: failed.length === 0, checks })}\n`);
      } else {
        const width = Math.max(...checks.map((check) => check.name.length));
        for (const check of checks) {
          const mark = check.ok ? "ok  " : check.optional ? "--  " : "FAIL";
          process.stdout.write(`${mark}  ${check.name.padEnd(width)}  ${check.detail}\n`);
        }
        process.stdout.write(
          failed.length === 0
            ? "\nLitinkAI is ready.\n"
            : `\n${failed.length} check(s) failed: see FAIL above.\n`,
        );
      }
      if (failed.length > 0) process.exitCode = 1;
    });
}
