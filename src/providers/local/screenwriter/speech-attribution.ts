/**
 * Patterns that attribute a quotation to a speaker: `"…," said Della`, `"…," she cried`, `Della cried, "…"`.
 * Pure string matching; resolving "she" to a name is the caller's job.
 */

const VERBS = [
  "said",
  "says",
  "say",
  "asked",
  "asks",
  "cried",
  "whispered",
  "replied",
  "answered",
  "shouted",
  "called",
  "exclaimed",
  "murmured",
  "muttered",
  "added",
  "continued",
  "went on",
  "began",
  "declared",
  "demanded",
  "insisted",
  "sighed",
  "laughed",
  "repeated",
  "screamed",
  "yelled",
  "snapped",
  "growled",
  "remarked",
  "observed",
  "suggested",
  "pleaded",
  "begged",
  "gasped",
  "sobbed",
  "stammered",
  "protested",
  "returned",
  "retorted",
  "breathed",
  "groaned",
  "urged",
];

/** Verbs that say nothing about how a line is spoken, so they give no parenthetical. */
const PLAIN_VERBS = new Set([
  "said",
  "says",
  "say",
  "asked",
  "asks",
  "went on",
  "began",
  "answered",
  "replied",
  "returned",
  "added",
  "continued",
  "repeated",
]);

const VERB = `(?:${VERBS.map((verb) => verb.replace(" ", "\\s+")).join("|")})`;
const NAME = String.raw`(?:(?:Mr|Mrs|Ms|Mme|Dr)\.\s+|(?:Madame|Miss|Sir|Lady|Captain|Aunt|Uncle)\s+)?[A-Z][\p{L}'’]+(?:\s+[A-Z][\p{L}'’]+){0,2}`;
const PRONOUN = "(?:he|she|I|they|we)";
const SUBJECT = `(?:${NAME}|${PRONOUN})`;
const ADVERB = "[a-z]+ly";
const REFLEXIVE = String.raw`(?:\s+to\s+(?:herself|himself|themselves|myself|ourselves|him|her|them|me|us))`;

/** `said Della`, `said he`, `asked Jim, laboriously` at the start of the narration after a quote. */
const VERB_FIRST = new RegExp(
  String.raw`^[\s,;:—–-]*(${VERB})\s+(${SUBJECT})${REFLEXIVE}?(?:,\s*(${ADVERB})\b)?`,
  "u",
);
/** `she said`, `Della softly whispered` at the start of the narration after a quote. */
const SUBJECT_FIRST = new RegExp(
  String.raw`^[\s,;:—–-]*(${SUBJECT})\s+(?:(${ADVERB})\s+)?(${VERB})\b${REFLEXIVE}?(?:,?\s*(${ADVERB})\b)?`,
  "u",
);
/** A narration tail that leads into a quote: `…and now she whispered:`, `Della cried,`. */
const LEAD_IN = new RegExp(String.raw`\b(${VERB})${REFLEXIVE}?(?:\s+(${ADVERB}))?\s*[,:]\s*$`, "u");

/** A speaker found next to a quotation. */
export interface Attribution {
  /** A name or a subject pronoun (he, she, I, they, we), as written. */
  readonly speaker: string;
  /** How the line is said ("whispering", "laboriously"), when the verb or an adverb says so. */
  readonly parenthetical: string | undefined;
  /** How many characters of the narration the attribution takes (to be left out of the narration). */
  readonly length: number;
}

/** The attribution at the start of the narration that follows a quotation, if any. */
export function attributionAfter(narration: string): Attribution | undefined {
  const verbFirst = VERB_FIRST.exec(narration);
  if (verbFirst?.[1] && verbFirst[2]) {
    return {
      speaker: verbFirst[2],
      parenthetical: manner(verbFirst[1], verbFirst[3]),
      length: attributionEnd(narration, verbFirst[0].length),
    };
  }
  const subjectFirst = SUBJECT_FIRST.exec(narration);
  if (subjectFirst?.[1] && subjectFirst[3]) {
    return {
      speaker: subjectFirst[1],
      parenthetical: manner(subjectFirst[3], subjectFirst[2] ?? subjectFirst[4]),
      length: attributionEnd(narration, subjectFirst[0].length),
    };
  }
  return undefined;
}

/** A lead-in at the end of the narration before a quotation: where the clause starts and its verb. */
export interface LeadIn {
  /** The text of the lead-in clause (from the last sentence end), where the speaker is to be found. */
  readonly clause: string;
  readonly parenthetical: string | undefined;
}

/** The lead-in clause at the end of the narration before a quotation, if it ends with a speech verb. */
export function leadInBefore(narration: string): LeadIn | undefined {
  const match = LEAD_IN.exec(narration);
  if (!match?.[1]) return undefined;
  const lastEnd = Math.max(
    ...[".", "!", "?", "”", '"'].map((mark) => narration.lastIndexOf(mark, match.index)),
  );
  return { clause: narration.slice(lastEnd + 1), parenthetical: manner(match[1], match[2]) };
}

/** The speaker pronoun or name closest before the verb of a lead-in clause. */
export const SUBJECT_PATTERN = new RegExp(`\\b${SUBJECT}\\b`, "gu");

/**
 * Where the attribution ends: at a sentence end right after it (consumed), or, after a comma, at the end
 * of the clause it starts (`, lifting the mass with a practised hand.`).
 */
function attributionEnd(narration: string, matched: number): number {
  const rest = narration.slice(matched);
  const end = /^[^.!?]*[.!?]+["”’]?/.exec(rest);
  return end ? matched + end[0].length : narration.length;
}

function manner(verb: string, adverb: string | undefined): string | undefined {
  if (adverb) return adverb;
  const normalized = verb.replace(/\s+/g, " ").toLowerCase();
  if (PLAIN_VERBS.has(normalized)) return undefined;
  if (normalized.endsWith("ied")) return `${normalized.slice(0, -3)}ying`;
  if (normalized.endsWith("ed")) return `${normalized.slice(0, -2)}ing`;
  return undefined;
}
