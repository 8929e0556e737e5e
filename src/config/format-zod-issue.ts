import type { z } from "zod";

/**
 * One zod issue as a person reads it: `tiers.basic.max_resolution: expected one of 720p, 1080p, 2160p,
 * got "4k"`. Parse with `reportInput: true` so the offending value can be named.
 */
export function formatZodIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join(".") : "(top level)";
  return `${path}: ${describeIssue(issue)}`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const got = "input" in issue && issue.input !== undefined ? `, got ${show(issue.input)}` : "";
  switch (issue.code) {
    case "invalid_value":
      return `expected one of ${issue.values.map(String).join(", ")}${got}`;
    case "invalid_type":
      return issue.input === undefined
        ? `missing (expected ${issue.expected})`
        : `expected ${issue.expected}${got}`;
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
    case "invalid_union":
      if ("note" in issue && issue.note === "No matching discriminator") {
        return `${issue.message}${got}`;
      }
      return `${issue.message}${got}`;
    default:
      return `${issue.message}${got}`;
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
