import { describe, expect, it } from "vitest";
import { parseTimeline } from "../parse-timeline.ts";
import { MotionSchema } from "../timeline.ts";
import { layoutTimeline } from "../timeline-layout.ts";
import { buildAssembleCommand, chaptersMetadata, concatList } from "./assemble-command.ts";
import { createProgressParser, estimateProgress, type FfmpegProgressBlock } from "./ffmpeg-progress.ts";
import { escapeFilterValue, ffmpegColour } from "./filter-escape.ts";
import { fitFilter } from "./fit-filter.ts";
import { easingExpression, motionPath, zoompanFilter } from "./motion-filter.ts";
import { summarizeStderr } from "./run-ffmpeg.ts";
import { stableJson } from "./segment-cache.ts";
import { buildSegmentCommand, crossfadeFilter } from "./segment-command.ts";
import { isImageHeader } from "./validate-assets.ts";

describe("filter values", () => {
  it("escapes option and graph special characters", () => {
    expect(escapeFilterValue("/tmp/plain/file.ass")).toBe("/tmp/plain/file.ass");
    expect(escapeFilterValue("C:/a,b")).toBe("C\\\\:/a\\,b");
    expect(escapeFilterValue("it's")).toBe("it\\\\\\'s");
  });

  it("writes colours in FFmpeg syntax with alpha", () => {
    expect(ffmpegColour("#a0b0c0")).toBe("0xA0B0C0");
    expect(ffmpegColour("#ffffff", 0.5)).toBe("0xFFFFFF@0.5");
    expect(ffmpegColour("#00000080")).toBe("0x000000@0.502");
  });
});

describe("fit filters", () => {
  it("crops around the focus point", () => {
    expect(fitFilter("0:v", "fit", "crop", 320, 180, { x: 0.25, y: 1 })).toBe(
      "[0:v]scale=320:180:force_original_aspect_ratio=increase,crop=320:180:'(iw-ow)*0.25':'(ih-oh)*1',setsar=1[fit]",
    );
  });

  it("letterboxes with contain", () => {
    expect(fitFilter("in", "out", "contain", 180, 320)).toContain(
      "pad=180:320:'(ow-iw)/2':'(oh-ih)/2':color=black",
    );
  });

  it("lays the picture over a blurred copy", () => {
    const graph = fitFilter("in", "out", "blur", 1080, 1920);
    expect(graph).toContain("[in]split=2[out_bg_in][out_fg_in]");
    expect(graph).toContain("boxblur=");
    expect(graph).toContain("scale=1080:1920:force_original_aspect_ratio=decrease");
    expect(graph.endsWith("overlay='(W-w)/2':'(H-h)/2'[out]")).toBe(true);
  });
});

