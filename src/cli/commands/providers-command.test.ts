import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakeProviders, startFakeProviders } from "../../../test/fakes/fake-providers.ts";
import { createProvidersCommand } from "./providers-command.ts";

let fakes: FakeProviders;

beforeAll(async () => {
  fakes = await startFakeProviders();
});

afterAll(async () => {
  await fakes?.close();
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

async function check(env: Record<string, string>, ...args: string[]): Promise<string> {
  for (const name of ["OPENROUTER", "MODELSLAB", "ELEVENLABS"]) {
    vi.stubEnv(`${name}_API_KEY`, env[`${name}_API_KEY`] ?? "");
    vi.stubEnv(`${name}_BASE_URL`, env[`${name}_BASE_URL`] ?? "");
  }
  let output = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output += String(chunk);
    return true;
  });
  await createProvidersCommand().parseAsync(["check", ...args], { from: "user" });
  return output;
}

describe("litink providers check", () => {
  it("makes one cheap call per configured provider and reports latency and cost", async () => {
    const output = await check(fakes.env);
    expect(output).toMatch(
      /^ok {4}openrouter {2}script meta-llama\/llama-3\.1-8b-instruct: \d+ ms, \$0\.\d+$/m,
    );
    expect(output).toMatch(/^ok {4}modelslab {3}image imagen-4-ultra: \d+ ms, \$0\.002$/m);
    expect(output).toMatch(/^ok {4}elevenlabs {2}GET voices: \d+ ms, \$0\.00$/m);
    expect(process.exitCode).toBeUndefined();
  });

  it("reports a refused key and fails, and names the variable of an unconfigured provider", async () => {
    const output = await check(
      { OPENROUTER_API_KEY: "wrong", OPENROUTER_BASE_URL: fakes.env.OPENROUTER_BASE_URL ?? "" },
      "--json",
    );
    const report = JSON.parse(output) as {
      ok: boolean;
      checks: { provider: string; errorCode?: string; hint?: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ provider: "openrouter", errorCode: "provider.auth" });
    expect(report.checks[1]).toMatchObject({
      provider: "modelslab",
      hint: "set MODELSLAB_API_KEY to use modelslab",
    });
    expect(process.exitCode).toBe(1);
  });
});
