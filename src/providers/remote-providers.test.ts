import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProviders, startFakeProviders } from "../../test/fakes/fake-providers.ts";
import { createRemoteProviders } from "./remote-providers.ts";

let fakes: FakeProviders;
beforeAll(async () => {
  fakes = await startFakeProviders();
});
afterAll(() => fakes.close());

const none = { apiKey: undefined, baseUrl: undefined };

describe("createRemoteProviders", () => {
  it("builds only the providers whose key is set", () => {
    expect(createRemoteProviders({ openrouter: none, modelslab: none, elevenlabs: none })).toEqual([]);
    const names = createRemoteProviders({
      openrouter: none,
      modelslab: { apiKey: "k", baseUrl: undefined },
      elevenlabs: { apiKey: "k", baseUrl: undefined },
    }).map((provider) => provider.name);
    expect(names).toEqual(["modelslab", "elevenlabs"]);
  });

  it("points every provider at its configured base URL (the fakes, end to end)", async () => {
    const { env } = fakes;
    const providers = createRemoteProviders({
      openrouter: { apiKey: env.OPENROUTER_API_KEY, baseUrl: env.OPENROUTER_BASE_URL },
      modelslab: { apiKey: env.MODELSLAB_API_KEY, baseUrl: env.MODELSLAB_BASE_URL },
      elevenlabs: { apiKey: env.ELEVENLABS_API_KEY, baseUrl: env.ELEVENLABS_BASE_URL },
    });
    const byName = new Map(providers.map((provider) => [provider.name, provider]));
    const text = await byName
      .get("openrouter")!
      .model("script", "openai/gpt-4o-mini")
      .generate({ messages: [{ role: "user", content: "Hi" }] });
    expect(text.costMicros).toBe(fakes.openrouter.totalChargedMicros());
    const image = await byName
      .get("modelslab")!
      .model("image", "imagen-4")
      .generate({ prompt: "sea", width: 512, height: 512 });
    expect(image.mediaType).toBe("image/png");
    const speech = await byName.get("elevenlabs")!.model("voice", "eleven_multilingual_v2").generate({
      text: "Hello.",
      voice: "21m00Tcm4TlvDq8ikWAM",
    });
    expect(speech.characters).toBe(fakes.elevenlabs.totalCharacters());
    expect(providers.map((provider) => Object.keys(provider.supports))).toEqual([
      ["script"],
      ["image", "video", "voice", "lip_sync"],
      ["voice", "voice_clone"],
    ]);
  });

  it("lets faults be injected by hand through the control endpoint", async () => {
    const origin = fakes.openrouter.server.origin;
    await fetch(`${origin}/__fake/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ route: "chat", fault: { kind: "error", status: 402 } }),
    });
    const provider = createRemoteProviders({
      openrouter: { apiKey: fakes.env.OPENROUTER_API_KEY, baseUrl: fakes.env.OPENROUTER_BASE_URL },
      modelslab: none,
      elevenlabs: none,
    })[0]!;
    await expect(
      provider
        .model("script", "openai/gpt-4o-mini")
        .generate({ messages: [{ role: "user", content: "Hi" }] }),
    ).rejects.toMatchObject({ kind: "no_credits", retryable: false });
    const calls = (await (await fetch(`${origin}/__fake/calls`)).json()) as {
      byRoute: Record<string, number>;
    };
    expect(calls.byRoute.chat).toBeGreaterThanOrEqual(2);
  });
});
