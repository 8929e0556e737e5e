import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../config/index.ts";

const BIN = path.join(PROJECT_ROOT, "bin", "litink.js");
const UNKNOWN_VIDEO = "00000000-0000-0000-0000-000000000000";

/** A module-loader hook that appends every module URL the process loads to `$LITINK_TEST_LOAD_LOG`. */
const RECORD_LOADS = `
import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent(\`
  import { appendFileSync } from "node:fs";
  export async function load(url, context, next) {
    appendFileSync(process.env.LITINK_TEST_LOAD_LOG, url + "\\\\n");
    return next(url, context);
  }
\`));
`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Every module URL the process loaded. */
  readonly loaded: readonly string[];
}

describe("litink (the bin)", () => {
  let dir: string;
  let hook: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "litink-cli-"));
    hook = path.join(dir, "record-loads.mjs");
    await writeFile(hook, RECORD_LOADS);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs the bin in `dir` on the embedded services only, with its own (fresh) data folder. */
  async function litink(name: string, args: readonly string[]): Promise<Run> {
    const log = path.join(dir, `${name}.loads`);
    await writeFile(log, "");
    const { DATABASE_URL, REDIS_URL, STORAGE_URL, ...env } = process.env;
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          ["--import", hook, BIN, ...args],
          {
            cwd: dir,
            env: { ...env, LITINK_DATA_DIR: path.join(dir, `${name}-data`), LITINK_TEST_LOAD_LOG: log },
          },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
      },
    );
    return { code, stdout, stderr, loaded: (await readFile(log, "utf8")).split("\n").filter(Boolean) };
  }

  it("prints its version without loading any command or the configuration", async () => {
    const { version } = JSON.parse(await readFile(path.join(PROJECT_ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    const run = await litink("version", ["--version"]);
    expect(run).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
    expect(run.loaded.filter((url) => /\/src\/(cli\/commands|config)\//.test(url))).toEqual([]);
    expect(run.loaded.some((url) => url.endsWith("/src/cli/main.ts"))).toBe(true);
  });

  it("lists every command in its help", async () => {
    const run = await litink("help", ["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["render", "ingest", "status", "fetch", "queue", "worker", "doctor", "migrate"]) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
  });

  it("answers status and fetch of an unknown video on a fresh data folder, loading no S3, Redis or PostgreSQL client", async () => {
    const [status, fetch] = await Promise.all([
      litink("status", ["status", UNKNOWN_VIDEO]),
      litink("fetch", ["fetch", UNKNOWN_VIDEO, "--out", path.join(dir, "out")]),
    ]);
    for (const run of [status, fetch]) {
      expect(run.stderr).toBe(
        `litink: no video ${UNKNOWN_VIDEO} in the database; check the id litink render printed (and DATABASE_URL)\n`,
      );
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      const heavy = run.loaded.filter((url) => /\/node_modules\/(@aws-sdk|bullmq|ioredis|pg)\//.test(url));
      expect(heavy).toEqual([]);
    }
  }, 120_000);
});
