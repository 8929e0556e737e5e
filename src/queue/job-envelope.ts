import { z } from "zod";

/** What the BullMQ job's `data` holds: the payload and who submitted it for which tier. */
export const jobEnvelopeSchema = z.object({
  /** The caller's job id (BullMQ's id is derived from it). */
  id: z.string(),
  payload: z.unknown(),
  /** Tier priority at submission, 1..5; aging lowers BullMQ's priority, never this. */
  tier: z.number().int().min(1).max(5),
  userId: z.string().optional(),
  /** Random per submission: tells a job left from an earlier run apart from one just added. */
  nonce: z.string(),
  /** The submitting process, which awaits the job's outcome on its reply list (see bullmq-reply-channel.ts). */
  replyTo: z.string().optional(),
  /** Whether the caller chose the id, so other processes may have joined the job by it. */
  joinable: z.boolean().optional(),
});

/** The parsed {@link jobEnvelopeSchema}. */
export type JobEnvelope = z.infer<typeof jobEnvelopeSchema>;
