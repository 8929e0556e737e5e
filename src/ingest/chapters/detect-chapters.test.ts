import { describe, expect, it } from "vitest";
import { detectChapters } from "./detect-chapters.ts";

const prose = (who: string) =>
  `${who} came down the stairs slowly, thinking about the long day that lay ahead and all the people who would want something from him before it was over.`;
const titles = (text: string) =>
  detectChapters(text, { workTitle: "Book" }).map((c) => [c.title, c.label, c.matter]);
const body = (text: string) => detectChapters(text, { workTitle: "Book" }).filter((c) => c.matter === "body");

describe("detectChapters", () => {
  it.each([
    ["CHAPTER I", "CHAPTER II", "CHAPTER III"],
    ["Chapter 1.", "Chapter 2.", "Chapter 3."],
    ["Chapter One", "Chapter Two", "Chapter Three"],
    ["CHAPTER XXIV", "CHAPTER XXV", "CHAPTER XXVI"],
    ["Letter 1", "Letter 2", "Letter 3"],
    ["I.", "II.", "III."],
    ["STAVE ONE", "STAVE TWO", "STAVE THREE"],
  ])("finds %s, %s, %s headings", (a, b, c) => {
    const text = [a, prose("Al"), b, prose("Bo"), c, prose("Cy")].join("\n\n");
    const found = body(text);
    expect(found.map((chapter) => chapter.label)).toEqual([a, b, c].map((h) => h.replace(/\.$/, "")));
  });

  it("reads a title on the heading line or on the next line", () => {
    const text = [
      "CHAPTER I. THE FIRST",
      prose("Al"),
      "CHAPTER II",
      "",
      "The Second One",
      prose("Bo"),
      "Chapter III: The Third",
      prose("Cy"),
    ].join("\n\n");
    expect(body(text).map((c) => c.title)).toEqual(["THE FIRST", "The Second One", "The Third"]);
  });

  it("does not take a table of contents for chapters, and keeps it as front matter", () => {
    const toc = ["CONTENTS", "CHAPTER I. The Start", "CHAPTER II. The Middle", "CHAPTER III. The End"].join(
      "\n\n",
    );
    const text = [
      toc,
      "CHAPTER I. The Start",
      prose("Al"),
      "CHAPTER II. The Middle",
      prose("Bo"),
      "CHAPTER III. The End",
      prose("Cy"),
    ].join("\n\n");
    expect(titles(text)).toEqual([
      ["CONTENTS", null, "front"],
      ["The Start", "CHAPTER I", "body"],
      ["The Middle", "CHAPTER II", "body"],
      ["The End", "CHAPTER III", "body"],
    ]);
  });

  it("ignores contents lines with page numbers or dot leaders", () => {
    const text = [
      "1. The Start . . . . . 3\n2. The Middle ....... 9",
      "1",
      "The Start",
      prose("Al"),
      "2",
      "The Middle",
      prose("Bo"),
      "3",
      "The End",
      prose("Cy"),
    ].join("\n\n");
    expect(body(text).map((c) => c.title)).toEqual(["The Start", "The Middle", "The End"]);
  });

  it("records parts (PART II, BOOK ONE) on their chapters", () => {
    const text = [
      "BOOK ONE",
      "CHAPTER I",
      prose("Al"),
      "CHAPTER II",
      prose("Bo"),
      "BOOK TWO",
      "CHAPTER III",
      prose("Cy"),
    ].join("\n\n");
    expect(body(text).map((c) => [c.label, c.part])).toEqual([
      ["CHAPTER I", "BOOK ONE"],
      ["CHAPTER II", "BOOK ONE"],
      ["CHAPTER III", "BOOK TWO"],
    ]);
  });

  it("uses parts as chapters when there is nothing below them", () => {
    const text = ["PART I", prose("Al"), "PART II", prose("Bo")].join("\n\n");
    expect(body(text).map((c) => c.label)).toEqual(["PART I", "PART II"]);
  });

  it("marks a preface as front matter and keeps a prologue and epilogue in the body", () => {
    const text = [
      "PREFACE",
      prose("Me"),
      "PROLOGUE",
      prose("Al"),
      "CHAPTER 1",
      prose("Bo"),
      "CHAPTER 2",
      prose("Cy"),
      "EPILOGUE",
      prose("Di"),
    ].join("\n\n");
    expect(titles(text).map(([title, , matter]) => [title, matter])).toEqual([
      ["PREFACE", "front"],
      ["PROLOGUE", "body"],
      ["CHAPTER 1", "body"],
      ["CHAPTER 2", "body"],
      ["EPILOGUE", "body"],
    ]);
  });

  it("keeps a text without headings as one section, numbered lists and lone numbers notwithstanding", () => {
    const text = [prose("Al"), "1. Eggs.", "2. Milk.", prose("Bo"), "I", prose("Cy")].join("\n\n");
    expect(titles(text)).toEqual([["Book", null, "body"]]);
  });
});

describe("detectChapters on mixed sequences", () => {
  it("keeps letters before chapters (Frankenstein) and acts as parts of scenes", () => {
    const letters = [
      "Letter 1",
      prose("Wa"),
      "Letter 2",
      prose("Wb"),
      "Chapter 1",
      prose("Vc"),
      "Chapter 2",
      prose("Vd"),
    ].join("\n\n");
    expect(body(letters).map((c) => c.label)).toEqual(["Letter 1", "Letter 2", "Chapter 1", "Chapter 2"]);
    const play = [
      "ACT I",
      "SCENE I. A room",
      prose("Ha"),
      "SCENE II. A hall",
      prose("Hb"),
      "ACT II",
      "SCENE I. A field",
      prose("Hc"),
    ].join("\n\n");
    expect(body(play).map((c) => [c.title, c.part])).toEqual([
      ["A room", "ACT I"],
      ["A hall", "ACT I"],
      ["A field", "ACT II"],
    ]);
  });
});

describe("detectChapters with titles after plain space", () => {
  it("reads 'CHAPTER IV THE TITLE' but not a sentence that starts like a heading", () => {
    const text = [
      "CHAPTER I THE START",
      prose("Al"),
      "CHAPTER II THE MIDDLE",
      prose("Bo"),
      "Part one of the plan failed.",
      prose("Cy"),
    ].join("\n\n");
    expect(body(text).map((c) => [c.label, c.title])).toEqual([
      ["CHAPTER I", "THE START"],
      ["CHAPTER II", "THE MIDDLE"],
    ]);
  });
});
