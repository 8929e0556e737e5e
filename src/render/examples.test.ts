import { readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createFfmpegRenderer } from "./ffmpeg/index.ts";
import { readTimelineFile } from "./parse-timeline.ts";
import { qc } from "./qc/index.ts";

const examplesFolder = fileURLToPath(new URL("../../examples/timelines/", import.meta.url));
const examples = (await readdir(examplesFolder)).filter((name) => name.endsWith(".json")).sort();
const outputFolder = path.join(os.tmpdir(), `litink-examples-${process.pid}`);

afterAll(async () => {
  await rm(outputFolder, { recursive: true, force: true });
});

describe("examples/timelines", () => {
  it("has examples", () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)("renders %s and passes QC", async (name) => {
    const timeline = await readTimelineFile(path.join(examplesFolder, name));
    const renderer = createFfmpegRenderer({ cacheDir: path.join(outputFolder, "cache"), concurrency: 2 });
    const result = await renderer.render(timeline, path.join(outputFolder, name.replace(/\.json$/, ".mp4")));
    const report = await qc(result.outputPath, timeline);
    expect(report.checks.filter((check) => !check.passed)).toEqual([]);
  });
});
