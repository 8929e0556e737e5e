/**
 * Logical voices: the names the pipeline casts (`narrator`, `female-young-1`, `male-elderly-2`,
 * `neutral-adult-1`, …) so a script is voiced the same whichever provider serves it. Each provider maps
 * them to its own voices; anything else is taken as that provider's own voice id.
 */
const LOGICAL_VOICE = /^(narrator|(female|male|neutral)-(child|young|adult|elderly)-(\d+))$/;

/** ElevenLabs premade voices (also accepted by ModelsLab's ElevenLabs-compatible TTS), by hints. */
const ELEVENLABS_VOICES = {
  narrator: ["JBFqnCBsd6RMkjVDRZzb"], // George: warm, mature narration
  female: {
    child: ["MF3mGyEYCl7XYWbV9V6O"], // Elli
    young: ["EXAVITQu4vr4xnSDxMaL", "AZnzlk1XvdvUeBnXmlld", "MF3mGyEYCl7XYWbV9V6O"], // Bella, Domi, Elli
    adult: ["21m00Tcm4TlvDq8ikWAM", "XrExE9yKIg1WjnnlVkGX", "ThT5KcBeYPX3keUQqHPh"], // Rachel, Matilda, Dorothy
    elderly: ["z9fAnlkpzviPz146aGWa", "21m00Tcm4TlvDq8ikWAM"], // Glinda, Rachel
  },
  male: {
    child: ["yoZ06aMxZJJ28mfd3POQ"], // Sam
    young: ["ErXwobaYiN019PkySvjV", "TxGEqnHWrfWFTfGW9XjX", "yoZ06aMxZJJ28mfd3POQ"], // Antoni, Josh, Sam
    adult: ["pNInz6obpgDQGcFmaJgB", "VR6AewLTigWG4xSOukaG", "onwK4e9ZLuTAKqWW03F9"], // Adam, Arnold, Daniel
    elderly: ["D38z5RcWu1voky8WS1ja", "2EiwWnXFnvU5JabPnv8n"], // Fin, Clyde
  },
} as const;

/** The ElevenLabs voice id for `voice`: a logical voice mapped by its hints, or the id itself. */
export function elevenLabsVoiceId(voice: string): string {
  const match = LOGICAL_VOICE.exec(voice);
  if (!match) return voice;
  if (match[1] === "narrator") return ELEVENLABS_VOICES.narrator[0];
  const gender = match[2] === "neutral" ? "female" : (match[2] as "female" | "male");
  const age = match[3] as "child" | "young" | "adult" | "elderly";
  const pool = ELEVENLABS_VOICES[gender][age];
  // neutral voices take the pool from the other end, so a neutral and a female cast differ.
  const index = Number(match[4]) - 1 + (match[2] === "neutral" ? pool.length - 1 : 0);
  return pool[index % pool.length]!;
}

/** Every ElevenLabs voice id the logical voices can map to (fakes and tests list them). */
export const ELEVENLABS_LOGICAL_VOICE_IDS: readonly string[] = [
  ...new Set([
    ...ELEVENLABS_VOICES.narrator,
    ...Object.values(ELEVENLABS_VOICES.female).flat(),
    ...Object.values(ELEVENLABS_VOICES.male).flat(),
  ]),
];
