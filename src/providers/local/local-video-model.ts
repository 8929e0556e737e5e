import type { CallOptions, ImageToVideoModel, ImageToVideoRequest, VideoResult } from "../types.ts";
import type { LocalProviderOptions } from "./local-provider-options.ts";
import { LOCAL_PROVIDER_NAME, localUnsupported } from "./local-unsupported.ts";

/** The local video model (not implemented yet: fails with `provider.unsupported`). */
export class LocalVideoModel implements ImageToVideoModel {
  readonly provider = LOCAL_PROVIDER_NAME;

  constructor(
    readonly modelId: string,
    private readonly options: LocalProviderOptions = {},
  ) {}

  /** Not implemented yet. */
  async generate(_request: ImageToVideoRequest, _options?: CallOptions): Promise<VideoResult> {
    void this.options;
    throw localUnsupported("the local video model is not implemented yet", this.modelId);
  }
}
