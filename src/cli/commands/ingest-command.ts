import { Command, Option } from "commander";
import { LitinkError } from "../../errors/index.ts";
import { DEFAULT_MAX_BYTES, formatOutline, ingestFile, toIngestJson } from "../../ingest/index.ts";

/**
 * `litink ingest FILE [--json]`: reads a book or screenplay and prints its outline, or with `--json`
 * exactly one JSON object on stdout (format, kind, title, author, language, words, chapters or scenes
 * and characters). `output` is where the result goes (stdout; a collector in tests).
 */
export function createIngestCommand(output: { write(text: string): unknown } = process.stdout): Command {
  return new Command("ingest")
    .description(
      "read a book or screenplay (text, Markdown, EPUB, PDF, DOCX, Fountain, FDX) and show its chapters or scenes",
    )
    .argument("<file>", "the book or screenplay file")
    .option("--json", "print one JSON object instead of the outline")
    .addOption(
      new Option("--max-mb <megabytes>", "refuse files larger than this")
        .default(DEFAULT_MAX_BYTES / 1024 / 1024)
        .argParser((value) => {
          const megabytes = Number(value);
          if (!Number.isFinite(megabytes) || megabytes <= 0) {
            throw new LitinkError(
              "cli.invalid_option",
              `--max-mb must be a positive number, not "${value}"`,
              { userFacing: true },
            );
          }
          return megabytes;
        }),
    )
    .action(async (file: string, options: { json?: boolean; maxMb: number }) => {
      const document = await ingestFile(file, { maxBytes: Math.floor(options.maxMb * 1024 * 1024) });
      output.write(options.json ? `${JSON.stringify(toIngestJson(document))}\n` : formatOutline(document));
    });
}
