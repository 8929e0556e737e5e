import { createEmbeddedJobQueue } from "./embedded-job-queue.ts";
import { describeJobQueueConformance } from "./job-queue.conformance.ts";

describeJobQueueConformance("embedded", async (concurrency) =>
  createEmbeddedJobQueue({ concurrency, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))) }),
);
