/** A scene heading split into its parts. */
export interface ParsedSceneHeading {
  readonly heading: string;
  readonly setting: string | null;
  readonly location: string;
  readonly time: string | null;
  readonly sceneNumber: string | null;
}

const SETTING = /^(INT\.?\s*\/\s*EXT|EXT\.?\s*\/\s*INT|INT|EXT|EST|I\s*\/\s*E)(?:\.|\s)\s*/i;

/** Whether a line is an unforced scene heading (INT., EXT., EST., INT./EXT., I/E). */
export function isSceneHeadingLine(line: string): boolean {
  return /^(?:INT\.?\s*\/\s*EXT|EXT\.?\s*\/\s*INT|INT|EXT|EST|I\s*\/\s*E)[.\s]/i.test(line.trim());
}

/**
 * Splits "EXT. MOUNT GURU FOOTHILLS--DAY #12#" into setting "EXT", location "MOUNT GURU FOOTHILLS",
 * time "DAY" and scene number "12". The time is what follows the last " - ", "--" or dash.
 */
export function parseSceneHeading(raw: string): ParsedSceneHeading {
  let text = raw.trim();
  let sceneNumber: string | null = null;
  const number = /\s*#([\w.-]+)#\s*$/.exec(text);
  if (number) {
    sceneNumber = number[1] ?? null;
    text = text.slice(0, number.index).trim();
  }
  const settingMatch = SETTING.exec(text);
  let setting: string | null = null;
  let rest = text;
  if (settingMatch) {
    const word = settingMatch[1]!.toUpperCase().replace(/[.\s]/g, "");
    setting = word === "I/E" || word === "INT/EXT" || word === "EXT/INT" ? "INT/EXT" : word;
    rest = text.slice(settingMatch[0].length);
  }
  let location = rest.trim();
  let time: string | null = null;
  // The last separator, searched only in headings of sane length (the lookahead is quadratic).
  const separator = rest.length <= 300 ? /\s*(?:--|—|–|\s-\s)\s*(?!.*(?:--|—|–|\s-\s))/.exec(rest) : null;
  if (separator) {
    location = rest.slice(0, separator.index).trim();
    time = rest.slice(separator.index + separator[0].length).trim() || null;
  }
  return { heading: text, setting, location, time, sceneNumber };
}
