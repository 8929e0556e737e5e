/**
 * `npm run fake-providers`: starts the OpenRouter, ModelsLab and ElevenLabs fakes on 127.0.0.1 and prints
 * the environment that points LitinkAI at them. Ports: FAKE_OPENROUTER_PORT, FAKE_MODELSLAB_PORT,
 * FAKE_ELEVENLABS_PORT (default 4010, 4011, 4012; 0 picks free ones). Faults can be injected by hand:
 *   curl -X POST $OPENROUTER_ORIGIN/__fake/faults -d '{"route":"chat","fault":{"kind":"error","status":429,"retryAfterSeconds":5}}'
 * and call counts read from GET /__fake/calls. Stops on Ctrl-C.
 */
import { startFakeProviders } from "./fake-providers.ts";

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
    console.error(`${name}=${value} is not a port number (0-65535)`);
    process.exit(2);
  }
  return parsed;
}

const fakes = await startFakeProviders({
  openrouter: port("FAKE_OPENROUTER_PORT", 4010),
  modelslab: port("FAKE_MODELSLAB_PORT", 4011),
  elevenlabs: port("FAKE_ELEVENLABS_PORT", 4012),
}).catch((error: unknown) => {
  console.error(`could not start the fake providers: ${(error as Error).message}`);
  console.error("set FAKE_OPENROUTER_PORT / FAKE_MODELSLAB_PORT / FAKE_ELEVENLABS_PORT (0 = any free port)");
  process.exit(1);
});

console.log("# Fake AI providers on 127.0.0.1. Point LitinkAI at them with:");
for (const [name, value] of Object.entries(fakes.env)) console.log(`export ${name}=${value}`);
console.log(
  "# Control: POST <origin>/__fake/faults {route, fault, times} · GET <origin>/__fake/calls · POST <origin>/__fake/reset",
);
console.log("# Ctrl-C to stop.");

const stop = async () => {
  await fakes.close();
  process.exit(0);
};
process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
