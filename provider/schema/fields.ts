import type { FieldSpec } from "./types";

/**
 * The org an object lives in, which every call names in its path: a change replaces the object. `wire` where the
 * API's objects say their org too.
 */
export function orgIdField(what: string, wire?: string): FieldSpec {
  return {
    name: "orgId",
    ...(wire ? { wire } : {}),
    type: "string",
    input: "required",
    replaces: true,
    description: `The org (an Organization's \`orgId\`). Changing it replaces the ${what}.`,
  };
}
