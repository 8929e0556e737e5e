import { LitinkError } from "../errors/index.ts";

/**
 * An amount of US dollars as a whole number of micro-dollars (1 USD = 1,000,000).
 * Money is never a binary float in LitinkAI: SQL stores DECIMAL(14,6) and code stores Micros.
 */
export type Micros = number;

const MICROS_PER_DOLLAR = 1_000_000n;
const DECIMAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal dollar amount ("0.15", "12", "-3.000001", or a number from YAML) into micros.
 * More than six decimal places is an error unless `round` is set, which rounds half away from zero.
 */
export function parseUsd(value: string | number, options: { round?: boolean } = {}): Micros {
  const text = typeof value === "number" ? numberToPlainString(value) : value.trim();
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) {
    throw new LitinkError("money.invalid", `not a dollar amount: "${text}"`, { details: { value } });
  }
  const [, sign, whole = "0", fraction = ""] = match;
  if (fraction.length > 6 && !options.round) {
    throw new LitinkError("money.too_precise", `"${text}" has more than 6 decimal places (micro-dollars)`, {
      details: { value },
    });
  }
  const kept = `${fraction.slice(0, 6)}`.padEnd(6, "0");
  let micros = BigInt(whole) * MICROS_PER_DOLLAR + BigInt(kept);
  if (fraction.length > 6 && Number(fraction[6]) >= 5) micros += 1n;
  return toSafeNumber(sign ? -micros : micros);
}

/** Micros as a plain decimal string with six places, as PostgreSQL DECIMAL wants it: "0.000140". */
export function formatDecimal(micros: Micros): string {
  assertMicros(micros);
  const negative = micros < 0;
  const absolute = BigInt(Math.abs(micros));
  const whole = absolute / MICROS_PER_DOLLAR;
  const fraction = (absolute % MICROS_PER_DOLLAR).toString().padStart(6, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** Micros for people: "$0.0125" (trailing zeros trimmed to at least two places). */
export function formatUsd(micros: Micros): string {
  const decimal = formatDecimal(micros);
  const negative = decimal.startsWith("-");
  const [whole, fraction = ""] = decimal.replace("-", "").split(".");
  const trimmed = fraction.replace(/0+$/, "").padEnd(2, "0");
  return `${negative ? "-" : ""}$${whole}.${trimmed}`;
}

/**
 * The cost of `quantity` units at `priceMicros` per block of `blockSize` units, rounded half up
 * to a whole micro-dollar. E.g. 1,234 tokens at $0.15 per 1M tokens:
 * `costOf(parseUsd("0.15"), 1234, 1_000_000)`.
 */
export function costOf(priceMicros: Micros, quantity: number, blockSize = 1): Micros {
  assertMicros(priceMicros);
  if (!Number.isFinite(quantity) || quantity < 0) {
    throw new LitinkError("money.invalid_quantity", `quantity must be a finite number >= 0, got ${quantity}`);
  }
  if (!Number.isInteger(blockSize) || blockSize <= 0) {
    throw new LitinkError("money.invalid_block", `block size must be a positive integer, got ${blockSize}`);
  }
  // Quantities such as seconds of video may be fractional: scale to millionths, exact in bigint.
  const scaledQuantity = BigInt(Math.round(quantity * 1_000_000));
  const denominator = BigInt(blockSize) * 1_000_000n;
  const numerator = BigInt(priceMicros) * scaledQuantity;
  return toSafeNumber((numerator * 2n + denominator) / (denominator * 2n));
}

/** Sums micros exactly, refusing anything that is not a whole number of micros. */
export function sumMicros(values: Iterable<Micros>): Micros {
  let total = 0n;
  for (const value of values) {
    assertMicros(value);
    total += BigInt(value);
  }
  return toSafeNumber(total);
}

function assertMicros(value: number): void {
  if (!Number.isSafeInteger(value)) {
    throw new LitinkError("money.not_micros", `money must be a whole number of micro-dollars, got ${value}`);
  }
}

function toSafeNumber(value: bigint): Micros {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new LitinkError("money.overflow", "amount is too large to represent");
  }
  return Number(value);
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  // toFixed(12) avoids exponent notation (1e-7) and keeps enough places to detect over-precision.
  const fixed = value.toFixed(12).replace(/0+$/, "").replace(/\.$/, "");
  return fixed;
}
