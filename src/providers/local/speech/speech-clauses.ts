import { speechStopAfter } from "../../../script/index.ts";

/** One piece of a line that the local voice speaks on its own, and the pause that follows it. */
export interface SpeechClause {
  /** The clause's words as written, with their punctuation. */
  readonly text: string;
  /** `sentence` after . ! ? …, else `clause` (after , ; : — – and after a title such as "Dr."). */
  readonly pause: "clause" | "sentence";
}

/** A token with something to say (not a lone dash). */
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
    const stop = speechStopAfter(token);
    if (stop && tokens.some((t) => SPOKEN.test(t))) {
      clauses.push({ text: tokens.join(" "), pause: stop });
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
