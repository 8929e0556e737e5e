import type { Beat } from "../../../script/index.ts";
import type { CharacterEntry, CharacterRegistry } from "./character-registry.ts";
import { attributionAfter, leadInBefore, SUBJECT_PATTERN } from "./speech-attribution.ts";

/** The name first-person narrators speak under. */
const NARRATOR_NAME = "Narrator";

/**
 * Who was last named or heard, so "she said" resolves to a name, and who is in the current conversation,
 * so an unattributed line goes to the other speaker. One tracker reads one chapter in order.
 */
export class SpeakerTracker {
  #lastByGender = new Map<string, CharacterEntry>();
  #conversation: { speaker: string; paragraph: number }[] = [];

  constructor(private readonly registry: CharacterRegistry) {}

  /** Notes the characters a piece of narration names, in order. */
  noteNarration(text: string): void {
    for (const word of text.match(/[A-Z][\p{L}'’]+/gu) ?? []) {
      const entry = this.registry.find(word.replace(/['’]s$/, ""));
      if (entry && entry.gender !== "unknown") this.#lastByGender.set(entry.gender, entry);
    }
  }

  /** Resolves a name or pronoun to a character name; undefined when a pronoun has no antecedent. */
  resolve(token: string): CharacterEntry | undefined {
    const lower = token.toLowerCase();
    if (lower === "i" || lower === "we") return this.registry.speaker(NARRATOR_NAME);
    if (lower === "they") return undefined;
    if (lower === "she" || lower === "he") {
      const gender = lower === "she" ? "female" : "male";
      return this.#lastByGender.get(gender) ?? this.registry.onlyOfGender(gender);
    }
    return this.registry.speaker(token);
  }

  /** Records that `entry` spoke in paragraph `paragraph`. */
  spoke(entry: CharacterEntry, paragraph: number): void {
    entry.lines += 1;
    if (entry.gender !== "unknown") this.#lastByGender.set(entry.gender, entry);
    this.#conversation.push({ speaker: entry.name, paragraph });
  }

  /** Forgets the conversation (a new scene starts). */
  endConversation(): void {
    this.#conversation = [];
  }

  /**
   * Who most likely says an unattributed line in paragraph `paragraph`: in a conversation of two, the one
   * not addressed by name in the line, else the one who did not speak last.
   */
  nextInConversation(paragraph: number, line: string): CharacterEntry | undefined {
    const recent = this.#conversation.filter((turn) => paragraph - turn.paragraph <= 4);
    const last = recent.at(-1);
    if (!last) return undefined;
    const other = [...recent].reverse().find((turn) => turn.speaker !== last.speaker);
    const addressed = this.#addressee(line);
    if (addressed && other) {
      if (addressed.name === last.speaker) return this.registry.find(other.speaker);
      if (addressed.name === other.speaker) return this.registry.find(last.speaker);
    }
    if (addressed) return addressed.name === last.speaker ? undefined : this.registry.find(last.speaker);
    return other ? this.registry.find(other.speaker) : undefined;
  }

  #addressee(line: string): CharacterEntry | undefined {
    const vocative = /(?:^|[,!?.]\s+)([A-Z][\p{L}]+)\s*[,!?.]|,\s*([A-Z][\p{L}]+)\s*$/u.exec(line);
    const name = vocative?.[1] ?? vocative?.[2];
    return name ? this.registry.find(name) : undefined;
  }
}

interface Span {
  kind: "narration" | "quote";
  text: string;
  /** Replacement text of a narration span once attributions are taken out. */
  kept: string;
}

interface QuoteRole {
  speaker: CharacterEntry | undefined;
  parenthetical: string | undefined;
}

/**
 * Turns one cleaned paragraph into beats: narration, and dialogue lines from its quotations with their
 * speakers. Quotations that are not speech (a name on a card, a quoted word) stay in the narration.
 */
export function extractBeats(paragraph: string, index: number, tracker: SpeakerTracker): Beat[] {
  const spans = splitQuotes(paragraph);
  const roles = new Map<number, QuoteRole>();

  spans.forEach((span, position) => {
    if (span.kind === "narration") {
      tracker.noteNarration(span.text);
      return;
    }
    const after = spans[position + 1];
    const before = spans[position - 1];
    const following = after?.kind === "narration" ? attributionAfter(after.text) : undefined;
    if (following && after) {
      after.kept = after.kept.slice(following.length);
      roles.set(position, {
        speaker: tracker.resolve(following.speaker),
        parenthetical: following.parenthetical,
      });
      return;
    }
    const leadIn = before?.kind === "narration" ? leadInBefore(before.text) : undefined;
    if (leadIn && before) {
      const subjects = [...leadIn.clause.matchAll(SUBJECT_PATTERN)].map((match) => match[0]);
      const subject = [...subjects].reverse().find((token) => isSpeakerToken(token, tracker));
      if (subject) {
        const words = leadIn.clause.trim().split(/\s+/).length;
        before.kept =
          words <= 4
            ? before.kept.slice(0, before.kept.length - leadIn.clause.length)
            : before.kept.replace(/\s*[,:]\s*$/, ".");
        roles.set(position, { speaker: tracker.resolve(subject), parenthetical: leadIn.parenthetical });
      }
    }
  });

  // Unattributed quotations: the paragraph's speaker, else the conversation's next speaker.
  const paragraphSpeaker = [...roles.values()].find((role) => role.speaker)?.speaker;
  spans.forEach((span, position) => {
    if (span.kind !== "quote" || roles.has(position) || !isSpeechLike(span.text)) return;
    if (paragraphSpeaker) {
      roles.set(position, { speaker: paragraphSpeaker, parenthetical: undefined });
    } else if (position === 0 || (position === 1 && spans[0]!.text.trim() === "")) {
      const speaker = tracker.nextInConversation(index, span.text);
      if (speaker) roles.set(position, { speaker, parenthetical: undefined });
    }
  });

  const beats: Beat[] = [];
  let narration = "";
  const flush = (): void => {
    const text = tidyNarration(narration);
    if (text) beats.push({ kind: "narration", text });
    narration = "";
  };
  spans.forEach((span, position) => {
    const role = roles.get(position);
    if (span.kind === "narration") {
      narration += span.kept;
    } else if (!role?.speaker) {
      narration += `"${span.text}"`;
    } else {
      flush();
      tracker.spoke(role.speaker, index);
      const text = span.text.trim();
      const previous = beats.at(-1);
      if (previous?.kind === "dialogue" && previous.speaker === role.speaker.name) {
        beats[beats.length - 1] = { ...previous, text: joinLines(previous.text, text) };
      } else {
        beats.push({
          kind: "dialogue",
          speaker: role.speaker.name,
          text,
          ...(role.parenthetical ? { parenthetical: role.parenthetical } : {}),
        });
      }
    }
  });
  flush();
  return beats.map((beat) => (beat.kind === "dialogue" ? { ...beat, text: closeLine(beat.text) } : beat));
}

function isSpeakerToken(token: string, tracker: SpeakerTracker): boolean {
  if (/^(?:he|she|I|we)$/.test(token)) return true;
  return (
    /^[A-Z]/.test(token) &&
    tracker.resolve(token) !== undefined &&
    !/^(?:And|But|Then|The|So|Now)$/.test(token)
  );
}

/** Splits on straight or curly double quotes; an unclosed quote runs to the end of the paragraph. */
function splitQuotes(paragraph: string): Span[] {
  const spans: Span[] = [];
  let cursor = 0;
  for (const match of paragraph.matchAll(/"([^"]*)(?:"|$)|“([^”]*)(?:”|$)/g)) {
    const narration = paragraph.slice(cursor, match.index);
    if (narration || spans.length === 0) spans.push({ kind: "narration", text: narration, kept: narration });
    const quote = match[1] ?? match[2] ?? "";
    spans.push({ kind: "quote", text: quote, kept: quote });
    cursor = match.index + match[0].length;
  }
  const tail = paragraph.slice(cursor);
  if (tail) spans.push({ kind: "narration", text: tail, kept: tail });
  return spans;
}

/** A quotation reads as speech when it is more than a quoted word or name. */
function isSpeechLike(quote: string): boolean {
  const words = quote.trim().split(/\s+/).length;
  return words >= 3 || /[!?]\s*$/.test(quote.trim());
}

/** Joins two quotations of one speaker: a comma that closed the first becomes a period before a new sentence. */
function joinLines(first: string, second: string): string {
  const head = /^[A-Z]/.test(second) ? first.replace(/,$/, ".") : first;
  return `${head} ${second}`.replace(/\s+/g, " ").trim();
}

/** A spoken line ends like a sentence, not with the comma that led into its attribution. */
function closeLine(text: string): string {
  return text.replace(/,$/, ".");
}

function tidyNarration(text: string): string {
  const tidy = text
    .replace(/\s+/g, " ")
    .replace(/^[\s,;:—–-]+/, "")
    .replace(/\s+([,.;:!?])/g, "$1")
    .trim();
  if (!/[\p{L}\p{N}]/u.test(tidy)) return "";
  const capitalized = tidy.charAt(0).toUpperCase() + tidy.slice(1);
  return /[.!?…"”’)]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}
