import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, PROJECT_ROOT } from "./load-config.ts";

const temporaryDirectories: string[] = [];

/** A copy of the real config folder with one file edited. */
function configWith(file: "tiers.yaml" | "models.yaml", edit: (text: string) => string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "litink-config-"));
  temporaryDirectories.push(root);
  const dir = path.join(root, "config");
  cpSync(path.join(PROJECT_ROOT, "config"), dir, { recursive: true });
  const target = path.join(dir, file);
  writeFileSync(target, edit(readFileSync(target, "utf8")));
  return dir;
}

function loadWith(dir: string, env: Record<string, string> = {}) {
  return loadConfig({ env: { LITINK_CONFIG_DIR: dir, ...env }, cwd: path.dirname(dir) });
}

afterEach(() => {
  for (const dir of temporaryDirectories.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("loadConfig", () => {
  it("loads the shipped tiers and model chains", () => {
    const config = loadConfig({ env: {} });
    expect(Object.keys(config.tiers)).toEqual([
      "free",
      "basic",
      "standard",
      "premium",
      "professional",
      "enterprise",
    ]);
    expect(config.tiers.free).toMatchObject({
      maxResolution: "720p",
      watermark: true,
      customModelSelection: false,
      monthlyCostAlertMicros: 3_000_000,
      monthlyVideoLimit: 2,
    });
    expect(config.tiers.professional).toMatchObject({
      monthlyVideoLimit: 500,
      videoLimitKind: "soft",
      priority: 1,
    });
    expect(config.tiers.enterprise.monthlyPriceMicros).toBeNull();
    expect(config.models.chains.script.basic.map((e) => e.model)).toEqual([
      "deepseek/deepseek-chat",
      "meta-llama/llama-3.1-8b-instruct",
    ]);
    expect(config.models.chains.script.premium[0]?.price).toEqual({
      unit: "tokens",
      inputPerMillionMicros: 2_500_000,
      outputPerMillionMicros: 10_000_000,
    });
    expect(config.models.chains.voice.basic[0]).toMatchObject({
      provider: "elevenlabs",
      model: "eleven_multilingual_v2",
    });
    expect(Object.isFrozen(config.tiers.free)).toBe(true);
  });

  it("defaults to the embedded database, local storage and the in-process queue", () => {
    const config = loadConfig({ env: {}, cwd: "/srv/litink" });
    expect(config.database).toEqual({ kind: "pglite", dataDir: "/srv/litink/data/db" });
    expect(config.storage).toEqual({ kind: "fs", root: "/srv/litink/data/storage" });
    expect(config.queue).toEqual({ kind: "embedded" });
    expect(config.limits.maxUploadBytes).toBe(50 * 1024 * 1024);
    expect(config.renderCache).toEqual({
      dir: "/srv/litink/data/cache/render",
      maxBytes: 5000 * 1024 * 1024,
    });
  });

  it("takes the render cache budget in MB, 0 turning it off", () => {
    expect(loadConfig({ env: { LITINK_RENDER_CACHE_MAX_MB: "200" } }).renderCache.maxBytes).toBe(
      200 * 1024 * 1024,
    );
    expect(loadConfig({ env: { LITINK_RENDER_CACHE_MAX_MB: "0" } }).renderCache.maxBytes).toBeUndefined();
    expect(() => loadConfig({ env: { LITINK_RENDER_CACHE_MAX_MB: "lots" } })).toThrow(
      "LITINK_RENDER_CACHE_MAX_MB",
    );
    expect(() => loadConfig({ env: { LITINK_RENDER_CACHE_MAX_MB: "-5" } })).toThrow(
      "LITINK_RENDER_CACHE_MAX_MB",
    );
  });

  it("switches backends from the environment", () => {
    const config = loadConfig({
      env: {
        DATABASE_URL: "postgres://u@db:5432/litink",
        STORAGE_URL: "s3://videos/litink?endpoint=https://s3.example.com&region=eu-central-1",
        REDIS_URL: "redis://cache:6379",
        OPENROUTER_API_KEY: "sk-or-v1-abc",
        LITINK_REQUIRE_REMOTE: "true",
        LITINK_MAX_UPLOAD_MB: "10",
      },
    });
    expect(config.database).toEqual({ kind: "postgres", url: "postgres://u@db:5432/litink" });
    expect(config.storage).toEqual({
      kind: "s3",
      bucket: "videos",
      endpoint: "https://s3.example.com",
      region: "eu-central-1",
      forcePathStyle: true,
      prefix: "litink",
    });
    expect(config.queue).toEqual({ kind: "bullmq", url: "redis://cache:6379" });
    expect(config.providers.openrouter.apiKey).toBe("sk-or-v1-abc");
    expect(config.providers.modelslab.apiKey).toBeUndefined();
    expect(config.requireRemote).toBe(true);
    expect(config.limits.maxUploadBytes).toBe(10 * 1024 * 1024);
  });

  it("names the file, the field path and the bad value", () => {
    const dir = configWith("tiers.yaml", (text) =>
      text.replace(
        "max_resolution: 720p\n    max_video_duration_minutes: 5",
        'max_resolution: "4k"\n    max_video_duration_minutes: 5',
      ),
    );
    expect(() => loadWith(dir)).toThrow(
      'config/tiers.yaml: tiers.basic.max_resolution: expected one of 720p, 1080p, 2160p, got "4k"',
    );
  });

  it.each([
    [
      "a missing field",
      (t: string) => t.replace("    watermark: true\n", ""),
      "tiers.free.watermark: missing (expected boolean)",
    ],
    [
      "an unknown field",
      (t: string) => t.replace("    watermark: true\n", "    watermark: true\n    watermarks: 1\n"),
      "tiers.free: unknown field watermarks",
    ],
    [
      "a wrong type",
      (t: string) => t.replace("priority: 5", "priority: high"),
      'tiers.free.priority: expected number, got "high"',
    ],
    [
      "bad money",
      (t: string) => t.replace('monthly_cost_alert_usd: "3"', 'monthly_cost_alert_usd: "three"'),
      'tiers.free.monthly_cost_alert_usd: not a dollar amount: "three"',
    ],
    [
      "a missing tier",
      (t: string) => t.replace(/ {2}enterprise:[\s\S]*$/, ""),
      "tiers.enterprise: missing (expected object)",
    ],
    ["broken YAML", (t: string) => t.replace("tiers:", "tiers: [\n"), "config/tiers.yaml: line "],
  ])("reports %s in tiers.yaml", (_name, edit, message) => {
    const dir = configWith("tiers.yaml", edit);
    expect(() => loadWith(dir)).toThrow(message);
  });

  it.each([
    [
      "an unknown price unit",
      (t: string) => t.replace("unit: image, per_image", "unit: images, per_image"),
      "chains.image.free.0.price.unit",
    ],
    [
      "a malformed date",
      (t: string) => t.replace('prices_as_of: "2026-08-22"', 'prices_as_of: "August"'),
      "prices_as_of: expected a date YYYY-MM-DD",
    ],
    [
      "a missing capability",
      (t: string) => t.replace(/ {2}lip_sync:[\s\S]*$/, ""),
      "chains.lip_sync: missing",
    ],
  ])("reports %s in models.yaml", (_name, edit, message) => {
    const dir = configWith("models.yaml", edit);
    expect(() => loadWith(dir)).toThrow(message);
  });

  it("reports bad environment variables without echoing their values", () => {
    expect(() => loadConfig({ env: { DATABASE_URL: "mysql://secret-password@x/y" } })).toThrow(
      "environment: DATABASE_URL: expected postgres://user@host:port/database",
    );
    expect(() => loadConfig({ env: { DATABASE_URL: "mysql://secret-password@x/y" } })).not.toThrow(
      /secret-password/,
    );
    expect(() => loadConfig({ env: { LITINK_MAX_UPLOAD_MB: "-1" } })).toThrow("LITINK_MAX_UPLOAD_MB");
  });

  it("reports a missing config folder", () => {
    expect(() => loadConfig({ env: { LITINK_CONFIG_DIR: "/nonexistent/config" } })).toThrow(
      /tiers\.yaml: cannot read the file/,
    );
  });
});
