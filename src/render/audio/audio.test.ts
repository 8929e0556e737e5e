import { describe, expect, it } from "vitest";
import { MusicSchema } from "../timeline.ts";
import { AAC_FRAME, adtsPackets, keptPackets, nearestAacFrame, planTrackPieces } from "./aac-splice.ts";
import { buildAudioChunkCommand } from "./audio-chunk-command.ts";
import { planAudioChunks } from "./audio-chunk-plan.ts";
import { buildAudioMixCommand } from "./audio-mix-command.ts";
import { gatedLoudness, momentaryLoudnessOf } from "./block-loudness.ts";
import { loudnessGainFilter } from "./loudness-gain.ts";
import { sumStereoFilters } from "./sum-filter.ts";

const graphOf = (args: string[]): string => args[args.indexOf("-filter_complex") + 1] ?? "";

describe("audio chunks", () => {
  it("splits a narration at chunk boundaries into contiguous sample ranges of its file", () => {
    const chunks = planAudioChunks(
      [0, 48_000, 96_000, 150_000],
      [
        { path: "/a.wav", start: 24_000, from: 4_800, samples: 100_000, volume: 1 },
        { path: "/b.wav", start: 140_000, from: 0, samples: 5_000, volume: 0.5 },
      ],
    );
    expect(chunks.map((chunk) => chunk.samples)).toEqual([48_000, 48_000, 54_000]);
    expect(chunks.map((chunk) => chunk.pieces)).toEqual([
      [{ path: "/a.wav", fileStart: 4_800, fileEnd: 28_800, delay: 24_000, volume: 1 }],
      [{ path: "/a.wav", fileStart: 28_800, fileEnd: 76_800, delay: 0, volume: 1 }],
      [
        { path: "/a.wav", fileStart: 76_800, fileEnd: 104_800, delay: 0, volume: 1 },
        { path: "/b.wav", fileStart: 0, fileEnd: 5_000, delay: 44_000, volume: 0.5 },
      ],
    ]);
  });

  it("lays pieces on silence with concat, cuts them by sample and sums only overlapping lanes", () => {
    const single = buildAudioChunkCommand({
      pieces: [{ path: "/a.wav", fileStart: 100, fileEnd: 48_100, delay: 2_400, volume: 0.8 }],
      samples: 96_000,
      outputPath: "/c/chunk.pcm",
    });
    const graph = graphOf(single);
    expect(graph).toContain(
      "[0:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,atrim=start_sample=100:end_sample=48100,asetpts=N/SR/TB,volume=0.8,apad=whole_len=48000,atrim=end_sample=48000[p0]",
    );
    expect(graph).toContain("[g0][p0][t0]concat=n=3:v=0:a=1[lane0]");
    expect(graph).toContain("[meter]ebur128=peak=true,anullsink");
    expect(graph).not.toMatch(/amix|amerge/);
    expect(single.slice(-3)).toEqual(["-f", "f32le", "/c/chunk.pcm"]);

    const overlapping = graphOf(
      buildAudioChunkCommand({
        pieces: [
          { path: "/a.wav", fileStart: 0, fileEnd: 48_000, delay: 0, volume: 1 },
          { path: "/b.wav", fileStart: 0, fileEnd: 48_000, delay: 24_000, volume: 1 },
          { path: "/c.wav", fileStart: 0, fileEnd: 10_000, delay: 60_000, volume: 1 },
        ],
        samples: 96_000,
        outputPath: "/c/chunk.pcm",
      }),
    );
    // a and c share a lane; b overlaps a and gets its own; the two lanes are added exactly.
    expect(overlapping).toContain("[p0][g2][p2][t0]concat=n=4:v=0:a=1[lane0]");
    expect(overlapping).toContain("[g1][p1][t1]concat=n=3:v=0:a=1[lane1]");
    expect(overlapping).toContain("[lane0][lane1]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3[voice]");
  });
});

