import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "../logging/index.ts";

/**
 * What a job's submitters receive: that it started, or its final outcome (the value it returned, or its
 * failure encoded by `encodeJobFailure`). `nonce` names the submission it is about (see
 * `JobEnvelope.nonce`).
 */
export interface JobReply {
  /** The job type (BullMQ queue name). */
  readonly type: string;
  /** BullMQ's job id. */
  readonly bullId: string;
  readonly nonce: string;
  /** The returned value as JSON text; absent on failure. */
  readonly value?: string;
  /** The encoded failure; absent on success. */
  readonly failure?: string;
  /** Set on the notice that a worker started the job: no outcome yet. */
  readonly started?: true;
}

/** How long unread replies, outcomes and join registrations stay in Redis. */
const REPLY_TTL_MS = 3_600_000;
/** Replies taken from the list per read once one has arrived. */
const DRAIN_BATCH = 1000;
/** How long one blocking read waits, in seconds, before it looks at `closed` again. */
const BLOCK_SECONDS = 5;

/**
 * The Redis keys of the reply channel under `prefix`: one reply list per submitting process, the set of
 * processes that joined a job by id, and the last outcome of each job (read when a reply went missing).
 */
export function replyKeys(prefix: string) {
  const base = `${prefix}:litink`;
  return {
    replies: (processId: string) => `${base}:replies:${processId}`,
    joiners: (type: string, bullId: string) => `${base}:joiners:${type}:${bullId}`,
    outcome: (type: string, bullId: string) => `${base}:outcome:${type}:${bullId}`,
  };
}

// Pushes one message to the submitter named in the job's envelope and to every process that joined the
// job, except the sender (it settles its own waiter in memory). A final outcome (ARGV[6] = '1') also
// ends the joins and is kept for late readers.
// KEYS: joiners set, outcome key. ARGV: reply-list key prefix, replyTo, sender, message, ttl in ms, final.
const DELIVER = `
local targets = redis.call('SMEMBERS', KEYS[1])
targets[#targets + 1] = ARGV[2]
if ARGV[6] == '1' then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5])
end
local seen = {}
for _, target in ipairs(targets) do
  if target ~= '' and target ~= ARGV[3] and not seen[target] then
    seen[target] = true
    local key = ARGV[1] .. target
    redis.call('RPUSH', key, ARGV[4])
    redis.call('PEXPIRE', key, ARGV[5])
  end
end
return 0
`;
const DELIVER_SHA = createHash("sha1").update(DELIVER).digest("hex");

/** Encodes a reply for the wire (and the outcome key). */
function encodeReply(reply: JobReply): string {
  return JSON.stringify(reply);
}

/** Decodes {@link encodeReply}'s text; undefined for anything else. */
export function decodeReply(text: string): JobReply | undefined {
  try {
    const reply = JSON.parse(text) as Partial<JobReply> | null;
    if (
      reply &&
      typeof reply.type === "string" &&
      typeof reply.bullId === "string" &&
      typeof reply.nonce === "string"
    ) {
      return reply as JobReply;
    }
  } catch {
    // Not a reply: the caller logs and drops it.
  }
  return undefined;
}

/**
 * Sends `reply` to the submitter `replyTo` and to every process registered as a joiner of the job, in one
 * Redis script call; `sender` (this process) is skipped. A final outcome is also kept for an hour.
 */
export async function deliverReply(
  redis: Redis,
  prefix: string,
  replyTo: string | undefined,
  sender: string,
  reply: JobReply,
): Promise<void> {
  const keys = replyKeys(prefix);
  const args = [
    2,
    keys.joiners(reply.type, reply.bullId),
    keys.outcome(reply.type, reply.bullId),
    keys.replies(""),
    replyTo ?? "",
    sender,
    encodeReply(reply),
    REPLY_TTL_MS,
    reply.started ? "0" : "1",
  ] as const;
  try {
    await redis.evalsha(DELIVER_SHA, ...args);
  } catch (error) {
    // The script cache is empty after a Redis restart: send the script itself once.
    if (!String(error).includes("NOSCRIPT")) throw error;
    await redis.eval(DELIVER, ...args);
  }
}

/** Registers `processId` for the reply of a job it joined by id (the job's envelope names another). */
export async function registerJoiner(
  redis: Redis,
  prefix: string,
  type: string,
  bullId: string,
  processId: string,
): Promise<void> {
  const key = replyKeys(prefix).joiners(type, bullId);
  await redis.multi().sadd(key, processId).pexpire(key, REPLY_TTL_MS).exec();
}

/** Options of {@link createReplyChannel}. */
export interface ReplyChannelOptions {
  readonly connection: string;
  readonly prefix: string;
  /** This process's id: the `replyTo` of the jobs it submits. */
  readonly processId: string;
  readonly onReply: (reply: JobReply) => void;
  /** Called when the connection is back after a drop: replies may have been lost in it. */
  readonly onReconnect: () => void;
  readonly logger: Logger;
}

/** This process's end of the reply channel. */
export interface ReplyChannel {
  /** Resolves once the channel's connection is up. */
  ready(): Promise<void>;
  close(): void;
}

/**
 * Reads this process's reply list on a dedicated connection (a blocking pop, then the rest in one
 * batch), so a submitter reads only the replies meant for it.
 */
export function createReplyChannel(options: ReplyChannelOptions): ReplyChannel {
  const key = replyKeys(options.prefix).replies(options.processId);
  const redis = new Redis(options.connection, { maxRetriesPerRequest: null });
  redis.on("error", (error) => options.logger.warn({ err: error }, "reply channel connection error"));
  let closed = false;
  let connections = 0;
  redis.on("ready", () => {
    connections += 1;
    if (connections > 1) options.onReconnect();
  });
  const ready = new Promise<void>((resolve) => {
    if (redis.status === "ready") resolve();
    else redis.once("ready", () => resolve());
  });

  const handle = (text: string): void => {
    const reply = decodeReply(text);
    if (reply) options.onReply(reply);
    else options.logger.warn({ text: text.slice(0, 200) }, "malformed job reply");
  };

  void (async () => {
    while (!closed) {
      try {
        const first = await redis.blpop(key, BLOCK_SECONDS);
        if (!first) continue;
        const [rest] = (await redis
          .multi()
          .lrange(key, 0, DRAIN_BATCH - 1)
          .ltrim(key, DRAIN_BATCH, -1)
          .exec()) ?? [[null, []]];
        handle(first[1]);
        for (const text of (rest?.[1] as string[] | undefined) ?? []) handle(text);
      } catch (error) {
        if (closed) return;
        options.logger.warn({ err: error }, "could not read job replies");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  })();

  return {
    ready: () => ready,
    close() {
      closed = true;
      redis.disconnect();
    },
  };
}
