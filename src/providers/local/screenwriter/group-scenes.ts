/** One paragraph's contribution to a scene. */
export interface ParagraphUnit {
  /** The paragraph's index in the chapter. */
  readonly index: number;
  readonly text: string;
  /** Estimated seconds of speech. */
  readonly seconds: number;
  /** A scene-break marker came before it. */
  readonly breakBefore: boolean;
  /** It opens with a dialogue line. */
  readonly opensWithDialogue: boolean;
}

/** Scene length targets in seconds of narration. */
export interface SceneTargets {
  /** A place or time cue splits a scene only past this length. @defaultValue 20 */
  readonly minimum: number;
  /** Below this a scene grows; past it, it ends at the next good paragraph break. @defaultValue 45 */
  readonly target: number;
  /** A scene ends before it would pass this length, unless a conversation would be cut. @defaultValue 90 */
  readonly maximum: number;
  /** Even a conversation is cut past this length. @defaultValue 150 */
  readonly hardMaximum: number;
}

/** The default targets: about 45–90 s of narration per scene. */
export const DEFAULT_SCENE_TARGETS: SceneTargets = { minimum: 20, target: 45, maximum: 90, hardMaximum: 150 };

/** Opening phrases that move the story to another time or place. */
const CUE =
  /^(?:(?:the\s+)?(?:next|following)\s+(?:morning|day|evening|night|week)|that\s+(?:night|evening|morning|afternoon)|later\b|(?:an?|one|two|three|some)\s+(?:hours?|days?|weeks?|years?)\s+later|(?:hours?|days?|weeks?|months?|years?)\s+later|in\s+the\s+(?:morning|evening)|at\s+(?:dawn|noon|midnight|dusk|daybreak|last)\b|at\s+(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+o'clock|when\s+(?:[\p{L}']+\s+){1,2}(?:reached|arrived|returned|got\s+home|came\s+home|came\s+back)|meanwhile|soon\s+after|(?:on|by)\s+the\s+(?:next|following)|it\s+was\s+(?:morning|evening|night|dawn|dusk))/iu;

/** Whether a paragraph opens by moving to another time or place ("The next morning…", "When we reached…"). */
function opensWithCue(text: string): boolean {
  return CUE.test(text.replace(/^["“]/, "").trim());
}

/**
 * Groups paragraphs into scenes: always at scene-break markers; at time/place cues once a scene has some
 * length; otherwise at paragraph breaks that keep scenes near the target length without cutting a
 * conversation. A short last scene joins the one before it.
 */
export function groupScenes(
  units: readonly ParagraphUnit[],
  targets: SceneTargets = DEFAULT_SCENE_TARGETS,
): ParagraphUnit[][] {
  const scenes: { units: ParagraphUnit[]; forced: boolean }[] = [];
  let current: ParagraphUnit[] = [];
  let seconds = 0;
  let forced = true;
  for (const unit of units) {
    const grown = seconds + unit.seconds;
    const split =
      current.length > 0 &&
      (unit.breakBefore ||
        (opensWithCue(unit.text) && seconds >= targets.minimum) ||
        (seconds >= targets.target && grown > targets.maximum && !unit.opensWithDialogue) ||
        grown > targets.hardMaximum);
    if (split) {
      scenes.push({ units: current, forced });
      forced = unit.breakBefore;
      current = [];
      seconds = 0;
    }
    current.push(unit);
    seconds += unit.seconds;
  }
  if (current.length > 0) {
    const previous = scenes.at(-1);
    if (previous && !forced && seconds < targets.minimum * 0.75) previous.units.push(...current);
    else scenes.push({ units: current, forced });
  }
  return scenes.map((scene) => scene.units);
}
