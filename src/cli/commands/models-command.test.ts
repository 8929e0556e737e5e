import { afterEach, describe, expect, it, vi } from "vitest";
import { createModelsCommand } from "./models-command.ts";

const KEYS = [
  "OPENROUTER_API_KEY",
  "MODELSLAB_API_KEY",
  "ELEVENLABS_API_KEY",
  "LITINK_REQUIRE_REMOTE",
] as const;

async function run(
  args: string[],
  env: Partial<Record<(typeof KEYS)[number], string>> = {},
): Promise<string> {
  for (const name of KEYS) vi.stubEnv(name, env[name] ?? "");
  let output = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output += String(chunk);
    return true;
  });
  await createModelsCommand().parseAsync(args, { from: "user" });
  return output;
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("litink models", () => {
  it("prints each capability's chain with prices, and what is skipped", async () => {
    const output = await run(["--tier", "premium"], { OPENROUTER_API_KEY: "k" });
    expect(output).toContain("Premium (premium)");
    expect(output).toContain(
      "1. openrouter/openai/gpt-4o            $2.50 in / $10.00 out per 1M tokens  (OR)",
    );
    expect(output).toContain(
      "openai/dall-e-3       $0.04 per image  (PLAN)  [skipped: no client for this provider]",
    );
    expect(output).toContain("image: (no remote model usable: the offline local provider serves)");
    expect(output).toContain("lip_sync: (no model usable: calls will fail until a key is set)");
    expect(output).not.toContain("Basic (basic)");
  });

  it("prints every tier as JSON", async () => {
    const report = JSON.parse(await run(["--json"])) as { tiers: { tier: string }[] };
    expect(report.tiers.map((tier) => tier.tier)).toEqual([
      "free",
      "basic",
      "standard",
      "premium",
      "professional",
      "enterprise",
    ]);
  });

  it("names the tiers when given an unknown one", async () => {
    await expect(run(["--tier", "gold"])).rejects.toMatchObject({
      code: "cli.unknown_tier",
      userFacing: true,
      message: expect.stringContaining("free, basic, standard, premium, professional, enterprise"),
    });
  });
});
