/** Ends in , ; : — or – (closing quotes and brackets allowed). */
const CLAUSE_END = /[,;:—–]["'”’)\]]*$/;
/** Ends in . ! ? or … (closing quotes and brackets allowed). */
const SENTENCE_END = /[.!?…]["'”’)\]]*$/;
/** A title ends in a full stop but not a sentence ("Dr. Livesey"). */
const TITLE = /^["'“‘(]*(?:mr|mrs|ms|dr|st|mt|jr|sr|capt|col|gen|lt|sgt|prof|rev)\.$/i;

/**
 * Where speech stops after a word: at the end of a sentence, of a clause (a title such as "Dr." ends
 * a clause, not a sentence), or not at all. The offline voice speaks a line clause by clause and the
 * shot planner cuts only after these words, so the two agree by using this one rule.
 *
 * @example speechStopAfter("Livesey,") // "clause"
 * @example speechStopAfter("Dr.") // "clause"
 * @example speechStopAfter("rest.”") // "sentence"
 */
export function speechStopAfter(word: string): "sentence" | "clause" | undefined {
  if (TITLE.test(word)) return "clause";
  if (SENTENCE_END.test(word)) return "sentence";
  return CLAUSE_END.test(word) ? "clause" : undefined;
}
