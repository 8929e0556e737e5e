import { LitinkError } from "../errors/index.ts";
import type { CharacterBible } from "../script/index.ts";
import { jsonAsset } from "./asset-cache.ts";
import { pinnedVoice } from "./pinned-voice.ts";
import type { PipelineResources, RunContext, VideoRequest } from "./pipeline-types.ts";
import { routedAsset } from "./routed-asset.ts";
import { type CheckedVoiceClone, checkVoiceSamples } from "./voice-clone-samples.ts";

/** The voices a run speaks with after cloning: the narrator's and the bible with its characters' ids. */
export interface ClonedCast {
  /** The narrator's cloned voice id, when the narrator was cloned. */
  readonly narratorVoice: string | undefined;
  /** The character bible with each cloned character's `voiceId` set. */
  readonly bible: CharacterBible;
}

/**
 * Everything about `--clone-voice` that can be checked before any work, after the tier rules: no two
 * clones for one speaker, no `--voice` beside a cloned narrator, a usable voice-cloning model (ElevenLabs
 * needs its key; the offline providers cannot clone), and sample files ElevenLabs will take. Returns the
 * checked samples, read into memory.
 *
 * @throws LitinkError `voice_clone.*` (user-facing)
 */
export async function checkVoiceCloning(
  resources: PipelineResources,
  request: VideoRequest,
  signal?: AbortSignal,
): Promise<CheckedVoiceClone[]> {
  const clones = request.voiceClones ?? [];
  if (clones.length === 0) return [];
  const seen = new Set<string>();
  for (const clone of clones) {
    const key = speakerKey(clone.speaker);
    if (seen.has(key)) {
      throw new LitinkError(
        "voice_clone.duplicate_speaker",
        `${clone.speaker === undefined ? "the narrator" : `"${clone.speaker}"`} is cloned twice; give all of one speaker's samples as one voice`,
        { userFacing: true },
      );
    }
    seen.add(key);
  }
  if (request.voice !== undefined && seen.has(NARRATOR)) {
    throw new LitinkError(
      "voice_clone.narrator_voice_conflict",
      `--voice ${request.voice} and a cloned narrator voice both set the narrator's voice; keep one of them`,
      { userFacing: true },
    );
  }
  const chain = resources.router.resolveChain(
    "voice_clone",
    request.tier,
    request.modelOverrides?.voice_clone,
  );
  if (chain.usable.length === 0) {
    const providers = [...new Set(chain.entries.map((entry) => entry.provider))];
    const missingKeys = chain.skipped
      .filter((skip) => skip.reason === "no_api_key")
      .map((skip) => `${skip.provider.toUpperCase()}_API_KEY`);
    const names = providers.map(displayName).join(" or ") || "a remote provider";
    throw new LitinkError(
      "voice_clone.unavailable",
      `voice cloning needs ${names}, and ${
        missingKeys.length > 0
          ? `${[...new Set(missingKeys)].join(" / ")} is not set: set it to your ${names} API key (see \`litink providers\`)`
          : "no configured provider can clone voices here"
      }, or render without --clone-voice; the offline voices cannot be cloned`,
      { userFacing: true, details: { tier: request.tier, skipped: chain.skipped } },
    );
  }
  return checkVoiceSamples(clones, resources.config.ffmpeg, signal);
}

/**
 * Clones each checked voice once through the router's `voice_clone` chain, cached like any other asset
 * under the hash of its sample files, the speaker and the serving model (a re-run or a resume never
 * clones, or pays, twice), and assigns it: the narrator's voice, or the voice of the bible character
 * the speaker names (by name or alias).
 *
 * @throws LitinkError `voice_clone.unknown_speaker` (user-facing) when a speaker is not in the bible;
 *   checked for every clone before the first is made.
 */
export async function castClonedVoices(
  context: RunContext,
  clones: readonly CheckedVoiceClone[],
  bible: CharacterBible,
): Promise<ClonedCast> {
  const characters = clones.map((clone) => {
    if (clone.speaker === undefined || speakerKey(clone.speaker) === NARRATOR) return undefined;
    const key = speakerKey(clone.speaker);
    const character = bible.characters.find((candidate) =>
      [candidate.name, ...candidate.aliases].some((name) => speakerKey(name) === key),
    );
    if (!character) {
      throw new LitinkError(
        "voice_clone.unknown_speaker",
        `--clone-voice ${clone.speaker}=…: no character named "${clone.speaker}" in this story; its characters are ${
          bible.characters.map((candidate) => candidate.name).join(", ") || "(none)"
        }. Name one of them, or give no name to clone the narrator`,
        { userFacing: true, details: { speaker: clone.speaker } },
      );
    }
    return character.name;
  });
  const voices = new Map<string | undefined, string>();
  for (const [index, clone] of clones.entries()) {
    const speaker = characters[index];
    const { asset } = await routedAsset(context, {
      stage: "scene_breakdown",
      capability: "voice_clone",
      kind: "voice-clone",
      inputs: { speaker: speaker ?? NARRATOR, samples: clone.samples.map((sample) => sample.sha256) },
      request: {
        name: `LitinkAI ${speaker ?? "narrator"}`,
        description: `cloned for a LitinkAI video from ${clone.samples.length} sample(s)`,
        samples: clone.samples.map(({ data, mediaType }) => ({ data, mediaType })),
      },
      toAsset: (result) => ({
        data: jsonAsset({ voiceId: result.voiceId }),
        contentType: "application/json",
      }),
    });
    const { voiceId } = await context.cache.readJson<{ voiceId: string }>(asset);
    // Pinned: only the provider that cloned it knows the voice (no fallback may speak with it).
    voices.set(speaker, asset.provider ? pinnedVoice(asset.provider, voiceId) : voiceId);
    context.emit({
      stage: "scene_breakdown",
      status: "progress",
      message: `${speaker ?? "the narrator"} speaks with the cloned voice ${voiceId}`,
    });
  }
  return {
    narratorVoice: voices.get(undefined),
    bible: {
      ...bible,
      characters: bible.characters.map((character) => {
        const voiceId = voices.get(character.name);
        return voiceId === undefined ? character : { ...character, voiceId };
      }),
    },
  };
}

const NARRATOR = "narrator";

function speakerKey(speaker: string | undefined): string {
  return speaker === undefined ? NARRATOR : speaker.trim().toLowerCase().replace(/\s+/g, " ");
}

function displayName(provider: string): string {
  return provider === "elevenlabs" ? "ElevenLabs" : provider;
}
