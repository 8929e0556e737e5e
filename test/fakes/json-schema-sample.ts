/**
 * Builds a small value that satisfies a JSON Schema (the subset zod's `toJSONSchema` emits: objects,
 * arrays, strings with enums/consts, numbers, booleans, anyOf/oneOf, local `$ref`s), so the OpenRouter
 * fake can answer structured-output requests the way a model would.
 */
export function sampleFromJsonSchema(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (depth > 12 || typeof schema !== "object" || schema === null) return null;
  const node = schema as Record<string, unknown>;
  if (typeof node.$ref === "string")
    return sampleFromJsonSchema(resolveRef(root, node.$ref), root, depth + 1);
  if ("const" in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  if ("default" in node) return node.default;
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const options = node[key];
    if (Array.isArray(options) && options.length > 0) {
      const preferred = options.find((option) => (option as { type?: string }).type !== "null") ?? options[0];
      return sampleFromJsonSchema(preferred, root, depth + 1);
    }
  }
  const type = Array.isArray(node.type) ? node.type.find((t) => t !== "null") : node.type;
  switch (type) {
    case "object": {
      const properties = (node.properties ?? {}) as Record<string, unknown>;
      const value: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(properties))
        value[key] = sampleFromJsonSchema(property, root, depth + 1);
      return value;
    }
    case "array": {
      const count = Math.max(1, Number(node.minItems ?? 1));
      return Array.from({ length: count }, () => sampleFromJsonSchema(node.items, root, depth + 1));
    }
    case "string": {
      const min = Number(node.minLength ?? 0);
      return "sample".padEnd(min, "x");
    }
    case "integer":
    case "number":
      return typeof node.minimum === "number"
        ? node.minimum
        : typeof node.exclusiveMinimum === "number"
          ? node.exclusiveMinimum + 1
          : 1;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return {};
  }
}

function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return {};
  let node: unknown = root;
  for (const part of ref.slice(1).split("/").filter(Boolean)) {
    node = (node as Record<string, unknown> | undefined)?.[decodeURIComponent(part)];
  }
  return node;
}