describe("Ken Burns motion", () => {
  it("zooms in around the focus and pans across the free room", () => {
    const zoom = motionPath(MotionSchema.parse({ type: "zoom-in", amount: 0.3 }), { x: 0.2, y: 0.8 });
    expect(zoom).toEqual({ zoomFrom: 1, zoomTo: 1.3, xFrom: 0.2, xTo: 0.2, yFrom: 0.8, yTo: 0.8 });
    const pan = motionPath(MotionSchema.parse({ type: "pan", direction: "up-left" }), { x: 0.5, y: 0.5 });
    expect(pan).toMatchObject({ xFrom: 1, xTo: 0, yFrom: 1, yTo: 0, zoomFrom: 1.2, zoomTo: 1.2 });
  });

  it("eases over output frames", () => {
    expect(easingExpression("linear", 31)).toBe("(on/30)");
    expect(easingExpression("ease-in-out", 31)).toBe("((on/30)*(on/30)*(3-2*(on/30)))");
    expect(easingExpression("ease-out", 1)).toBe("(0*(2-0))");
  });

  it("plays a range of the path so consecutive clips continue one move frame by frame", () => {
    // The expressions are plain arithmetic in `on`: evaluate them as FFmpeg would.
    const at = (expression: string, frame: number): number =>
      Number(new Function("on", `return ${expression};`)(frame));
    const frames = 30;
    const whole = easingExpression("ease-in-out", 3 * frames, { from: 0, to: 1 });
    const thirds = [
      { from: 0, to: 1 / 3 },
      { from: 1 / 3, to: 2 / 3 },
      { from: 2 / 3, to: 1 },
    ].map((range) => easingExpression("ease-in-out", frames, range));
    const joined = thirds.flatMap((expression) =>
      Array.from({ length: frames }, (_, frame) => at(expression, frame)),
    );
    const single = Array.from({ length: 3 * frames }, (_, frame) => at(whole, frame));
    for (const [frame, value] of joined.entries()) expect(value).toBeCloseTo(single[frame] ?? Number.NaN, 7);
    expect(joined[0]).toBe(0);
    // Strictly increasing across the cuts: no repeated or skipped frame where one clip hands over.
    for (let frame = 1; frame < joined.length; frame += 1)
      expect(joined[frame] ?? 0).toBeGreaterThan(joined[frame - 1] ?? 0);
    expect(at(thirds[2] ?? "", frames)).toBeCloseTo(1, 7);
    // The zoompan filter carries the range into its zoom.
    const motion = MotionSchema.parse({ type: "zoom-in", easing: "linear", range: { from: 0.5, to: 1 } });
    expect(zoompanFilter(motion, { x: 0.5, y: 0.5 }, 50, 640, 360, 25)).toContain(
      "z='(1+(0.2)*(0.5+0.5*on/50))'",
    );
  });

  it("builds a zoompan filter of the right length and size", () => {
    const filter = zoompanFilter(
      MotionSchema.parse({ type: "zoom-out", easing: "linear" }),
      { x: 0.5, y: 0.5 },
      300,
      1280,
      720,
      30,
    );
    expect(filter).toBe(
      "zoompan=z='(1.2+(-0.2)*(on/299))':x='(iw-iw/zoom)*0.5':y='(ih-ih/zoom)*0.5':d=300:s=1280x720:fps=30",
    );
  });
});

describe("segment command", () => {
  const timeline = parseTimeline({
    version: 1,
    output: { width: 320, height: 180, fps: 25, quality: "draft" },
    clips: [
      { id: "a", type: "image", path: "/assets/a.png", duration: 2, motion: { type: "zoom-in" } },
      {
        id: "b",
        type: "colour",
        colour: "#204080",
        duration: 2,
        transitionIn: { type: "crossfade", duration: 0.4 },
      },
      {
        id: "c",
        type: "title",
        text: "The End",
        duration: 1,
        transitionIn: { type: "fade-black", duration: 0.8 },
      },
    ],
    watermark: { type: "image", path: "/assets/logo.png", position: "bottom-left" },
  });
  const layout = layoutTimeline(timeline);
  const build = (index: number, ass?: string) =>
    buildSegmentCommand({
      plan: layout.segments[index] ?? (layout.segments[0] as never),
      output: timeline.output,
      watermark: timeline.watermark,
      ass,
      fontsDir: "/fonts",
      workDir: "/work",
      outputPath: "/out/seg.mp4",
    });

  it("encodes video only, High profile yuv420p, with an exact frame count", () => {
    const { args } = build(0);
    const joined = args.join(" ");
    expect(joined).toContain("-an -c:v libx264 -preset ultrafast -crf 28 -profile:v high");
    expect(joined).toContain("-pix_fmt yuv420p -r 25 -g 50");
    expect(args[args.indexOf("-frames:v") + 1]).toBe("40");
    expect(args.slice(-3)).toEqual(["-f", "mp4", "/out/seg.mp4"]);
    expect(args).toContain("-progress");
  });

  it("blends the previous clip's tail into a crossfaded segment", () => {
    const { args } = build(1);
    const graph = args[args.indexOf("-filter_complex") + 1] ?? "";
    expect(args.filter((arg) => arg === "-i")).toHaveLength(2);
    expect(graph).toContain("[prev]trim=start_frame=40,setpts=PTS-STARTPTS[mixed_tail]");
    expect(graph).toContain("blend=all_expr=");
    expect(graph).toContain("fade=t=out:s=40:n=10");
  });

  it("writes title text to files and burns captions with the fonts folder", () => {
    const { args, files } = build(2, "[Script Info]");
    const graph = args[args.indexOf("-filter_complex") + 1] ?? "";
    expect(files.map((file) => file.path)).toEqual(["/work/cur-title.txt", "/work/captions.ass"]);
    expect(graph).toContain(
      "drawtext=fontfile=/fonts/DejaVuSans-Bold.ttf:textfile=/work/cur-title.txt:expansion=none",
    );
    expect(graph).toContain("fade=t=in:s=0:n=10");
    expect(graph).toContain("ass=filename=/work/captions.ass:fontsdir=/fonts:original_size=320x180");
    expect(graph).toContain("overlay=x='5':y='H-h-5'");
  });

  it("crossfade filter concatenates blend and remainder", () => {
    expect(crossfadeFilter("p", "c", "x", 50, 5)).toContain("[x_blend][x_rest]concat=n=2:v=1:a=0[x]");
  });
});

