import { describe, expect, it } from "vitest";
import { speechClauses } from "./speech-clauses.ts";

describe("speechClauses", () => {
  it("splits after every clause and sentence mark, with a sentence's pause after . ! ? …", () => {
    expect(speechClauses('"Della," said Jim. She wept; then — quietly — she smiled! Why? Because…')).toEqual([
      { text: '"Della,"', pause: "clause" },
      { text: "said Jim.", pause: "sentence" },
      { text: "She wept;", pause: "clause" },
      { text: "then —", pause: "clause" },
      { text: "quietly —", pause: "clause" },
      { text: "she smiled!", pause: "sentence" },
      { text: "Why?", pause: "sentence" },
      { text: "Because…", pause: "sentence" },
    ]);
  });

  it("gives a title's full stop a clause's pause, and ends an unpunctuated line as a sentence", () => {
    expect(speechClauses("SQUIRE TRELAWNEY, Dr. Livesey, and the rest")).toEqual([
      { text: "SQUIRE TRELAWNEY,", pause: "clause" },
      { text: "Dr.", pause: "clause" },
      { text: "Livesey,", pause: "clause" },
      { text: "and the rest", pause: "sentence" },
    ]);
  });

  it("keeps tokens without words with the clause before them, and gives back the line when joined", () => {
    const line = "— Yo-ho-ho, and a bottle of rum! — ”";
    const clauses = speechClauses(line);
    expect(clauses).toEqual([
      { text: "— Yo-ho-ho,", pause: "clause" },
      { text: "and a bottle of rum! — ”", pause: "sentence" },
    ]);
    expect(clauses.map((clause) => clause.text).join(" ")).toBe(line);
  });
});
