import { describe, expect, it, vi } from "vitest";
import type { JobEvent, JobEventBus } from "./job-events.ts";

/**
 * Builds the two ends of a fresh bus: the publisher's and a watcher's (the same bus in-process, two
 * connections for Redis, as on two machines). The suite closes both.
 */
export type EventBusFactory = () => Promise<{
  readonly publisher: JobEventBus;
  readonly watcher: JobEventBus;
}>;

let sequence = 0;
function event(videoId: string, stage: string, fields: Partial<JobEvent> = {}): JobEvent {
  return {
    videoId,
    stage,
    status: "progress",
    at: new Date(Date.UTC(2026, 10, 29, 7, 0, sequence++)).toISOString(),
    ...fields,
  };
}

async function closeBoth(buses: { publisher: JobEventBus; watcher: JobEventBus }): Promise<void> {
  await buses.publisher.close();
  if (buses.watcher !== buses.publisher) await buses.watcher.close();
}

/**
 * The behaviour every JobEventBus must show: a video's events reach its subscribers in order, whole,
 * and only theirs; a subscription ends when asked; a closed bus neither throws nor delivers.
 */
export function describeJobEventBusConformance(name: string, create: EventBusFactory): void {
  describe(`JobEventBus conformance: ${name}`, () => {
    it("delivers a video's events to its subscribers in order, with every field, and no other video's", async () => {
      const buses = await create();
      const seen: JobEvent[] = [];
      const stop = await buses.watcher.subscribe("video-a", (e) => seen.push(e));
      const first = event("video-a", "image_generation", {
        done: 1,
        total: 3,
        message: "scene 1",
        elapsedMs: 1200,
      });
      await buses.publisher.publish(first);
      await buses.publisher.publish(event("video-b", "image_generation"));
      const last = event("video-a", "image_generation", { status: "succeeded" });
      await buses.publisher.publish(last);
      await vi.waitFor(() => expect(seen).toHaveLength(2));
      expect(seen).toEqual([first, last]);
      await stop();
      await closeBoth(buses);
    });

    it("delivers each event to every subscriber of the video, and stops one subscription when asked", async () => {
      const buses = await create();
      const kept: string[] = [];
      const ended: string[] = [];
      const stopKept = await buses.watcher.subscribe("video-c", (e) => kept.push(e.stage));
      const stopEnded = await buses.watcher.subscribe("video-c", (e) => ended.push(e.stage));
      await buses.publisher.publish(event("video-c", "script_generation"));
      await vi.waitFor(() => expect(ended).toEqual(["script_generation"]));
      await stopEnded();
      await buses.publisher.publish(event("video-c", "scene_breakdown"));
      await vi.waitFor(() => expect(kept).toEqual(["script_generation", "scene_breakdown"]));
      expect(ended).toEqual(["script_generation"]);
      await stopKept();
      await closeBoth(buses);
    });

    it("keeps delivering to the others when one listener throws", async () => {
      const buses = await create();
      const seen: string[] = [];
      const stopThrowing = await buses.watcher.subscribe("video-d", () => {
        throw new Error("a broken watcher");
      });
      const stop = await buses.watcher.subscribe("video-d", (e) => seen.push(e.stage));
      await expect(buses.publisher.publish(event("video-d", "lip_sync"))).resolves.toBeUndefined();
      await vi.waitFor(() => expect(seen).toEqual(["lip_sync"]));
      await stopThrowing();
      await stop();
      await closeBoth(buses);
    });

    it("resolves a publish nobody listens to, and neither throws nor delivers once closed", async () => {
      const buses = await create();
      await expect(buses.publisher.publish(event("video-e", "ingest"))).resolves.toBeUndefined();
      const seen: JobEvent[] = [];
      const stop = await buses.watcher.subscribe("video-e", (e) => seen.push(e));
      await closeBoth(buses);
      await expect(buses.publisher.publish(event("video-e", "ingest"))).resolves.toBeUndefined();
      await expect(stop()).resolves.toBeUndefined();
      expect(seen).toEqual([]);
    });
  });
}
