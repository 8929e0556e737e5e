/** One block of `-progress pipe:1` output, reduced to what LitinkAI uses. */
export interface FfmpegProgressBlock {
  /** Seconds of output written so far. */
  readonly outTime: number;
  readonly frame: number | undefined;
  /** Encoding speed as a multiple of realtime, when FFmpeg reports it. */
  readonly speed: number | undefined;
  /** True on the last block (`progress=end`). */
  readonly end: boolean;
}

/**
 * Splits FFmpeg `-progress` text (key=value lines, each block closed by `progress=continue|end`) into
 * blocks. Feed it chunks as they arrive; it keeps partial lines between calls.
 */
export function createProgressParser(onBlock: (block: FfmpegProgressBlock) => void): (chunk: string) => void {
  let pending = "";
  let fields = new Map<string, string>();
  return (chunk) => {
    pending += chunk;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const equals = line.indexOf("=");
      if (equals < 0) continue;
      const key = line.slice(0, equals).trim();
      const value = line.slice(equals + 1).trim();
      if (key !== "progress") {
        fields.set(key, value);
        continue;
      }
      onBlock(toBlock(fields, value === "end"));
      fields = new Map();
    }
  };
}

function toBlock(fields: Map<string, string>, end: boolean): FfmpegProgressBlock {
  // out_time_ms is in microseconds despite its name; out_time is HH:MM:SS.micro.
  const micros = Number(fields.get("out_time_us") ?? fields.get("out_time_ms"));
  const outTime = Number.isFinite(micros) && micros >= 0 ? micros / 1e6 : parseClock(fields.get("out_time"));
  const frame = Number(fields.get("frame"));
  const speed = Number.parseFloat(fields.get("speed") ?? "");
  return {
    outTime,
    frame: Number.isFinite(frame) ? frame : undefined,
    speed: Number.isFinite(speed) && speed > 0 ? speed : undefined,
    end,
  };
}

function parseClock(text: string | undefined): number {
  const match = /^(-?\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(text ?? "");
  if (!match) return 0;
  return Math.max(0, Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]));
}

/** Percent done and ETA from elapsed wall time and the fraction done. */
export function estimateProgress(
  fraction: number,
  elapsedSeconds: number,
): { percent: number; etaSeconds: number | undefined } {
  const clamped = Math.min(1, Math.max(0, fraction));
  const etaSeconds =
    clamped > 0.01 && elapsedSeconds > 0 ? (elapsedSeconds * (1 - clamped)) / clamped : undefined;
  return { percent: Math.round(clamped * 1000) / 10, etaSeconds };
}
