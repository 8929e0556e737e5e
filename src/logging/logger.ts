import { type Logger, pino } from "pino";

export type { Logger } from "pino";

/** Keys whose values never reach a log line, wherever they appear. */
const REDACTED_PATHS = [
  "apiKey",
  "key",
  "password",
  "authorization",
  "*.apiKey",
  "*.key",
  "*.password",
  "*.authorization",
  "headers.authorization",
  'headers["xi-api-key"]',
];

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** @defaultValue "info", or `LOG_LEVEL` */
  readonly level?: string;
  /** Pretty, human-readable lines; @defaultValue true when stderr is a TTY */
  readonly pretty?: boolean;
  /** Where lines go. @defaultValue stderr (stdout stays free for `--json` output) */
  readonly destination?: NodeJS.WritableStream;
}

/**
 * Creates the process logger: JSON lines on stderr (pretty on a TTY), secrets redacted.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? "info";
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const redact = { paths: REDACTED_PATHS, censor: "[redacted]" };
  if (pretty && options.destination === undefined) {
    return pino({
      level,
      redact,
      transport: { target: "pino-pretty", options: { destination: 2, colorize: true } },
    });
  }
  return pino({ level, redact }, (options.destination ?? process.stderr) as pino.DestinationStream);
}

/** A logger that drops everything, for tests and library use. */
export function createSilentLogger(): Logger {
  return pino({ level: "silent" });
}
