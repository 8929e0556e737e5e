/**
 * BullMQ's id for a caller's job id. BullMQ refuses ids that look like integers or hold `:` (its key
 * separator), and caller ids are free text (`video/stage/3`), so they are encoded and prefixed.
 *
 * @example toBullmqJobId("v1/images/3") // "j-v1%2Fimages%2F3"
 */
export function toBullmqJobId(jobId: string): string {
  return `j-${encodeURIComponent(jobId)}`;
}
