import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import type { ChainEntry, ModelPrice } from "../config/index.ts";
import { assertNever } from "../errors/index.ts";
import { costOf, type Micros } from "../money/index.ts";
import type {
  ChatMessage,
  MediaInput,
  RequestByCapability,
  ResultByCapability,
  TokenUsage,
} from "../providers/index.ts";

/** Output tokens assumed for an estimate when the request sets no `maxOutputTokens`. */
export const DEFAULT_ESTIMATED_OUTPUT_TOKENS = 1024;

/** Tokens a chat format adds around each message (role markers) and to prime the reply. */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_REPLY = 3;

/** Any capability's request: the price unit says which of its fields is measured. */
export type AnyRequest = RequestByCapability[keyof RequestByCapability];
/** Any capability's result. */
export type AnyResult = ResultByCapability[keyof ResultByCapability];

/** A cost and the quantity it was computed from. */
export interface CostBreakdown {
  readonly micros: Micros;
  readonly unit: ModelPrice["unit"];
  /** Billable units: images, seconds, characters or requests; for tokens, input + output tokens. */
  readonly quantity: number;
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
}

/**
 * The expected cost of running `request` on `entry`, before any call: chat tokens counted with a real
 * BPE tokenizer (o200k) plus `maxOutputTokens` (else {@link DEFAULT_ESTIMATED_OUTPUT_TOKENS}),
 * characters spoken, one image, seconds of video. Pure; the pipeline's `--estimate` calls it.
 *
 * @example
 * estimateCost(entry, { messages: [{ role: "user", content: "Hi" }], maxOutputTokens: 100 }).micros
 */
export function estimateCost(entry: ChainEntry, request: AnyRequest): CostBreakdown {
  const price = entry.price;
  switch (price.unit) {
    case "tokens": {
      const messages = "messages" in request ? request.messages : [];
      const inputTokens = countChatTokens(messages);
      const outputTokens =
        "messages" in request ? (request.maxOutputTokens ?? DEFAULT_ESTIMATED_OUTPUT_TOKENS) : 0;
      return tokenCost(price, { inputTokens, outputTokens });
    }
    case "characters":
      return unitCost(price, "text" in request ? countCharacters(request.text) : 0);
    case "image":
      return unitCost(price, 1);
    case "second":
      return unitCost(price, requestSeconds(request));
    case "request":
      return unitCost(price, 1);
    default:
      return assertNever(price, "price unit");
  }
}

/**
 * The cost of a finished call: the provider's own figure when it reports one (OpenRouter `usage.cost`),
 * else the units it reports (tokens used, characters billed, seconds produced) times the price.
 */
export function actualCost(entry: ChainEntry, request: AnyRequest, result: AnyResult): CostBreakdown {
  const computed = computedCost(entry.price, request, result);
  const reported = "costMicros" in result ? result.costMicros : undefined;
  return reported === undefined ? computed : { ...computed, micros: reported };
}

/** Tokens of a chat, counted the way chat models see them (content plus per-message framing). */
export function countChatTokens(messages: readonly ChatMessage[]): number {
  let total = TOKENS_PER_REPLY;
  for (const message of messages) total += TOKENS_PER_MESSAGE + countTokens(message.content);
  return total;
}

function computedCost(price: ModelPrice, request: AnyRequest, result: AnyResult): CostBreakdown {
  switch (price.unit) {
    case "tokens": {
      const usage: TokenUsage = "usage" in result ? result.usage : { inputTokens: 0, outputTokens: 0 };
      return tokenCost(price, usage);
    }
    case "characters": {
      const characters =
        "characters" in result ? result.characters : "text" in request ? countCharacters(request.text) : 0;
      return unitCost(price, characters);
    }
    case "image":
      return unitCost(price, 1);
    case "second":
      return unitCost(price, "durationSeconds" in result ? result.durationSeconds : requestSeconds(request));
    case "request":
      return unitCost(price, 1);
    default:
      return assertNever(price, "price unit");
  }
}

function tokenCost(price: Extract<ModelPrice, { unit: "tokens" }>, usage: TokenUsage): CostBreakdown {
  const micros =
    costOf(price.inputPerMillionMicros, usage.inputTokens, 1_000_000) +
    costOf(price.outputPerMillionMicros, usage.outputTokens, 1_000_000);
  return {
    micros,
    unit: "tokens",
    quantity: usage.inputTokens + usage.outputTokens,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
  };
}

function unitCost(price: Exclude<ModelPrice, { unit: "tokens" }>, quantity: number): CostBreakdown {
  switch (price.unit) {
    case "characters":
      return { micros: costOf(price.perThousandMicros, quantity, 1000), unit: price.unit, quantity };
    case "image":
      return { micros: costOf(price.perImageMicros, quantity), unit: price.unit, quantity };
    case "second":
      return { micros: costOf(price.perSecondMicros, quantity), unit: price.unit, quantity };
    case "request":
      return { micros: costOf(price.perRequestMicros, quantity), unit: price.unit, quantity };
    default:
      return assertNever(price, "price unit");
  }
}

/** Characters as people count them (code points), which is what TTS providers bill. */
function countCharacters(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

function requestSeconds(request: AnyRequest): number {
  if ("durationSeconds" in request) return request.durationSeconds;
  if ("audio" in request) return audioSeconds(request.audio);
  return 0;
}

/** Duration of the lip-sync audio: exact for PCM WAV, else assuming 128 kbit/s compressed audio. */
function audioSeconds(audio: MediaInput): number {
  const wav = wavSeconds(audio.data);
  if (wav !== undefined) return wav;
  return audio.data.byteLength / (128_000 / 8);
}

function wavSeconds(data: Uint8Array): number | undefined {
  if (data.byteLength < 44) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const tag = (offset: number) => String.fromCharCode(...data.subarray(offset, offset + 4));
  if (tag(0) !== "RIFF" || tag(8) !== "WAVE") return undefined;
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= data.byteLength) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    if (id === "fmt " && offset + 16 <= data.byteLength) byteRate = view.getUint32(offset + 16, true);
    if (id === "data") {
      const available = Math.min(size, data.byteLength - offset - 8);
      return byteRate > 0 ? available / byteRate : undefined;
    }
    offset += 8 + size + (size % 2);
  }
  return undefined;
}
