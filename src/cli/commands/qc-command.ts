import { Command } from "commander";
import { type QcReport, qc, readTimelineFile } from "../../render/index.ts";

/**
 * `litink qc FILE [--timeline T] [--json]`: checks a rendered video (streams, codec, loudness, true
 * peak, black and silent stretches, decoding; with a timeline also size, fps, duration and captions).
 * Exits 1 when a check fails.
 */
export function createQcCommand(): Command {
  return new Command("qc")
    .description("quality-check a rendered video, optionally against its timeline")
    .argument("<file>", "the video to check")
    .option("--timeline <file>", "the timeline JSON the video was rendered from")
    .option("--json", "print the report as one JSON object")
    .action(async (file: string, flags: { timeline?: string; json?: boolean }) => {
      const timeline = flags.timeline ? await readTimelineFile(flags.timeline) : undefined;
      const report = await qc(file, timeline);
      process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatReport(report));
      if (!report.passed) process.exitCode = 1;
    });
}

/** The report as aligned lines, one per check, failures with their timestamps. */
function formatReport(report: QcReport): string {
  const width = Math.max(...report.checks.map((check) => check.name.length));
  const lines = report.checks.map((check) => {
    const where =
      check.passed || check.timestamps.length === 0
        ? ""
        : ` at ${check.timestamps.map((range) => `${range.start.toFixed(2)}-${range.end.toFixed(2)} s`).join(", ")}`;
    return `${check.passed ? "ok  " : "FAIL"}  ${check.name.padEnd(width)}  ${check.measured} (expected ${check.expected})${where}`;
  });
  const failed = report.checks.filter((check) => !check.passed).length;
  return `${report.file}\n${lines.join("\n")}\n${failed === 0 ? "All checks passed." : `${failed} check(s) failed.`}\n`;
}
