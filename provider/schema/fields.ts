import type { FieldSpec, ResourceSchema } from "./types";

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

/**
 * Fields of a resource's table as a lookup shows them: the same wire names, types and nullability as the resource's,
 * described as a result rather than as an argument.
 */
export function shown(table: ResourceSchema, descriptions: Readonly<Record<string, string>>): FieldSpec[] {
  return Object.entries(descriptions).map(([name, description]) => {
    const field = table.fields.find((f) => f.name === name);
    if (!field?.wire) throw new Error(`the ${table.kind} table has no field '${name}' on the wire`);
    return { name, wire: field.wire, type: field.type, ...(field.nullable ? { nullable: true } : {}), description };
  });
}

/** `adoptId`: an existing object for the resource to manage instead of creating one; read only at create. */
export function adoptIdField(description: string): FieldSpec {
  return { name: "adoptId", type: "string", input: "optional", output: false, description };
}