describe("assembly", () => {
  it("lists segments for the concat demuxer, quoting apostrophes", () => {
    expect(concatList(["/a/1.mp4", "/b/it's.mp4"])).toBe(
      "ffconcat version 1.0\nfile '/a/1.mp4'\nfile '/b/it'\\''s.mp4'\n",
    );
  });

  it("writes chapters that end where the next begins", () => {
    const text = chaptersMetadata(
      [
        { title: "One", start: 0 },
        { title: "Two = 2", start: 1.5 },
      ],
      4,
    );
    expect(text).toBe(
      ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=One\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=4000\ntitle=Two \\= 2\n",
    );
  });

  it("copies video and audio, maps chapters and puts the index first", () => {
    const args = buildAssembleCommand({
      concatListPath: "/w/list",
      audioPath: "/w/audio.m4a",
      chaptersPath: "/w/chapters.txt",
      duration: 12.5,
      outputPath: "/o/out.mp4",
    }).join(" ");
    expect(args).toContain("-f concat -safe 0 -i /w/list -i /w/audio.m4a -f ffmetadata -i /w/chapters.txt");
    expect(args).toContain("-map_chapters 2 -c copy -t 12.5");
    expect(args).toContain("-t 12.5 -movflags +faststart");
  });
});

describe("progress", () => {
  it("parses -progress blocks across chunk boundaries", () => {
    const blocks: FfmpegProgressBlock[] = [];
    const feed = createProgressParser((block) => blocks.push(block));
    feed("frame=12\nfps=0.0\nout_time_ms=480000\nout_time=00:00:00.480000\nspeed=1.5x\nprogr");
    feed("ess=continue\nframe=25\nout_time_us=1000000\nspeed=N/A\nprogress=end\n");
    expect(blocks).toEqual([
      { outTime: 0.48, frame: 12, speed: 1.5, end: false },
      { outTime: 1, frame: 25, speed: undefined, end: true },
    ]);
  });

  it("estimates the time left from the pace so far", () => {
    expect(estimateProgress(0.25, 10)).toEqual({ percent: 25, etaSeconds: 30 });
    expect(estimateProgress(0, 10).etaSeconds).toBeUndefined();
    expect(estimateProgress(2, 10).percent).toBe(100);
  });
});

describe("helpers", () => {
  it("summarizes FFmpeg stderr to its telling lines", () => {
    const stderr =
      "ffmpeg version N-47683\n  built with gcc\n[png @ 0x1] Invalid PNG signature\nError while decoding stream #0:0\n";
    expect(summarizeStderr(stderr)).toBe(
      "[png @ 0x1] Invalid PNG signature | Error while decoding stream #0:0",
    );
  });

  it("recognizes image headers", () => {
    expect(isImageHeader(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d]))).toBe(true);
    expect(isImageHeader(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    expect(isImageHeader(new TextEncoder().encode("RIFF1234WEBPVP8 "))).toBe(true);
    expect(isImageHeader(new TextEncoder().encode("hello world"))).toBe(false);
  });

  it("hashes fragments independently of key order", () => {
    expect(stableJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });
});
