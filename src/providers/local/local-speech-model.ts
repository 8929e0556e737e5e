import { ProviderError } from "../provider-error.ts";
import type { CallOptions, SpeechModel, SpeechRequest, SpeechResult } from "../types.ts";
import type { LocalProviderOptions } from "./local-provider-options.ts";
import { LOCAL_PROVIDER_NAME } from "./local-unsupported.ts";
import { espeakVoiceFor } from "./speech/espeak-voice.ts";
import type { EspeakWorkerPool } from "./speech/espeak-worker-pool.ts";
import { runEspeak } from "./speech/run-espeak.ts";
import { readMonoSamples, readWavInfo } from "./speech/wav-file.ts";
import { deriveWordTimings } from "./speech/word-timings.ts";

const DEFAULT_SPEECH_TIMEOUT_MS = 60_000;

/**
 * Offline speech with eSpeak NG (a system binary, else the npm WASM build in worker processes): 16-bit mono WAV at
 * 22,050 Hz, a distinct voice per voice name (see `espeakVoiceFor`; "narrator" is the narrator), word
 * timings from eSpeak's clause and phoneme output aligned with the pauses measured in the audio (see
 * `deriveWordTimings`), and the duration read from the WAV header. The same request gives the same bytes.
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
    const output = await runEspeak(text, voice, {
      timeoutMs: this.options.speechTimeoutMs ?? DEFAULT_SPEECH_TIMEOUT_MS,
      signal: options?.signal,
      modelId: this.modelId,
      binary: this.options.espeakPath,
      workers: this.workers,
    });
    this.options.logger?.debug({ build: output.build, voice }, "local speech synthesized with eSpeak NG");
    let info: ReturnType<typeof readWavInfo>;
    try {
      info = readWavInfo(output.wav);
    } catch (cause) {
      throw new ProviderError(`eSpeak NG wrote an unreadable WAV file: ${(cause as Error).message}`, {
        provider: LOCAL_PROVIDER_NAME,
        modelId: this.modelId,
        kind: "invalid_response",
        cause,
      });
    }
    const words = deriveWordTimings(
      text,
      readMonoSamples(output.wav, info),
      info.sampleRate,
      output.phonemes,
    );
    return {
      audio: output.wav,
      mediaType: "audio/wav",
      durationSeconds: Math.round(info.durationSeconds * 1000) / 1000,
      words,
      characters: text.length,
      modelId: this.modelId,
      costMicros: 0,
    };
  }
}
