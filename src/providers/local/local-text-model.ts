import type { CallOptions, TextModel, TextRequest, TextResult } from "../types.ts";
import { LOCAL_PROVIDER_NAME, localUnsupported } from "./local-unsupported.ts";

/** The local screenwriter (not implemented yet). */
export class LocalTextModel implements TextModel {
  readonly provider = LOCAL_PROVIDER_NAME;

  constructor(readonly modelId: string) {}

  /** Not implemented yet. */
  async generate<T>(_request: TextRequest<T>, _options?: CallOptions): Promise<TextResult<T>> {
    throw localUnsupported("the local screenwriter is not implemented yet", this.modelId);
  }
}
