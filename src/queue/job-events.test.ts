import net from "node:net";
import { Redis } from "ioredis";
import { describe, expect, it, vi } from "vitest";
import { serviceAvailable, TEST_REDIS_URL, uniqueName } from "../../test/support/services.ts";
import { describeJobEventBusConformance } from "./job-events.conformance.ts";
import { createEmbeddedEventBus, createRedisEventBus, type JobEvent } from "./job-events.ts";

describeJobEventBusConformance("embedded", async () => {
  const bus = createEmbeddedEventBus();
  return { publisher: bus, watcher: bus };
});

const up = await serviceAvailable("Redis", TEST_REDIS_URL);

if (up) {
  describeJobEventBusConformance("redis", async () => {
    // Pub/sub keeps no keys: a unique prefix keeps runs apart, and there is nothing to clean up.
    const prefix = uniqueName("litink-test-events");
    return {
      publisher: createRedisEventBus({ connection: TEST_REDIS_URL, prefix }),
      watcher: createRedisEventBus({ connection: TEST_REDIS_URL, prefix }),
    };
  });
}

const at = () => new Date().toISOString();

describe.skipIf(!up)("Redis job event bus", () => {
  it("publishes on the channel PREFIX:events:VIDEO_ID, and a deployment with another prefix hears nothing", async () => {
    const prefix = uniqueName("litink-test-events");
    const raw = new Redis(TEST_REDIS_URL);
    const onChannel: string[] = [];
    raw.on("message", (channel: string, text: string) => onChannel.push(`${channel} ${text}`));
    await raw.subscribe(`${prefix}:events:video-1`);
    const publisher = createRedisEventBus({ connection: TEST_REDIS_URL, prefix });
    const other = createRedisEventBus({ connection: TEST_REDIS_URL, prefix: `${prefix}-other` });
    const mine = createRedisEventBus({ connection: TEST_REDIS_URL, prefix });
    const heardByOther: JobEvent[] = [];
    const heardByMine: JobEvent[] = [];
    await other.subscribe("video-1", (e) => heardByOther.push(e));
    await mine.subscribe("video-1", (e) => heardByMine.push(e));
    const sent: JobEvent = { videoId: "video-1", stage: "ingest", status: "started", at: at() };
    await publisher.publish(sent);
    await vi.waitFor(() => expect(heardByMine).toEqual([sent]));
    expect(onChannel).toEqual([`${prefix}:events:video-1 ${JSON.stringify(sent)}`]);
    expect(heardByOther).toEqual([]);
    await Promise.all([publisher.close(), other.close(), mine.close()]);
    await raw.quit();
  });

  it("drops a malformed message, or one sent on another video's channel, and keeps delivering", async () => {
    const prefix = uniqueName("litink-test-events");
    const raw = new Redis(TEST_REDIS_URL);
    const bus = createRedisEventBus({ connection: TEST_REDIS_URL, prefix });
    const seen: JobEvent[] = [];
    await bus.subscribe("video-2", (e) => seen.push(e));
    const channel = `${prefix}:events:video-2`;
    await raw.publish(channel, "not json");
    await raw.publish(channel, JSON.stringify({ videoId: "video-2", stage: "ingest" }));
    await raw.publish(
      channel,
      JSON.stringify({ videoId: "video-3", stage: "ingest", status: "started", at: at() }),
    );
    const valid: JobEvent = { videoId: "video-2", stage: "ingest", status: "succeeded", at: at() };
    await raw.publish(channel, JSON.stringify(valid));
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen).toEqual([valid]);
    await bus.close();
    await raw.quit();
  });

  it("resolves a publish when Redis is unreachable, dropping the event, and rejects a subscription", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const bus = createRedisEventBus({ connection: `redis://127.0.0.1:${port}` });
    await expect(
      bus.publish({ videoId: "video-4", stage: "ingest", status: "started", at: at() }),
    ).resolves.toBeUndefined();
    await expect(bus.subscribe("video-4", () => undefined)).rejects.toThrow();
    await bus.close();
  }, 20_000);
});
