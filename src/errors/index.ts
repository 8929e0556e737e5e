export { assertNever, isLitinkError, LitinkError, type LitinkErrorOptions } from "./litink-error.ts";
