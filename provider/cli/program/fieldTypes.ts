import { RESOURCES, type Kind } from "../../schema";
import type { FieldType } from "../../schema/types";
import { objectFields } from "../../schema/wire";

/** An argument's type and whether it may be left out, from the table: typed languages write each value by it. */
export interface ArgType {
  type: FieldType;
  optional: boolean;
}

export function argType(kind: Kind, name: string): ArgType {
  const field = RESOURCES[kind].fields.find((f) => f.name === name && f.input);
  if (!field) throw new Error(`${kind} has no argument ${name}`);
  return { type: field.type, optional: field.input !== "required" };
}

/** A field of an object type of the schema (OrgGroup), as an argument. */
export function objectFieldType(object: string, name: string): ArgType {
  const field = objectFields(object).find((f) => f.name === name);
  if (!field) throw new Error(`${object} has no field ${name}`);
  return { type: field.type, optional: field.input !== "required" };
}
