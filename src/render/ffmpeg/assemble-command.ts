import type { Chapter } from "../timeline.ts";
import { round } from "./filter-escape.ts";

/** Text of a concat-demuxer list naming `files` in order. */
export function concatList(files: readonly string[]): string {
  return `ffconcat version 1.0\n${files.map((file) => `file '${file.replace(/'/g, "'\\''")}'`).join("\n")}\n`;
}

/**
 * An FFMETADATA file with one chapter per entry; each chapter ends where the next starts (the last at
 * `duration`). Times in milliseconds.
 */
export function chaptersMetadata(chapters: readonly Chapter[], duration: number): string {
  const lines = [";FFMETADATA1"];
  chapters.forEach((chapter, index) => {
    const end = chapters[index + 1]?.start ?? duration;
    lines.push(
      "[CHAPTER]",
      "TIMEBASE=1/1000",
      `START=${Math.round(chapter.start * 1000)}`,
      `END=${Math.round(end * 1000)}`,
      `title=${chapter.title.replace(/[=;#\\\n]/g, (character) => (character === "\n" ? " " : `\\${character}`))}`,
    );
  });
  return `${lines.join("\n")}\n`;
}

/** Inputs of {@link buildAssembleCommand}. */
export interface AssembleSpec {
  readonly concatListPath: string;
  /** The finished AAC track (see `renderAudioTrack`). */
  readonly audioPath: string;
  readonly chaptersPath?: string | undefined;
  readonly duration: number;
  readonly outputPath: string;
}

/**
 * The final mux, copy-only: segments joined by the concat demuxer, the finished AAC track, chapters
 * and `+faststart`.
 */
export function buildAssembleCommand(spec: AssembleSpec): string[] {
  const chapters = spec.chaptersPath ? ["-f", "ffmetadata", "-i", spec.chaptersPath] : [];
  const mapChapters = spec.chaptersPath
    ? ["-map_metadata", "2", "-map_chapters", "2"]
    : ["-map_chapters", "-1"];
  return [
    "-hide_banner",
    "-nostdin",
    "-y",
    "-f",
    "concat",
    "-safe",
    "0",
    "-i",
    spec.concatListPath,
    "-i",
    spec.audioPath,
    ...chapters,
    "-map",
    "0:v:0",
    "-map",
    "1:a:0",
    ...mapChapters,
    "-c",
    "copy",
    "-t",
    round(spec.duration),
    "-movflags",
    "+faststart",
    "-progress",
    "pipe:1",
    "-f",
    "mp4",
    spec.outputPath,
  ];
}

/** Arguments that grab one frame at `at` seconds as a JPEG. */
export function buildThumbnailCommand(videoPath: string, at: number, outputPath: string): string[] {
  return [
    "-hide_banner",
    "-nostdin",
    "-y",
    "-ss",
    round(at),
    "-i",
    videoPath,
    "-frames:v",
    "1",
    "-q:v",
    "3",
    "-f",
    "image2",
    outputPath,
  ];
}
