import { ProviderError } from "../provider-error.ts";
import type { CallOptions, SpeechModel, SpeechRequest, SpeechResult } from "../types.ts";
import type { LocalProviderOptions } from "./local-provider-options.ts";
import { LOCAL_PROVIDER_NAME } from "./local-unsupported.ts";
import { type ClauseTrack, clauseTrack } from "./speech/clause-track.ts";
import { espeakVoiceFor, NARRATOR_WORDS_PER_MINUTE } from "./speech/espeak-voice.ts";
import type { EspeakWorkerPool } from "./speech/espeak-worker-pool.ts";
import { runEspeak } from "./speech/run-espeak.ts";
import { speechClauses } from "./speech/speech-clauses.ts";

const DEFAULT_SPEECH_TIMEOUT_MS = 60_000;
/** Silence after a clause and after a sentence at the narrator's pace: about eSpeak's own pauses. */
const PAUSE_SECONDS = { clause: 0.24, sentence: 0.4 } as const;
/** eSpeak runs one line's clauses at once, at most this many (the WASM pool queues beyond its size). */
const CLAUSES_AT_ONCE = 4;

/**
 * Offline speech with eSpeak NG (a system binary, else the npm WASM build in worker processes): 16-bit mono WAV at
 * 22,050 Hz, a distinct voice per voice name (see `espeakVoiceFor`; "narrator" is the narrator). Each
 * clause of the text (see `speechClauses`) is spoken on its own and the clauses are joined with pauses
 * of fixed length (see `clauseTrack`): eSpeak carries its state from clause to clause within one run,
 * so a line spoken whole sounds and times every clause differently when one word changes, while
 * clause by clause an edit leaves the other clauses' samples and word timings as they were (moved by
 * whole milliseconds), and a video cut between clauses keeps its unchanged parts. Word timings come
 * from each clause's phoneme output and the pauses measured in its audio (see `deriveWordTimings`).
 * The same request gives the same bytes.
 */
export class LocalSpeechModel implements SpeechModel {
  readonly provider = LOCAL_PROVIDER_NAME;

  constructor(
    readonly modelId: string,
    private readonly options: LocalProviderOptions,
    /** The provider's shared eSpeak NG WASM workers, created on first use. */
    private readonly workers: () => EspeakWorkerPool,
  ) {}

  /** Speaks `request.text` in `request.voice`; `costMicros` is 0. */
  async generate(request: SpeechRequest, options?: CallOptions): Promise<SpeechResult> {
    const text = request.text.replace(/\s+/g, " ").trim();
    if (!/[\p{L}\p{N}]/u.test(text)) {
      throw new ProviderError("speech request has no words to speak: give SpeechRequest.text some text", {
        provider: LOCAL_PROVIDER_NAME,
        modelId: this.modelId,
        kind: "bad_request",
      });
    }
    const language = request.language ?? "en";
    if (!/^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$/i.test(language)) {
      throw new ProviderError(
        `speech language "${language}" is not an ISO 639 code such as "en" or "pt-br"`,
        {
          provider: LOCAL_PROVIDER_NAME,
          modelId: this.modelId,
          kind: "bad_request",
        },
      );
    }
    const voice = espeakVoiceFor(request.voice, language, request.speed ?? 1);
    const clauses = speechClauses(text);
    const outputs = await mapInOrder(clauses, CLAUSES_AT_ONCE, (clause) =>
      runEspeak(clause.text, voice, {
        timeoutMs: this.options.speechTimeoutMs ?? DEFAULT_SPEECH_TIMEOUT_MS,
        signal: options?.signal,
        modelId: this.modelId,
        binary: this.options.espeakPath,
        workers: this.workers,
      }),
    );
    this.options.logger?.debug(
      { build: outputs[0]?.build, voice, clauses: clauses.length },
      "local speech synthesized with eSpeak NG",
    );
    // eSpeak's pauses follow its speed: the narrator's 160 words a minute is the reference.
    const pace = NARRATOR_WORDS_PER_MINUTE / voice.wordsPerMinute;
    let track: ClauseTrack;
    try {
      track = clauseTrack(
        clauses.map((clause, index) => ({
          text: clause.text,
          wav: outputs[index]!.wav,
          phonemes: outputs[index]!.phonemes,
          pauseSeconds: PAUSE_SECONDS[clause.pause] * pace,
        })),
      );
    } catch (cause) {
      throw new ProviderError(`eSpeak NG wrote an unreadable WAV file: ${(cause as Error).message}`, {
        provider: LOCAL_PROVIDER_NAME,
        modelId: this.modelId,
        kind: "invalid_response",
        cause,
      });
    }
    return {
      audio: track.wav,
      mediaType: "audio/wav",
      durationSeconds: track.durationSeconds,
      words: track.words,
      characters: text.length,
      modelId: this.modelId,
      costMicros: 0,
    };
  }
}

/** `run` over `items` with at most `limit` at a time, results in order; stops starting new ones after a failure. */
async function mapInOrder<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const runner = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await run(items[index]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  return results;
}
