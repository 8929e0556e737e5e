export { assColour, splitCue, writeAss } from "./ass-writer.ts";
export { formatAssTimestamp, formatTimestamp } from "./caption-time.ts";
export { writeSrt } from "./srt-writer.ts";
export { writeVtt } from "./vtt-writer.ts";