describe("audio track command", () => {
  it("joins the chunks byte for byte and encodes with the gain filter", () => {
    const args = buildAudioMixCommand({
      chunks: ["/c/1.pcm", "/c/2.pcm"],
      samples: 240_000,
      output: { kind: "encode", filter: "volume=3.00dB", path: "/w/track.m4a" },
    });
    expect(args.join(" ")).toContain(
      "-f f32le -ar 48000 -ac 2 -channel_layout stereo -i concat:/c/1.pcm|/c/2.pcm",
    );
    expect(graphOf(args)).toBe(
      "[0:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad=whole_len=240000,atrim=end_sample=240000[voice];[voice]anull[mix];[mix]volume=3.00dB[out]",
    );
    expect(args.slice(-3)).toEqual(["-f", "mp4", "/w/track.m4a"]);
  });

  it("loops, fades and ducks music under the narration, adding it without level change", () => {
    const args = buildAudioMixCommand({
      chunks: ["/c/1.pcm"],
      music: MusicSchema.parse({ path: "/a/music.mp3", volume: 0.25, fadeIn: 1, fadeOut: 2 }),
      samples: 480_000,
      output: { kind: "measure" },
    });
    const graph = graphOf(args);
    expect(args.join(" ")).toContain("-stream_loop -1 -i /a/music.mp3");
    expect(graph).toContain("volume=0.25,afade=t=in:st=0:d=1,afade=t=out:st=8:d=2");
    expect(graph).toContain("[music][voice_key]sidechaincompress=");
    expect(graph).toContain("[ducked][voice_mix]amerge=inputs=2,pan=stereo|c0=c0+c2|c1=c1+c3[mix]");
    expect(graph).toContain("[mix]ebur128=peak=true:framelog=verbose[measured]");
    expect(args.slice(-3)).toEqual(["-f", "null", "-"]);
  });

  it("keeps music level constant when ducking is off, and makes silence with no sources", () => {
    const encode = { kind: "encode", filter: "anull", path: "/o.m4a" } as const;
    const music = MusicSchema.parse({ path: "/m.wav", duck: false });
    const undocked = graphOf(
      buildAudioMixCommand({ chunks: ["/c.pcm"], music, samples: 144_000, output: encode }),
    );
    expect(undocked).not.toContain("sidechaincompress");
    expect(undocked).toContain("[music][voice]amerge=inputs=2");
    const silent = graphOf(buildAudioMixCommand({ chunks: [], samples: 96_000, output: encode }));
    expect(silent).toBe("anullsrc=r=48000:cl=stereo,atrim=end_sample=96000[mix];[mix]anull[out]");
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

describe("loudness", () => {
  it("reads the momentary loudness of ebur128 frame lines", () => {
    expect(
      momentaryLoudnessOf(
        "[Parsed_ebur128_0 @ 0x1] t: 0.399979   TARGET:-23 LUFS    M: -27.9 S:-120.7     I: -27.9 LUFS       LRA:   0.0 LU  FTPK: -27.1 -27.1 dBFS  TPK: -27.1 -27.1 dBFS",
      ),
    ).toBe(-27.9);
    expect(
      momentaryLoudnessOf("[Parsed_ebur128_0 @ 0x1] t: 0.1 TARGET:-23 LUFS M:-120.7 S:-120.7 I: -70.0 LUFS"),
    ).toBe(-120.7);
    expect(momentaryLoudnessOf("  Integrated loudness:")).toBeUndefined();
  });

  it("gates blocks as BS.1770 does: absolute -70 LUFS, then relative -10 LU", () => {
    expect(gatedLoudness([])).toBe(Number.NEGATIVE_INFINITY);
    expect(gatedLoudness([-120.7, -80])).toBe(Number.NEGATIVE_INFINITY);
    expect(gatedLoudness([-20, -20, -120.7, -75])).toBeCloseTo(-20, 6);
    // -40 is more than 10 LU under the rest: gated out. -25 is not: it counts.
    expect(gatedLoudness([-20, -20, -40])).toBeCloseTo(-20, 6);
    const mixed = gatedLoudness([-20, -25]);
    expect(mixed).toBeCloseTo(-0.691 + 10 * Math.log10((10 ** (-19.309 / 10) + 10 ** (-24.309 / 10)) / 2), 6);
  });

  it("gains to the target, limits instead when the gain would break the ceiling, and leaves silence", () => {
    const target = { integrated: -16, truePeak: -1.5 };
    expect(loudnessGainFilter(target, { integrated: -26, truePeak: -14 })).toBe("volume=10.00dB");
    expect(loudnessGainFilter(target, { integrated: -26, truePeak: -6 })).toBe(
      "volume=10.00dB,apad=pad_len=239,alimiter=limit=0.7499:attack=5:release=50:level=0,atrim=start_sample=239,asetpts=N/SR/TB",
    );
    expect(loudnessGainFilter(target, { integrated: Number.NEGATIVE_INFINITY, truePeak: -Infinity })).toBe(
      "anull",
    );
  });
});

describe("AAC track pieces", () => {
  it("plans one piece per chunk, the last to the end of the frame holding the last sample", () => {
    const pieces = planTrackPieces([0, 10 * AAC_FRAME, 10 * AAC_FRAME, 12 * AAC_FRAME], 20 * AAC_FRAME + 5);
    expect(
      pieces.map((piece) => [piece.start, piece.end, piece.inputStart, piece.inputEnd, piece.audibleEnd]),
    ).toEqual([
      [0, 10 * AAC_FRAME, 0, 14 * AAC_FRAME, 10 * AAC_FRAME],
      [10 * AAC_FRAME, 12 * AAC_FRAME, 6 * AAC_FRAME, 16 * AAC_FRAME, 12 * AAC_FRAME],
      [12 * AAC_FRAME, 21 * AAC_FRAME, 8 * AAC_FRAME, 20 * AAC_FRAME + 5, 20 * AAC_FRAME + 5],
    ]);
    expect(() => planTrackPieces([0, 1000], 5000)).toThrow(/not on an AAC frame/);
    expect(nearestAacFrame(1535)).toBe(AAC_FRAME);
    expect(nearestAacFrame(1537)).toBe(2 * AAC_FRAME);
  });

  it("splits ADTS into packets and refuses a stream that is not whole", () => {
    const packet = (length: number, fill: number): Uint8Array => {
      const bytes = new Uint8Array(length).fill(fill);
      bytes.set([
        0xff,
        0xf1,
        0x4c,
        0x80 | ((length >> 11) & 3),
        (length >> 3) & 0xff,
        ((length & 7) << 5) | 0x1f,
        0xfc,
      ]);
      return bytes;
    };
    const stream = new Uint8Array([...packet(20, 1), ...packet(9, 2), ...packet(300, 3)]);
    expect(adtsPackets(stream, "piece").map((bytes) => [bytes.length, bytes[8]])).toEqual([
      [20, 1],
      [9, 2],
      [300, 3],
    ]);
    expect(() => adtsPackets(stream.subarray(0, 100), "piece 3")).toThrow(
      /piece 3: .*not a whole ADTS stream \(at byte 29/,
    );
    expect(() => adtsPackets(new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0]), "piece")).toThrow(
      /at byte 0/,
    );
    expect(adtsPackets(new Uint8Array(0), "piece")).toEqual([]);
  });

  it("keeps the packets that decode to the piece (and the priming packet of the first)", () => {
    const packets = Array.from({ length: 20 }, (_, index) => new Uint8Array([index]));
    const [first, second] = planTrackPieces([0, 8 * AAC_FRAME], 16 * AAC_FRAME);
    // Input from 0: packet n decodes to (n - 1) frames; the first piece keeps the priming packet 0.
    expect(keptPackets(packets, first!, "p").map((bytes) => bytes[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // Input from frame 4: frame 8 is packet 5.
    expect(keptPackets(packets, second!, "p").map((bytes) => bytes[0])).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(() => keptPackets(packets.slice(0, 10), second!, "piece 1")).toThrow(/piece 1: .*gave 10 packets/);
  });
});
