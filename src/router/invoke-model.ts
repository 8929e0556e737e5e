import type { Capability } from "../config/index.ts";
import { assertNever } from "../errors/index.ts";
import type {
  CallOptions,
  ModelByCapability,
  RequestByCapability,
  ResultByCapability,
} from "../providers/index.ts";

/** Calls the one method of a capability's model (`generate`, or `clone` for voice cloning). */
export function invokeModel<C extends Capability>(
  modelOfCapability: ModelByCapability[C],
  capability: C,
  request: RequestByCapability[C],
  options: CallOptions,
): Promise<ResultByCapability[C]> {
  // TypeScript cannot narrow a generic C through a switch, so each branch casts to its own capability.
  const model = modelOfCapability as ModelByCapability[Capability];
  const call = (): Promise<ResultByCapability[Capability]> => {
    const kind = capability as Capability;
    switch (kind) {
      case "script":
        return (model as ModelByCapability["script"]).generate(
          request as RequestByCapability["script"],
          options,
        );
      case "image":
        return (model as ModelByCapability["image"]).generate(
          request as RequestByCapability["image"],
          options,
        );
      case "video":
        return (model as ModelByCapability["video"]).generate(
          request as RequestByCapability["video"],
          options,
        );
      case "voice":
        return (model as ModelByCapability["voice"]).generate(
          request as RequestByCapability["voice"],
          options,
        );
      case "voice_clone":
        return (model as ModelByCapability["voice_clone"]).clone(
          request as RequestByCapability["voice_clone"],
          options,
        );
      case "lip_sync":
        return (model as ModelByCapability["lip_sync"]).generate(
          request as RequestByCapability["lip_sync"],
          options,
        );
      default:
        return assertNever(kind, "capability");
    }
  };
  return call() as Promise<ResultByCapability[C]>;
}
