/** Histogram bucket upper bounds, in seconds. */
const BUCKETS_SECONDS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600];

interface Histogram {
  readonly counts: number[];
  sum: number;
  count: number;
}

/**
 * The worker's technical metrics (product plan): queue wait time by tier, job duration by job type and
 * failures by job type, rendered in the Prometheus text exposition format.
 */
export interface QueueMetrics {
  /** Records how long a job of tier priority `tier` waited between submission and start. */
  observeWait(tier: number, waitMs: number): void;
  /** Records how long one run of a job of type `type` took. */
  observeDuration(type: string, durationMs: number): void;
  /** Counts a failed run of a job of type `type` (retried or not). */
  countFailure(type: string): void;
  /** The metrics in Prometheus text format (version 0.0.4). */
  render(): string;
}

/** Creates an empty {@link QueueMetrics} registry. */
export function createQueueMetrics(): QueueMetrics {
  const waits = new Map<string, Histogram>();
  const durations = new Map<string, Histogram>();
  const failures = new Map<string, number>();

  const observe = (map: Map<string, Histogram>, key: string, ms: number): void => {
    let histogram = map.get(key);
    if (!histogram) {
      histogram = { counts: BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 };
      map.set(key, histogram);
    }
    const seconds = Math.max(0, ms) / 1000;
    BUCKETS_SECONDS.forEach((bound, index) => {
      if (seconds <= bound) histogram.counts[index] = (histogram.counts[index] ?? 0) + 1;
    });
    histogram.sum += seconds;
    histogram.count += 1;
  };

  const renderHistogram = (name: string, help: string, label: string, map: Map<string, Histogram>) => {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    for (const [key, histogram] of [...map].sort(([a], [b]) => a.localeCompare(b))) {
      const labels = `${label}="${escapeLabel(key)}"`;
      BUCKETS_SECONDS.forEach((bound, index) => {
        lines.push(`${name}_bucket{${labels},le="${bound}"} ${histogram.counts[index] ?? 0}`);
      });
      lines.push(`${name}_bucket{${labels},le="+Inf"} ${histogram.count}`);
      lines.push(`${name}_sum{${labels}} ${histogram.sum}`);
      lines.push(`${name}_count{${labels}} ${histogram.count}`);
    }
    return lines;
  };

  return {
    observeWait: (tier, waitMs) => observe(waits, String(tier), waitMs),
    observeDuration: (type, durationMs) => observe(durations, type, durationMs),
    countFailure: (type) => failures.set(type, (failures.get(type) ?? 0) + 1),
    render: () => {
      const lines = [
        ...renderHistogram(
          "litink_queue_wait_seconds",
          "Time jobs waited between submission and start, by tier priority (1 Professional .. 5 Free).",
          "tier",
          waits,
        ),
        ...renderHistogram(
          "litink_job_duration_seconds",
          "Run time of jobs, by job type.",
          "type",
          durations,
        ),
        "# HELP litink_job_failures_total Failed job runs (retried or final), by job type.",
        "# TYPE litink_job_failures_total counter",
        ...[...failures]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([type, count]) => `litink_job_failures_total{type="${escapeLabel(type)}"} ${count}`),
      ];
      return `${lines.join("\n")}\n`;
    },
  };
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
