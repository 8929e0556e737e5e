/** One piece of a line that the local voice speaks on its own, and the pause that follows it. */
export interface SpeechClause {
  /** The clause's words as written, with their punctuation. */
  readonly text: string;
  /** `sentence` after . ! ? …, else `clause` (after , ; : — – and after a title such as "Dr."). */
  readonly pause: "clause" | "sentence";
}

/** The end of a clause: a pause mark, then any closing quotes or brackets. */
const CLAUSE_END = /[,;:—–]["'”’)\]]*$/;
const SENTENCE_END = /[.!?…]["'”’)\]]*$/;
/** A title ends in a full stop but not a sentence ("Dr. Livesey"): a clause's pause, not a sentence's. */
const TITLE = /^["'“‘(]*(?:mr|mrs|ms|dr|st|mt|jr|sr|capt|col|gen|lt|sgt|prof|rev)\.$/i;
const SPOKEN = /[\p{L}\p{N}]/u;

/**
 * Splits a line into the clauses the local voice speaks one at a time: after every word that ends in
 * , ; : — – . ! ? or … (closing quotes allowed), the same places where post-processing may cut a shot
 * (`speechUnits`). Tokens without letters or digits (a lone dash) stay with the clause before them.
 * Pure; the clauses' texts joined by spaces give back the whitespace-normalized line.
 *
 * @example speechClauses("Dr. Livesey, and the rest.") // [{ text: "Dr.", pause: "clause" }, { text: "Livesey,", pause: "clause" }, { text: "and the rest.", pause: "sentence" }]
 */
export function speechClauses(text: string): SpeechClause[] {
  const clauses: SpeechClause[] = [];
  let tokens: string[] = [];
  for (const token of text.split(/\s+/).filter(Boolean)) {
    tokens.push(token);
    const sentence = SENTENCE_END.test(token) && !TITLE.test(token);
    if ((sentence || CLAUSE_END.test(token) || TITLE.test(token)) && tokens.some((t) => SPOKEN.test(t))) {
      clauses.push({ text: tokens.join(" "), pause: sentence ? "sentence" : "clause" });
      tokens = [];
    }
  }
  if (tokens.length > 0) {
    const last = clauses.pop();
    if (tokens.some((t) => SPOKEN.test(t))) {
      if (last) clauses.push(last);
      clauses.push({ text: tokens.join(" "), pause: "sentence" });
    } else if (last) {
      clauses.push({ ...last, text: `${last.text} ${tokens.join(" ")}` });
    }
  }
  return clauses;
}
