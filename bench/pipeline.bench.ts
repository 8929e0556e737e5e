/**
 * `npm run bench:pipeline`: the main job, offline, end to end at 1280x720 on
 *   (a) a ~750-word chapter (about 5 minutes of narration) and
 *   (b) a text ten times longer,
 * each on a fresh data folder (nothing cached): wall time, realtime factor (seconds of video per wall
 * second) and the pipeline process's peak RSS; then a re-run of (a) after editing one scene.
 * Targets on a 2-core machine: (a) <= 60 s; (b) within 11x of (a) and peak RSS within 1.5x of (a);
 * the edited re-run <= 20% of (a). The last line is one JSON object.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { cleanLitinkEnv } from "../test/support/litink-env.ts";
import { benchmarkBook, timedRender, treasureIslandProse } from "./support/benchmark-book.ts";

/** The (a) and (b) renders: offline on the embedded defaults, each work folder its own data folder. */
const run = (work: string, file: string) =>
  timedRender(file, work, cleanLitinkEnv({ LITINK_DATA_DIR: path.join(work, "data") }));

const paragraphs = await treasureIslandProse();
const root = await mkdtemp(path.join(os.tmpdir(), "litink-bench-pipeline-"));
try {
  const shortFile = path.join(root, "short.txt");
  const longFile = path.join(root, "long.txt");
  await writeFile(shortFile, benchmarkBook(paragraphs, 1, 750));
  await writeFile(longFile, benchmarkBook(paragraphs, 10, 750));

  const shortWork = await mkdtemp(path.join(root, "a-"));
  const short = await run(shortWork, shortFile);
  console.log(
    `(a) ~750 words: ${short.seconds.toFixed(1)} s wall, ${short.result.durationSeconds.toFixed(0)} s of video, ` +
      `realtime x${(short.result.durationSeconds / short.seconds).toFixed(2)}, peak RSS ${short.result.peakRssMb} MiB`,
  );

  const original = await readFile(shortFile, "utf8");
  const firstParagraph = paragraphs[0]!;
  // A wording change inside the first scene that changes neither place, time nor cast.
  await writeFile(shortFile, original.replace(firstParagraph, firstParagraph.replace(" and ", " and so ")));
  const rerun = await run(shortWork, shortFile);
  console.log(
    `(a) after editing one scene: ${rerun.seconds.toFixed(1)} s (${((rerun.seconds / short.seconds) * 100).toFixed(0)}% of (a)), ` +
      `${rerun.result.segmentsRendered} segment(s) re-encoded`,
  );

  // `--short-only`: (a) and its edited re-run, for quick checks while working on the pipeline.
  const long = process.argv.includes("--short-only")
    ? undefined
    : await run(await mkdtemp(path.join(root, "b-")), longFile);
  if (long) {
    console.log(
      `(b) ~7,500 words: ${long.seconds.toFixed(1)} s wall (${(long.seconds / short.seconds).toFixed(2)}x (a)), ` +
        `${long.result.durationSeconds.toFixed(0)} s of video, realtime x${(long.result.durationSeconds / long.seconds).toFixed(2)}, ` +
        `peak RSS ${long.result.peakRssMb} MiB (${(long.result.peakRssMb / short.result.peakRssMb).toFixed(2)}x (a))`,
    );
  }
  console.log(
    JSON.stringify({
      short_s: Number(short.seconds.toFixed(2)),
      long_s: long ? Number(long.seconds.toFixed(2)) : null,
      short_rss_mb: short.result.peakRssMb,
      long_rss_mb: long ? long.result.peakRssMb : null,
      rerun_s: Number(rerun.seconds.toFixed(2)),
      realtime_factor: Number((short.result.durationSeconds / short.seconds).toFixed(3)),
    }),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
