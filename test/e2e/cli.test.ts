import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config/index.ts";
import { cleanLitinkEnv } from "../support/litink-env.ts";

const execFileAsync = promisify(execFile);
const BIN = path.join(PROJECT_ROOT, "bin", "litink.js");

/** Runs the real `litink` binary in `cwd` with a clean environment (no provider keys, no servers). */
async function litink(args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], {
      cwd,
      env: cleanLitinkEnv(env),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("litink CLI", () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(os.tmpdir(), "litink-cli-"));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it("prints help and version", async () => {
    const help = await litink(["--help"], cwd);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("doctor");
    expect(help.stdout).toContain("migrate");
    const version = await litink(["--version"], cwd);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("doctor reports a ready machine with nothing configured", async () => {
    const result = await litink(["doctor", "--json"], cwd);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      checks: { name: string; ok: boolean; detail: string }[];
    };
    expect(report.ok).toBe(true);
    const byName = Object.fromEntries(report.checks.map((check) => [check.name, check]));
    expect(byName.ffmpeg?.ok).toBe(true);
    expect(byName.database?.detail).toContain("embedded PGlite");
    expect(byName.queue?.detail).toContain("embedded");
    expect(byName["provider openrouter"]).toMatchObject({
      ok: false,
      detail: expect.stringContaining("not set"),
    });
  });

  it("doctor never prints a key's value", async () => {
    const result = await litink(["doctor"], cwd, { OPENROUTER_API_KEY: "sk-or-v1-very-secret" });
    expect(result.stdout).toContain("OPENROUTER_API_KEY is set");
    expect(result.stdout).not.toContain("very-secret");
  });

  it("doctor fails clearly when a configured server is unreachable", async () => {
    const result = await litink(["doctor"], cwd, { REDIS_URL: "redis://127.0.0.1:1" });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL\s+queue\s+cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });

  it("migrate is idempotent", async () => {
    const first = await litink(["migrate"], cwd);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied \d+ migration/);
    const second = await litink(["migrate"], cwd);
    expect(second.stdout).toContain("database is up to date");
  });

  it("a user error is one line without a stack trace, exit 2", async () => {
    const result = await litink(["migrate"], cwd, { LITINK_CONFIG_DIR: "/nonexistent" });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      "litink: /nonexistent/tiers.yaml: cannot read the file (ENOENT: no such file or directory, open '/nonexistent/tiers.yaml')",
    );
  });
});

describe("litink render: tier rules and estimates", () => {
  let cwd: string;
  const book = path.join(PROJECT_ROOT, "test", "fixtures", "ingest", "treasure-island.txt");
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(os.tmpdir(), "litink-cli-"));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it("refuses a Free render longer than the tier allows, with the limit and the estimate", async () => {
    const result = await litink(["render", book, "--chapters", "1", "--tier", "free"], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /\nlitink: the Free tier allows videos up to 3 min; this request would make about \d+ min( \d+ s)?\. Choose fewer chapters \(--chapters\), add --trim to stop at 3 min, or use a higher tier\n$/,
    );
  });

  it("refuses a chapter range outside the book", async () => {
    const result = await litink(["render", book, "--chapters", "40-41"], cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "treasure-island.txt has 34 chapters; --chapters 40-41 is out of range (use 1-34)",
    );
  });

  it("refuses a model choice on Basic", async () => {
    const result = await litink(
      ["render", book, "--chapters", "1", "--tier", "basic", "--model", "script=openai/gpt-4o", "--trim"],
      cwd,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "the Basic tier uses fixed models; choosing a model (script: openai/gpt-4o) needs Standard or higher",
    );
  });

  it("estimates length and cost per stage before spending anything", async () => {
    const result = await litink(
      ["render", book, "--chapters", "1-2", "--tier", "premium", "--estimate", "--json"],
      cwd,
    );
    expect(result.code).toBe(0);
    const estimate = JSON.parse(result.stdout) as {
      seconds: number;
      words: number;
      stages: { stage: string }[];
      totalMicros: number;
    };
    expect(estimate.words).toBeGreaterThan(3000);
    expect(estimate.seconds).toBeGreaterThan(estimate.words / 3);
    expect(estimate.stages.map((stage) => stage.stage)).toEqual([
      "script_generation",
      "image_generation",
      "audio_generation",
    ]);
    expect(estimate.totalMicros).toBe(0);
    const over = await litink(["render", book, "--chapters", "1-4", "--tier", "free", "--estimate"], cwd);
    expect(over.code).toBe(0);
    expect(over.stdout).toContain("! a render would be refused: the Free tier allows videos up to 3 min");
  });
});
