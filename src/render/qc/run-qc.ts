import { LitinkError } from "../../errors/index.ts";
import type { Timeline } from "../timeline.ts";
import type { QcReport } from "./qc-report.ts";

/** Options of {@link qc}. */
export interface QcOptions {
  readonly ffmpegPath?: string | undefined;
  readonly ffprobePath?: string | undefined;
}

/** Checks a rendered file against its timeline. */
export async function qc(
  file: string,
  timeline: Timeline | undefined,
  options: QcOptions = {},
): Promise<QcReport> {
  throw new LitinkError(
    "render.not_implemented",
    `qc is not implemented yet (${file}, ${timeline ? "with" : "without"} timeline, ${Object.keys(options).length} options)`,
  );
}
