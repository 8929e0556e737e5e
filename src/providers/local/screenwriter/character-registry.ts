import type { ScriptCharacter, VoiceHints } from "../../../script/index.ts";

/** What the screenwriter knows of one character while it reads a chapter. */
export interface CharacterEntry {
  name: string;
  aliases: string[];
  gender: VoiceHints["gender"];
  age: VoiceHints["age"];
  /** How often the text names the character (all aliases). */
  mentions: number;
  /** Times the character speaks a dialogue line. */
  lines: number;
  description: string;
}

/** Pet names and their full forms, so "Jim" and "Mr. James Dillingham Young" are one person. */
const NICKNAMES: Readonly<Record<string, string>> = {
  jim: "james",
  jimmy: "james",
  jamie: "james",
  bob: "robert",
  rob: "robert",
  bobby: "robert",
  bill: "william",
  will: "william",
  billy: "william",
  dick: "richard",
  rick: "richard",
  tom: "thomas",
  tommy: "thomas",
  tony: "anthony",
  kate: "katherine",
  kitty: "katherine",
  liz: "elizabeth",
  beth: "elizabeth",
  betsy: "elizabeth",
  lizzy: "elizabeth",
  peg: "margaret",
  peggy: "margaret",
  maggie: "margaret",
  meg: "margaret",
  jack: "john",
  johnny: "john",
  harry: "henry",
  hal: "henry",
  ned: "edward",
  ted: "edward",
  teddy: "edward",
  sam: "samuel",
  joe: "joseph",
  ben: "benjamin",
  dan: "daniel",
  dave: "david",
  mike: "michael",
  nick: "nicholas",
  pat: "patrick",
  sue: "susan",
  annie: "anne",
  polly: "mary",
  molly: "mary",
  fred: "frederick",
  charlie: "charles",
  chuck: "charles",
};

/** Titles before a name, with the gender they imply. */
export const TITLES: Readonly<Record<string, VoiceHints["gender"]>> = {
  mr: "male",
  sir: "male",
  lord: "male",
  master: "male",
  mrs: "female",
  miss: "female",
  ms: "female",
  madame: "female",
  mme: "female",
  mlle: "female",
  lady: "female",
  dr: "unknown",
  captain: "unknown",
  professor: "unknown",
};

/**
 * The tokens that identify a name: lower-cased words without titles, pet names folded into their full
 * form. Two names that share a token are taken as one person ("Long John", "John Silver", "Silver").
 */
export function nameTokens(name: string): string[] {
  return name
    .split(/\s+/)
    .map((word) => word.toLowerCase().replace(/[^\p{L}]/gu, ""))
    .filter((word) => word.length >= 2 && TITLES[word] === undefined)
    .map((word) => NICKNAMES[word] ?? word);
}

/** Whether two names share an identifying token. */
export function sameName(a: string, b: string): boolean {
  const tokens = new Set(nameTokens(a));
  return nameTokens(b).some((token) => tokens.has(token));
}

/**
 * The characters of a chapter, found by name, alias, pet name or a vocative prefix ("Dell" for "Della").
 */
export class CharacterRegistry {
  readonly #entries: CharacterEntry[];

  constructor(entries: readonly CharacterEntry[]) {
    this.#entries = entries.map((entry) => ({ ...entry, aliases: [...entry.aliases] }));
  }

  /** Every entry, in order of first appearance. */
  get entries(): readonly CharacterEntry[] {
    return this.#entries;
  }

  /** The character a name refers to, if any. */
  find(name: string): CharacterEntry | undefined {
    const wanted = stripTitle(name).toLowerCase();
    if (!wanted) return undefined;
    const exact = this.#entries.find(
      (entry) =>
        entry.name.toLowerCase() === wanted || entry.aliases.some((alias) => alias.toLowerCase() === wanted),
    );
    if (exact) return exact;
    const byToken = this.#entries.find(
      (entry) => sameName(entry.name, wanted) || entry.aliases.some((alias) => sameName(alias, wanted)),
    );
    if (byToken) return byToken;
    // A clipped vocative ("Dell" for "Della") of at least four letters.
    return wanted.length >= 4 && !wanted.includes(" ")
      ? this.#entries.find((entry) => entry.name.toLowerCase().startsWith(wanted))
      : undefined;
  }

  /** The character a speaker name refers to, added when new (e.g. a "Madame" the name finder missed). */
  speaker(name: string, gender: VoiceHints["gender"] = "unknown"): CharacterEntry {
    const found = this.find(name);
    if (found) return found;
    const entry: CharacterEntry = {
      name: name.trim(),
      aliases: [],
      gender: gender === "unknown" ? titleGender(name) : gender,
      age: "unknown",
      mentions: 1,
      lines: 0,
      description: "",
    };
    this.#entries.push(entry);
    return entry;
  }

  /** The only character of a gender, when there is exactly one that speaks or is often named. */
  onlyOfGender(gender: "female" | "male"): CharacterEntry | undefined {
    const matching = this.#entries.filter((entry) => entry.gender === gender && entry.mentions >= 2);
    return matching.length === 1 ? matching[0] : undefined;
  }

  /**
   * The script's character list: everyone who speaks, and anyone named at least `minimumMentions` times.
   */
  toScriptCharacters(minimumMentions = 3): ScriptCharacter[] {
    return this.#entries
      .filter((entry) => entry.lines > 0 || entry.mentions >= minimumMentions)
      .map((entry) => ({
        name: entry.name,
        aliases: [...entry.aliases],
        description: entry.description,
        voice: { gender: entry.gender, age: entry.age },
      }));
  }
}

/** Removes a leading title ("Mr.", "Madame") unless the title is the whole name. */
function stripTitle(name: string): string {
  const trimmed = name.trim();
  const match = /^([A-Za-z]+)\.?\s+(.+)$/.exec(trimmed);
  if (match?.[1] && match[2] && TITLES[match[1].toLowerCase()] !== undefined) return match[2].trim();
  return trimmed;
}

function titleGender(name: string): VoiceHints["gender"] {
  const first = /^([A-Za-z]+)/.exec(name.trim())?.[1]?.toLowerCase() ?? "";
  return TITLES[first] ?? "unknown";
}
