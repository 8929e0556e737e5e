import { createRequire } from "node:module";
import type compromise from "compromise";
import type { ScriptCharacter, VoiceHints } from "../../../script/index.ts";
import {
  type CharacterEntry,
  CharacterRegistry,
  nameTokens,
  sameName,
  TITLES,
} from "./character-registry.ts";
import { splitSentences } from "./prose-text.ts";

const require = createRequire(import.meta.url);
let compromiseModule: typeof compromise | undefined;

/**
 * compromise takes most of a second to load: it is loaded on the first name lookup, not whenever the
 * CLI starts (its CommonJS build, the same version and lexicon as the ESM one).
 */
function nlp(text: string): ReturnType<typeof compromise> {
  compromiseModule ??= require("compromise") as typeof compromise;
  return compromiseModule(text);
}

/** Names the name finder reports that are not characters. */
const NOT_CHARACTERS = new Set([
  "god",
  "christmas",
  "heaven",
  "lord",
  "jesus",
  "chapter",
  "o'clock",
  "sunday",
]);

/** Words that make a sentence describe how someone looks. */
const APPEARANCE =
  /\b(hair|eyes|face|cheeks|beard|moustache|mustache|wore|coat|dress|gown|gloves|hat|cap|cloak|tall|short|thin|slender|stout|plump|pale|freckled|figure|skin|shoulders|uniform)\b/i;

interface NameForm {
  text: string;
  title: string | undefined;
}

/**
 * Finds the characters of a text with `compromise`'s person recognizer: names grouped by first name (pet
 * names folded: Jim = James), each with its aliases, gender (first-name lexicon, then titles, then the
 * pronouns around it), age cues and a fixed visual description from the sentences that show it.
 * `known` characters (from earlier chapters) keep their names and descriptions.
 */
export function findCharacters(text: string, known: readonly ScriptCharacter[] = []): CharacterRegistry {
  const sentences = splitSentences(text.replace(/\s+/g, " "));
  // Forms grouped by name, in order of first appearance: a one-word name joins the first group that has
  // it ("Silver" → "John Silver"), a full name joins a group by its surname, or a group of one-word names by
  // one it contains ("James Dillingham Young" → "Jim"). Groups never merge, so "John" cannot chain two Johns.
  const groups: { tokens: Set<string>; singles: Set<string>; lasts: Set<string>; forms: NameForm[] }[] = [];
  for (const person of nlp(text).people().json() as { text: string }[]) {
    const form = cleanName(person.text);
    if (!form || NOT_CHARACTERS.has(form.text.toLowerCase())) continue;
    const tokens = nameTokens(form.text);
    if (tokens.length === 0 || tokens.some((token) => NOT_CHARACTERS.has(token))) continue;
    const last = tokens.at(-1)!;
    const single = tokens.length === 1;
    let group = groups.find((candidate) =>
      single
        ? candidate.tokens.has(last)
        : candidate.lasts.has(last) ||
          (candidate.lasts.size === 0 && tokens.some((token) => candidate.singles.has(token))),
    );
    if (!group) {
      group = { tokens: new Set(), singles: new Set(), lasts: new Set(), forms: [] };
      groups.push(group);
    }
    for (const token of tokens) group.tokens.add(token);
    if (single) group.singles.add(last);
    else group.lasts.add(last);
    group.forms.push(form);
  }

  const entries: CharacterEntry[] = known.map((character) => ({
    name: character.name,
    aliases: [...character.aliases],
    gender: character.voice.gender,
    age: character.voice.age,
    mentions: 0,
    lines: 0,
    description: character.description,
  }));
  for (const { forms: group } of groups) {
    const existing = entries.find((entry) =>
      group.some((form) => sameName(entry.name, form.text) || entry.aliases.includes(form.text)),
    );
    const entry = existing ?? newEntry(group, sentences);
    entry.mentions += group.length;
    for (const form of group) {
      if (form.text !== entry.name && !entry.aliases.includes(form.text)) entry.aliases.push(form.text);
    }
    if (!existing) entries.push(entry);
  }
  return new CharacterRegistry(entries);
}

function newEntry(group: readonly NameForm[], sentences: readonly string[]): CharacterEntry {
  const counts = new Map<string, number>();
  for (const form of group) counts.set(form.text, (counts.get(form.text) ?? 0) + 1);
  // The most frequent form is the name; ties go to the shorter (what people call each other).
  const name = [...counts].sort(
    (a, b) => b[1] - a[1] || a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1),
  )[0]![0];
  const mentioning = sentenceWindows(sentences, group);
  const gender = genderOf(group, mentioning);
  const age = ageOf(mentioning);
  return {
    name,
    aliases: [],
    gender,
    age,
    mentions: 0,
    lines: 0,
    description: describe(name, gender, age, sentences, group),
  };
}

