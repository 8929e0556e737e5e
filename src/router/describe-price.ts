import type { ModelPrice } from "../config/index.ts";
import { assertNever } from "../errors/index.ts";
import { formatUsd } from "../money/index.ts";

/**
 * A unit price as people read it.
 * @example describePrice({ unit: "image", perImageMicros: 2000 }) // "$0.002 per image"
 */
export function describePrice(price: ModelPrice): string {
  switch (price.unit) {
    case "tokens":
      return `${formatUsd(price.inputPerMillionMicros)} in / ${formatUsd(price.outputPerMillionMicros)} out per 1M tokens`;
    case "image":
      return `${formatUsd(price.perImageMicros)} per image`;
    case "second":
      return `${formatUsd(price.perSecondMicros)} per second`;
    case "characters":
      return `${formatUsd(price.perThousandMicros)} per 1K characters`;
    case "request":
      return `${formatUsd(price.perRequestMicros)} per request`;
    default:
      return assertNever(price, "price unit");
  }
}
