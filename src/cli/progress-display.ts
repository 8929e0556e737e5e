import type { PipelineEvent } from "../pipeline/index.ts";
import { STAGES } from "../pipeline/index.ts";

interface StageState {
  status: PipelineEvent["status"] | "waiting";
  done: number | undefined;
  total: number | undefined;
  startedAt: number | undefined;
  endedAt: number | undefined;
  message: string | undefined;
}

const MARKS: Record<StageState["status"], string> = {
  waiting: "·",
  started: "…",
  progress: "…",
  succeeded: "✓",
  skipped: "-",
  failed: "✗",
};

/**
 * The live multi-line progress of `litink render` on a terminal: one line per stage with its scene
 * count, elapsed time and ETA, redrawn in place.
 */
export class ProgressDisplay {
  readonly #out: NodeJS.WriteStream;
  readonly #stages = new Map<string, StageState>();
  readonly #notes: string[] = [];
  #drawnLines = 0;
  #now = 0;

  constructor(out: NodeJS.WriteStream) {
    this.#out = out;
    for (const stage of ["ingest", ...STAGES]) {
      this.#stages.set(stage, {
        status: "waiting",
        done: undefined,
        total: undefined,
        startedAt: undefined,
        endedAt: undefined,
        message: undefined,
      });
    }
  }

  /** Takes one pipeline event and redraws. */
  update(event: PipelineEvent): void {
    this.#now = event.elapsedMs;
    if (event.stage === "job") {
      if (event.message) this.#notes.push(event.message);
      this.#draw();
      return;
    }
    const state = this.#stages.get(event.stage);
    if (!state) return;
    if (state.startedAt === undefined && event.status !== "skipped") state.startedAt = event.elapsedMs;
    if (event.status === "succeeded" || event.status === "failed" || event.status === "skipped") {
      state.endedAt = event.elapsedMs;
    }
    if (!(event.status === "progress" && (state.status === "succeeded" || state.status === "skipped"))) {
      state.status = event.status;
    }
    if (event.done !== undefined) state.done = event.done;
    if (event.total !== undefined) state.total = event.total;
    if (event.message !== undefined) state.message = event.message;
    this.#draw();
  }

  #draw(): void {
    const lines: string[] = [];
    for (const [name, state] of this.#stages) {
      const count =
        state.total !== undefined && state.total > 0
          ? name === "post_processing"
            ? `${state.done ?? 0}%`
            : `${state.done ?? 0}/${state.total}`
          : "";
      const elapsed =
        state.startedAt === undefined ? "" : clock((state.endedAt ?? this.#now) - state.startedAt);
      const eta = etaOf(state, this.#now);
      const message = state.status === "failed" || state.status === "skipped" ? (state.message ?? "") : "";
      lines.push(
        `${MARKS[state.status]} ${name.padEnd(18)} ${count.padStart(7)} ${elapsed.padStart(6)} ${eta ? `eta ${eta}` : ""}${message ? `  ${message}` : ""}`.trimEnd(),
      );
    }
    for (const note of this.#notes) lines.push(`! ${note}`);
    if (this.#drawnLines > 0) this.#out.write(`\u001b[${this.#drawnLines}F\u001b[J`);
    this.#out.write(`${lines.join("\n")}\n`);
    this.#drawnLines = lines.length;
  }
}

function etaOf(state: StageState, now: number): string {
  if (state.status !== "progress" || state.startedAt === undefined) return "";
  if (!state.total || !state.done || state.done >= state.total) return "";
  const elapsed = now - state.startedAt;
  return clock((elapsed / state.done) * (state.total - state.done));
}

function clock(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
