import { describe, expect, it } from "vitest";
import { classifyMatterByEpubType, classifyMatterByTitle } from "./classify-matter.ts";

describe("classifyMatterByTitle", () => {
  it.each([
    ["Contents", false, "front"],
    ["TABLE OF CONTENTS", false, "front"],
    ["Title Page", false, "front"],
    ["Dedication", false, "front"],
    ["Copyright", false, "front"],
    ["Copyright", true, "back"],
    ["Colophon", true, "back"],
    ["THE FULL PROJECT GUTENBERG LICENSE", true, "back"],
    ["Project Gutenberg License", true, "back"],
    ["About the Author", true, "back"],
    ["Also by Jane Doe", true, "back"],
    ["Notes", true, "back"],
  ] as const)("%s (after body: %s) is %s matter", (title, afterBody, matter) => {
    expect(classifyMatterByTitle(title, afterBody)).toBe(matter);
  });

  it.each([
    "Notes on a Scandal",
    "The Index Card",
    "Contents of the Chest",
    "Epilogue",
    "Chapter 1: Copyright Law",
    "I",
  ])("%s is story text", (title) => {
    expect(classifyMatterByTitle(title, true)).toBeNull();
  });
});

describe("classifyMatterByEpubType", () => {
  it("reads EPUB 3 structural semantics", () => {
    expect(classifyMatterByEpubType("frontmatter")).toBe("front");
    expect(classifyMatterByEpubType("backmatter z3998:fiction")).toBe("back");
    expect(classifyMatterByEpubType("bodymatter z3998:fiction")).toBeNull();
    expect(classifyMatterByEpubType("chapter")).toBeNull();
    expect(classifyMatterByEpubType("colophon")).toBe("back");
  });
});
