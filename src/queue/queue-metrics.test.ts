import { describe, expect, it } from "vitest";
import { createQueueMetrics } from "./queue-metrics.ts";

describe("queue metrics", () => {
  it("renders wait by tier, duration by type and failures in Prometheus format", () => {
    const metrics = createQueueMetrics();
    metrics.observeWait(5, 2_000);
    metrics.observeWait(5, 20);
    metrics.observeDuration('scene"task', 400);
    metrics.countFailure("scene-task");
    metrics.countFailure("scene-task");
    const text = metrics.render();
    expect(text).toContain("# TYPE litink_queue_wait_seconds histogram");
    expect(text).toContain('litink_queue_wait_seconds_bucket{tier="5",le="0.05"} 1');
    expect(text).toContain('litink_queue_wait_seconds_bucket{tier="5",le="+Inf"} 2');
    expect(text).toContain('litink_queue_wait_seconds_sum{tier="5"} 2.02');
    expect(text).toContain('litink_job_duration_seconds_count{type="scene\\"task"} 1');
    expect(text).toContain('litink_job_failures_total{type="scene-task"} 2');
    expect(text.endsWith("\n")).toBe(true);
  });
});
