import type { CallOptions, ImageModel, ImageRequest, ImageResult } from "../types.ts";
import type { LocalProviderOptions } from "./local-provider-options.ts";
import { LOCAL_PROVIDER_NAME, localUnsupported } from "./local-unsupported.ts";

/** The local image model (not implemented yet: fails with `provider.unsupported`). */
export class LocalImageModel implements ImageModel {
  readonly provider = LOCAL_PROVIDER_NAME;

  constructor(
    readonly modelId: string,
    private readonly options: LocalProviderOptions = {},
  ) {}

  /** Not implemented yet. */
  async generate(_request: ImageRequest, _options?: CallOptions): Promise<ImageResult> {
    void this.options;
    throw localUnsupported("the local image model is not implemented yet", this.modelId);
  }
}
