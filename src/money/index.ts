export { costOf, formatDecimal, formatUsd, type Micros, parseUsd, sumMicros } from "./micros.ts";
