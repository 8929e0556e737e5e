import { isLitinkError } from "../errors/index.ts";

/**
 * Prints an error the way a CLI user should see it and returns the exit code: user errors as one
 * clear message without a stack trace (exit 2), unexpected errors with their stack (exit 1).
 */
export function reportCliError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (isLitinkError(error) && error.userFacing) {
    stderr.write(`litink: ${error.message}\n`);
    return 2;
  }
  if (isLitinkError(error)) {
    stderr.write(`litink: ${error.message} [${error.code}]\n`);
    if (process.env.LITINK_DEBUG) stderr.write(`${error.stack ?? ""}\n`);
    return 1;
  }
  stderr.write(
    `litink: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
}