/** Words that open a sentence and that a name finder may glue to the name after them. */
const LEADING_WORDS = /^(?:And|But|Then|So|Now|Oh|Well|Yes|No|The|Dear|Poor|Old|Good|Here|There)$/;

/**
 * Cleans a name the recognizer found: the run of capitalized words (titles kept apart), cut at the first
 * sentence end, without quotes, possessives or sentence-opening words ("Dick. And" → "Dick").
 */
function cleanName(raw: string): NameForm | undefined {
  const kept: string[] = [];
  for (const word of raw
    .replace(/["“”]/g, "")
    .replace(/['’]s\b/g, "")
    .split(/\s+/)
    .filter(Boolean)) {
    const bare = word.replace(/[.,;:!?)(]+$/, "");
    if (!/^[A-Z]/.test(bare)) break;
    if (kept.length > 0 || !LEADING_WORDS.test(bare)) kept.push(bare);
    if (/[.,;:!?]$/.test(word) && TITLES[bare.toLowerCase()] === undefined) break;
  }
  const [first, ...rest] = kept;
  if (!first) return undefined;
  const isTitle = TITLES[first.toLowerCase()] !== undefined && rest.length > 0;
  const text = isTitle ? rest.join(" ") : kept.join(" ");
  return text.length >= 2 ? { text, title: isTitle ? first : undefined } : undefined;
}

/** Each sentence that names one of the forms, with the sentence after it (where pronouns refer back). */
function sentenceWindows(sentences: readonly string[], group: readonly NameForm[]): string[] {
  const names = [...new Set(group.map((form) => form.text.split(" ")[0]!))];
  const pattern = new RegExp(`\\b(?:${names.map(escapeRegExp).join("|")})\\b`);
  const windows: string[] = [];
  sentences.forEach((sentence, index) => {
    if (pattern.test(sentence)) windows.push(`${sentence} ${sentences[index + 1] ?? ""}`);
  });
  return windows;
}

function genderOf(group: readonly NameForm[], windows: readonly string[]): VoiceHints["gender"] {
  let female = 0;
  let male = 0;
  for (const form of group) {
    const first = nlp(form.text.split(" ")[0]!);
    if (first.has("#FemaleName")) female += 2;
    else if (first.has("#MaleName")) male += 2;
    else if (form.title) {
      const implied = TITLES[form.title.toLowerCase()];
      if (implied === "female") female += 1;
      if (implied === "male") male += 1;
    }
  }
  if (female !== male) return female > male ? "female" : "male";
  for (const window of windows) {
    female += window.match(/\b(?:she|her|hers|herself)\b/gi)?.length ?? 0;
    male += window.match(/\b(?:he|him|his|himself)\b/gi)?.length ?? 0;
  }
  if (female === male) return "unknown";
  return female > male ? "female" : "male";
}

function ageOf(windows: readonly string[]): VoiceHints["age"] {
  const text = windows.join(" ").toLowerCase();
  if (/\b(?:old (?:man|woman|lady|fellow)|elderly|grey-haired|gray-haired|white-haired|aged)\b/.test(text)) {
    return "elderly";
  }
  if (
    /\b(?:child|kid|baby|little (?:boy|girl)|(?:six|seven|eight|nine|ten)(?:-year-old| years old))\b/.test(
      text,
    )
  ) {
    return "child";
  }
  if (
    /\b(?:young|youth|girl|boy|lad|lass|teen\w*|(?:eighteen|nineteen|twenty(?:-\w+)?)(?: years)?)\b/.test(
      text,
    )
  ) {
    return "young";
  }
  return "unknown";
}

function describe(
  name: string,
  gender: VoiceHints["gender"],
  age: VoiceHints["age"],
  sentences: readonly string[],
  group: readonly NameForm[],
): string {
  const noun = personNoun(gender, age);
  const names = [...new Set(group.map((form) => form.text.split(" ")[0]!))];
  const pattern = new RegExp(`\\b(?:${names.map(escapeRegExp).join("|")})\\b`);
  const looks = sentences
    .filter((sentence) => pattern.test(sentence) && APPEARANCE.test(sentence) && !/["“”]/.test(sentence))
    .slice(0, 2)
    .map((sentence) => clip(sentence, 30));
  return [`${name}, ${noun}.`, ...looks].join(" ");
}

function personNoun(gender: VoiceHints["gender"], age: VoiceHints["age"]): string {
  const base = gender === "female" ? "woman" : gender === "male" ? "man" : "person";
  switch (age) {
    case "child":
      return gender === "female" ? "a girl" : gender === "male" ? "a boy" : "a child";
    case "young":
      return `a young ${base}`;
    case "elderly":
      return `an old ${base}`;
    default:
      return `a ${base}`;
  }
}

function clip(sentence: string, words: number): string {
  const parts = sentence.split(/\s+/);
  return parts.length <= words ? sentence : `${parts.slice(0, words).join(" ")}…`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
