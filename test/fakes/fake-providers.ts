import { createElevenLabsFake, type ElevenLabsFake } from "./elevenlabs-fake.ts";
import { createModelsLabFake, type ModelsLabFake } from "./modelslab-fake.ts";
import { createOpenRouterFake, type OpenRouterFake } from "./openrouter-fake.ts";

/** The three remote-provider fakes, running. */
export interface FakeProviders {
  readonly openrouter: OpenRouterFake;
  readonly modelslab: ModelsLabFake;
  readonly elevenlabs: ElevenLabsFake;
  /** The environment variables that point LitinkAI at the fakes (base URLs and the fakes' keys). */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** Ports for {@link startFakeProviders}; 0 (the default) picks free ones. */
export interface FakeProviderPorts {
  readonly openrouter?: number;
  readonly modelslab?: number;
  readonly elevenlabs?: number;
}

/**
 * Starts all three fakes on 127.0.0.1. Spread `env` into `loadConfig({ env })` (or a child process's
 * environment) to drive the whole product against them.
 */
export async function startFakeProviders(ports: FakeProviderPorts = {}): Promise<FakeProviders> {
  const openrouter = await createOpenRouterFake({}, ports.openrouter ?? 0);
  const modelslab = await createModelsLabFake({}, ports.modelslab ?? 0);
  const elevenlabs = await createElevenLabsFake({}, ports.elevenlabs ?? 0);
  return {
    openrouter,
    modelslab,
    elevenlabs,
    env: {
      OPENROUTER_BASE_URL: openrouter.baseURL,
      OPENROUTER_API_KEY: openrouter.apiKey,
      MODELSLAB_BASE_URL: modelslab.baseURL,
      MODELSLAB_API_KEY: modelslab.apiKey,
      ELEVENLABS_BASE_URL: elevenlabs.baseURL,
      ELEVENLABS_API_KEY: elevenlabs.apiKey,
    },
    close: async () => {
      await Promise.all([openrouter.close(), modelslab.close(), elevenlabs.close()]);
    },
  };
}
