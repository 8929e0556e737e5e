import type { Scene, ScreenplayElement } from "../document/index.ts";
import { parseSceneHeading } from "./fountain/scene-heading.ts";

/** Collects screenplay elements into scenes and keeps the speaking characters in order of first line. */
export class ScreenplayBuilder {
  readonly opening: ScreenplayElement[] = [];
  readonly scenes: Scene[] = [];
  readonly #characters = new Set<string>();
  #current: { elements: ScreenplayElement[]; characters: Set<string> } | null = null;

  /** Starts a scene at a heading (without the forcing "."). */
  startScene(rawHeading: string, forced: boolean): void {
    const parsed = parseSceneHeading(rawHeading);
    const elements: ScreenplayElement[] = [];
    const characters = new Set<string>();
    this.#current = { elements, characters };
    this.scenes.push({
      ordinal: this.scenes.length + 1,
      heading: parsed.heading,
      forced,
      setting: parsed.setting,
      location: parsed.location,
      time: parsed.time,
      sceneNumber: parsed.sceneNumber,
      elements,
      characters: [],
    });
  }

  /** Appends an element to the current scene (or the opening, before the first heading). */
  add(element: ScreenplayElement): void {
    (this.#current?.elements ?? this.opening).push(element);
    if (element.type === "dialogue" && element.character) {
      this.#characters.add(element.character);
      this.#current?.characters.add(element.character);
    }
  }

  /** The last element added, to merge continued action or mark dual dialogue. */
  last(): ScreenplayElement | undefined {
    return (this.#current?.elements ?? this.opening).at(-1);
  }

  /** Scenes with their speaking characters filled in. */
  finish(): { opening: ScreenplayElement[]; scenes: Scene[]; characters: string[] } {
    const scenes = this.scenes.map((scene) => ({
      ...scene,
      characters: [
        ...new Set(
          scene.elements.flatMap((e) => (e.type === "dialogue" && e.character ? [e.character] : [])),
        ),
      ],
    }));
    return { opening: this.opening, scenes, characters: [...this.#characters] };
  }
}

/**
 * Splits a character cue into the name and its extensions: "MARY (V.O.) (CONT'D)" → "MARY", ["V.O.", "CONT'D"].
 */
export function parseCharacterCue(cue: string): { character: string; extensions: string[] } {
  const extensions: string[] = [];
  const name = cue
    .replace(/\(([^)]*)\)/g, (_, extension: string) => {
      if (extension.trim()) extensions.push(extension.trim().toUpperCase());
      return " ";
    })
    .replace(/\s+/g, " ")
    .trim()
    .toUpperCase();
  return { character: name, extensions };
}
