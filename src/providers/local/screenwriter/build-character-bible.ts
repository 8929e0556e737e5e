import {
  type CharacterBible,
  type CharacterBibleInput,
  SCRIPT_SCHEMA_VERSION,
  type ScriptCharacter,
} from "../../../script/index.ts";
import { sameName } from "./character-registry.ts";
import { findCharacters } from "./find-characters.ts";

/**
 * The character bible of a book: the characters of all its chapter scripts merged by name (aliases and
 * pet names folded together, the first known gender and age kept, the longest description kept), plus,
 * from raw `text`, characters named at least three times. No voice is assigned here: casting is the
 * pipeline's, per speech provider.
 */
export function buildCharacterBible(input: CharacterBibleInput): CharacterBible {
  const merged: ScriptCharacter[] = [];
  const fromScripts = (input.scripts ?? []).flatMap((script) => script.characters);
  const fromText = input.text ? findCharacters(input.text).toScriptCharacters(3) : [];
  for (const character of [...fromScripts, ...fromText]) {
    const existing = merged.find(
      (candidate) =>
        candidate.name === character.name ||
        candidate.aliases.includes(character.name) ||
        sameName(candidate.name, character.name),
    );
    if (!existing) {
      merged.push({ ...character, aliases: [...character.aliases], voice: { ...character.voice } });
      continue;
    }
    const index = merged.indexOf(existing);
    const aliases = new Set([...existing.aliases, ...character.aliases]);
    if (character.name !== existing.name) aliases.add(character.name);
    aliases.delete(existing.name);
    merged[index] = {
      name: existing.name,
      aliases: [...aliases],
      description:
        character.description.length > existing.description.length
          ? character.description
          : existing.description,
      voice: {
        gender: existing.voice.gender === "unknown" ? character.voice.gender : existing.voice.gender,
        age: existing.voice.age === "unknown" ? character.voice.age : existing.voice.age,
      },
    };
  }
  return { version: SCRIPT_SCHEMA_VERSION, characters: merged };
}
