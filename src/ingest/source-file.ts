import type { Deadline } from "./deadline.ts";

/** One input file as every format reader receives it. */
export interface SourceFile {
  /** The file name (no directories), used in messages. */
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly deadline: Deadline;
}

/** The file name without directories and without its extension. */
export function baseName(fileName: string): string {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  return name.replace(/\.[^.]+$/, "");
}

/** The lower-case extension of a file name, without the dot ("" when there is none). */
export function extensionOf(fileName: string): string {
  const match = /\.([^.\\/]+)$/.exec(fileName);
  return match?.[1]?.toLowerCase() ?? "";
}
