/** `<provider>:<voice id>`: a provider's name, then what it calls the voice. */
const PINNED = /^([a-z][a-z0-9-]*):(.+)$/;

/**
 * A voice only one provider has (a clone made there), written `<provider>:<voice id>` so it travels
 * through scenes and job payloads as a plain voice name and is spoken by that provider alone.
 *
 * @example pinnedVoice("elevenlabs", "Xb7hH8") // "elevenlabs:Xb7hH8"
 */
export function pinnedVoice(provider: string, voiceId: string): string {
  return `${provider}:${voiceId}`;
}

/**
 * The provider a voice is pinned to (see {@link pinnedVoice}) and the id to send it; a plain voice
 * name ("narrator", a catalog voice) has no provider and may be spoken by any.
 */
export function unpinVoice(voice: string): { readonly provider?: string; readonly voice: string } {
  const match = PINNED.exec(voice);
  return match ? { provider: match[1] as string, voice: match[2] as string } : { voice };
}
