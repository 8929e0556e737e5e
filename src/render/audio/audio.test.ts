import { describe, expect, it } from "vitest";
import { MusicSchema } from "../timeline.ts";
import { buildAudioMixCommand } from "./audio-mix-command.ts";
import { loudnormApplyFilter, parseLoudnormStats } from "./loudnorm.ts";
import { sumStereoFilters } from "./sum-filter.ts";

const graphOf = (args: string[]): string => args[args.indexOf("-filter_complex") + 1] ?? "";

describe("audio mix command", () => {
  it("delays each narration to its place and pads to the exact length", () => {
    const args = buildAudioMixCommand({
      narrations: [
        { path: "/a/1.wav", start: 0, volume: 1 },
        { path: "/a/2.wav", start: 2.5, volume: 0.8 },
      ],
      duration: 5,
      outputPath: "/w/mix.wav",
    });
    const graph = graphOf(args);
    expect(graph).toContain(
      "[1:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,volume=0.8,adelay=2500|2500,apad=whole_len=240000,atrim=end_sample=240000,",
    );
    // An exact sum (amix would re-weight by the inputs still playing).
    expect(graph).toContain("[n0][n1]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3[voice]");
    expect(graph).not.toContain("amix");
    expect(graph.endsWith("[voice]anull[mix]")).toBe(true);
    expect(args.slice(-2)).toEqual(["wav", "/w/mix.wav"]);
  });

  it("loops, fades and ducks music under the narration", () => {
    const args = buildAudioMixCommand({
      narrations: [{ path: "/a/1.wav", start: 1, volume: 1 }],
      music: MusicSchema.parse({ path: "/a/music.mp3", volume: 0.25, fadeIn: 1, fadeOut: 2 }),
      duration: 10,
      outputPath: "/w/mix.wav",
    });
    const graph = graphOf(args);
    expect(args.join(" ")).toContain("-stream_loop -1 -i /a/music.mp3");
    expect(graph).toContain("volume=0.25,afade=t=in:st=0:d=1,afade=t=out:st=8:d=2");
    expect(graph).toContain("[music][voice_key]sidechaincompress=");
    expect(graph).toContain("[ducked][voice_mix]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3[mix]");
  });

  it("keeps music level constant when ducking is off, and makes silence with no sources", () => {
    const music = MusicSchema.parse({ path: "/m.wav", duck: false });
    const undocked = graphOf(
      buildAudioMixCommand({
        narrations: [{ path: "/n.wav", start: 0, volume: 1 }],
        music,
        duration: 3,
        outputPath: "/o.wav",
      }),
    );
    expect(undocked).not.toContain("sidechaincompress");
    const silent = graphOf(buildAudioMixCommand({ narrations: [], duration: 2, outputPath: "/o.wav" }));
    expect(silent).toBe("anullsrc=r=48000:cl=stereo,atrim=end_sample=96000[mix]");
  });
});

describe("stereo sum", () => {
  it("adds streams with amerge + pan, in a tree past 8 inputs so the channel count stays bounded", () => {
    expect(sumStereoFilters(["a"], "out")).toEqual(["[a]anull[out]"]);
    expect(sumStereoFilters(["a", "b", "c"], "out")).toEqual([
      "[a][b][c]amerge=inputs=3,pan=stereo|c0=c0+c2+c4|c1=c1+c3+c5[out]",
    ]);
    const inputs = Array.from({ length: 10 }, (_, index) => `n${index}`);
    const tree = sumStereoFilters(inputs, "out");
    expect(tree).toHaveLength(3);
    expect(tree[0]).toMatch(
      /^\[n0\].*\[n7\]amerge=inputs=8,pan=stereo\|c0=c0\+.*\+c14\|c1=.*\+c15\[out_sum0\]$/,
    );
    expect(tree[1]).toBe("[n8][n9]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3[out_sum1]");
    expect(tree[2]).toBe("[out_sum0][out_sum1]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3[out]");
  });
});

describe("two-pass loudnorm", () => {
  const stderr = `[Parsed_loudnorm_0 @ 0x1]
{
	"input_i" : "-27.61",
	"input_tp" : "-4.47",
	"input_lra" : "18.06",
	"input_thresh" : "-39.20",
	"output_i" : "-16.58",
	"output_tp" : "-1.50",
	"output_lra" : "14.78",
	"output_thresh" : "-27.71",
	"normalization_type" : "dynamic",
	"target_offset" : "0.58"
}
`;

  it("measures with JSON output and feeds the measurement to a dynamic second pass when a gain would clip", () => {
    const args = buildAudioMixCommand({
      narrations: [{ path: "/n.wav", start: 0, volume: 1 }],
      duration: 10,
      outputPath: "/w/mix.wav",
      measure: { with: "loudnorm", target: { integrated: -14, truePeak: -1.5 } },
    });
    expect(graphOf(args)).toContain(
      "[mix]asplit=2[mix_out][mix_meter];[mix_meter]loudnorm=I=-14:TP=-1.5:LRA=11:print_format=json,anullsink",
    );
    expect(args[args.indexOf("-map") + 1]).toBe("[mix_out]");
    const measured = parseLoudnormStats(stderr);
    expect(measured).toEqual({
      inputI: -27.61,
      inputTp: -4.47,
      inputLra: 18.06,
      inputThresh: -39.2,
      targetOffset: 0.58,
    });
    expect(loudnormApplyFilter({ integrated: -16, truePeak: -1.5 }, measured)).toBe(
      "loudnorm=I=-16:TP=-1.5:LRA=11:measured_I=-27.61:measured_TP=-4.47:measured_LRA=18.06:measured_thresh=-39.2:offset=0.58:linear=true,aresample=48000",
    );
  });

  it("applies linear normalization as a plain gain when the peak allows it", () => {
    const quiet = { inputI: -30, inputTp: -20, inputLra: 5, inputThresh: -40, targetOffset: 0.1 };
    expect(loudnormApplyFilter({ integrated: -16, truePeak: -1.5 }, quiet)).toBe("volume=14.00dB");
  });

  it("leaves silence alone", () => {
    const silent = parseLoudnormStats(
      '{ "input_i" : "-inf", "input_tp" : "-inf", "input_lra" : "0.00", "input_thresh" : "-70.00", "target_offset" : "inf" }',
    );
    expect(loudnormApplyFilter({ integrated: -16, truePeak: -1.5 }, silent)).toBe("anull");
  });
});
