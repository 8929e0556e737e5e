import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProviders, startFakeProviders } from "../../test/fakes/fake-providers.ts";
import type { FakeServer } from "../../test/fakes/fake-server.ts";
import type { Fault } from "../../test/fakes/fault.ts";
import { createElevenLabs } from "./elevenlabs/index.ts";
import { createModelsLab } from "./modelslab/index.ts";
import { createOpenRouter } from "./openrouter/index.ts";
import { isProviderError, type ProviderErrorKind } from "./provider-error.ts";
import type { CallOptions } from "./types.ts";

/**
 * One conformance suite for every remote client: the same transport faults and HTTP errors, injected by
 * each provider's fake, must come out as the same ProviderError kinds.
 */
let fakes: FakeProviders;
beforeAll(async () => {
  fakes = await startFakeProviders();
});
afterAll(() => fakes.close());

interface Subject {
  readonly name: string;
  readonly server: () => FakeServer;
  readonly route: string;
  readonly call: (options?: CallOptions) => Promise<unknown>;
}

const subjects: Subject[] = [
  {
    name: "openrouter",
    server: () => fakes.openrouter.server,
    route: "chat",
    call: (options) =>
      createOpenRouter({ apiKey: fakes.openrouter.apiKey, baseURL: fakes.openrouter.baseURL })
        .model("script", "openai/gpt-4o-mini")
        .generate({ messages: [{ role: "user", content: "Hi" }] }, options),
  },
  {
    name: "modelslab",
    server: () => fakes.modelslab.server,
    route: "text-to-image",
    call: (options) =>
      createModelsLab({ apiKey: fakes.modelslab.apiKey, baseURL: fakes.modelslab.baseURL })
        .model("image", "imagen-4")
        .generate({ prompt: "sea", width: 512, height: 512 }, options),
  },
  {
    name: "elevenlabs",
    server: () => fakes.elevenlabs.server,
    route: "tts-timestamps",
    call: (options) =>
      createElevenLabs({ apiKey: fakes.elevenlabs.apiKey, baseURL: fakes.elevenlabs.baseURL })
        .model("voice", "eleven_multilingual_v2")
        .generate({ text: "Hello.", voice: "21m00Tcm4TlvDq8ikWAM" }, options),
  },
];

const faults: readonly {
  fault: Fault;
  kind: ProviderErrorKind;
  retryable: boolean;
  retryAfterMs?: number;
}[] = [
  {
    fault: { kind: "error", status: 429, retryAfterSeconds: 3 },
    kind: "rate_limited",
    retryable: true,
    retryAfterMs: 3000,
  },
  { fault: { kind: "error", status: 500 }, kind: "server", retryable: true },
  { fault: { kind: "error", status: 402 }, kind: "no_credits", retryable: false },
  { fault: { kind: "error", status: 401 }, kind: "auth", retryable: false },
  { fault: { kind: "reset" }, kind: "network", retryable: true },
  { fault: { kind: "truncated-json" }, kind: "network", retryable: true },
  { fault: { kind: "malformed-json" }, kind: "invalid_response", retryable: false },
  { fault: { kind: "wrong-content-type" }, kind: "invalid_response", retryable: false },
];

describe.each(subjects)("$name client conformance", (subject) => {
  it("succeeds when nothing is wrong", async () => {
    await expect(subject.call()).resolves.toBeDefined();
  });

  it.each(faults)(
    "maps $fault.kind $fault.status to $kind",
    async ({ fault, kind, retryable, retryAfterMs }) => {
      subject.server().fail(subject.route, fault);
      const error = await subject.call().catch((caught: unknown) => caught);
      expect(isProviderError(error)).toBe(true);
      expect(error).toMatchObject({ kind, retryable, provider: subject.name });
      if (retryAfterMs !== undefined) expect(error).toMatchObject({ retryAfterMs });
    },
  );

  it("turns a hang into a timeout under AbortSignal.timeout, and rethrows a cancellation as is", async () => {
    subject.server().fail(subject.route, { kind: "hang" });
    await expect(subject.call({ signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      kind: "timeout",
    });
    const cancelled = new Error("user pressed Ctrl-C");
    await expect(subject.call({ signal: AbortSignal.abort(cancelled) })).rejects.toBe(cancelled);
  });
});
