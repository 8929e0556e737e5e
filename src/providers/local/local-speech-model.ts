import type { CallOptions, SpeechModel, SpeechRequest, SpeechResult } from "../types.ts";
import type { LocalProviderOptions } from "./local-provider-options.ts";
import { LOCAL_PROVIDER_NAME, localUnsupported } from "./local-unsupported.ts";

/** The local speech model (not implemented yet: fails with `provider.unsupported`). */
export class LocalSpeechModel implements SpeechModel {
  readonly provider = LOCAL_PROVIDER_NAME;

  constructor(
    readonly modelId: string,
    private readonly options: LocalProviderOptions = {},
  ) {}

  /** Not implemented yet. */
  async generate(_request: SpeechRequest, _options?: CallOptions): Promise<SpeechResult> {
    void this.options;
    throw localUnsupported("the local speech model is not implemented yet", this.modelId);
  }
}
