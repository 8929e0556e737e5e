/** The text between Project Gutenberg's header and footer, and the facts the header states. */
export interface GutenbergText {
  readonly body: string;
  readonly title: string | null;
  readonly author: string | null;
  readonly language: string | null;
  /** Whether a Project Gutenberg header or footer was found and removed. */
  readonly stripped: boolean;
}

const START = /^[ \t]*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?(?:BOOK|TEXT)[^\n]*$/im;
const END = /^[ \t]*\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?(?:BOOK|TEXT)[^\n]*$/im;
// Older files: "*END*THE SMALL PRINT!" ends the header; "End of (the) Project Gutenberg's …" starts the footer.
const OLD_START = /^[ \t]*\*+[ \t]*END\s*\*+\s*THE SMALL PRINT[^\n]*$/im;
const OLD_END = /^[ \t]*End of (?:the )?Project Gutenberg(?:'s|’s)? [^\n]*$/im;
const LANGUAGE_CODES: Readonly<Record<string, string>> = {
  english: "en",
  french: "fr",
  german: "de",
  spanish: "es",
  italian: "it",
  portuguese: "pt",
  dutch: "nl",
  latin: "la",
  finnish: "fi",
  swedish: "sv",
  danish: "da",
  russian: "ru",
  chinese: "zh",
  greek: "el",
};

/** Removes the Project Gutenberg header, footer and license, reading Title/Author/Language first. */
export function stripGutenberg(text: string): GutenbergText {
  const headEnd = Math.min(text.length, 20_000);
  const head = text.slice(0, headEnd);
  const field = (name: string): string | null => {
    const match = new RegExp(`^${name}:[ \\t]*(.+(?:\\n[ \\t]+\\S.*)*)`, "im").exec(head);
    return match?.[1] ? match[1].replace(/\s+/g, " ").trim() : null;
  };
  const start = START.exec(text) ?? OLD_START.exec(text);
  let body = text;
  let stripped = false;
  if (start) {
    body = text.slice(start.index + start[0].length);
    stripped = true;
  }
  const end = END.exec(body) ?? OLD_END.exec(body);
  if (end && (stripped || /project gutenberg/i.test(text.slice(0, 5000)))) {
    body = body.slice(0, end.index);
    stripped = true;
  }
  if (stripped) {
    // "End of the Project Gutenberg EBook of …" often sits just above the END marker.
    const tail = body.slice(-3000);
    const oldEnd = OLD_END.exec(tail);
    if (oldEnd) body = body.slice(0, body.length - tail.length + oldEnd.index);
  }
  if (stripped)
    body = body.replace(
      /^\s*(?:Produced by|E-?text prepared by|Transcribed from)[^\n]*(?:\n[^\n]+)*\n/i,
      "\n",
    );
  const languageName = stripped ? field("Language") : null;
  const language = languageName ? (LANGUAGE_CODES[languageName.toLowerCase()] ?? languageName) : null;
  return {
    body,
    title: stripped ? field("Title") : null,
    author: stripped ? field("Author") : null,
    language,
    stripped,
  };
}
