/** `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (VTT) for a time in seconds. */
export function formatTimestamp(seconds: number, separator: "," | "."): string {
  const totalMillis = Math.max(0, Math.round(seconds * 1000));
  const hours = Math.floor(totalMillis / 3_600_000);
  const minutes = Math.floor((totalMillis % 3_600_000) / 60_000);
  const secs = Math.floor((totalMillis % 60_000) / 1000);
  const millis = totalMillis % 1000;
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(secs, 2)}${separator}${pad(millis, 3)}`;
}

/** `H:MM:SS.cc` (ASS, centiseconds). */
export function formatAssTimestamp(seconds: number): string {
  const totalCentis = Math.max(0, Math.round(seconds * 100));
  const hours = Math.floor(totalCentis / 360_000);
  const minutes = Math.floor((totalCentis % 360_000) / 6000);
  const secs = Math.floor((totalCentis % 6000) / 100);
  return `${hours}:${pad(minutes, 2)}:${pad(secs, 2)}.${pad(totalCentis % 100, 2)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}
