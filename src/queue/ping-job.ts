import os from "node:os";
import { z } from "zod";
import { defineJob, type JobHandler } from "./job-queue.ts";

/** What a worker answers to a ping. */
export interface PingResult {
  readonly hostname: string;
  readonly pid: number;
  /** The message sent, echoed. */
  readonly message: string;
}

/** A no-op job every `litink worker` runs: checks that workers take jobs, and measures dispatch. */
export const pingJob = defineJob<{ message: string }, PingResult>({
  type: "queue.ping",
  payload: z.object({ message: z.string().max(1000) }),
  timeoutMs: 10_000,
  attempts: 1,
  backoffMs: 0,
});

/** The handler of {@link pingJob}. */
export const handlePing: JobHandler<{ message: string }, PingResult> = async ({ message }) => ({
  hostname: os.hostname(),
  pid: process.pid,
  message,
});
