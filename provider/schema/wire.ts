import { OBJECT_TYPES } from "./objectTypes";
import type { FieldSpec, FieldType } from "./types";

/**
 * Between the API's objects and the provider's names, from the tables: the only place a field's wire name turns into
 * its program name and back. A field without a wire name is not on the wire; a dotted wire name reaches into a nested
 * object.
 */

type Json = Record<string, unknown>;

function at(object: Json, path: string): unknown {
  let value: unknown = object;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Json)[key];
  }
  return value;
}

function convert(type: FieldType, value: unknown): unknown {
  if (value === null || value === undefined || typeof type === "string") return value;
  if ("arrayOf" in type) return Array.isArray(value) ? value.map((v) => convert(type.arrayOf, v)) : value;
  if ("mapOf" in type) return Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, convert(type.mapOf, v)]));
  return fromWire(objectFields(type.object), value as Json);
}

export function objectFields(name: string): readonly FieldSpec[] {
  const type = OBJECT_TYPES[name];
  if (!type) throw new Error(`no object type '${name}' in provider/schema/objectTypes.ts`);
  return type.fields;
}

/**
 * The provider's view of an API object: each output field with a wire name, by its program name. A field the API
 * leaves out is null when the table says it may be, and absent otherwise.
 */
export function fromWire(fields: readonly FieldSpec[], object: Json): Json {
  const out: Json = {};
  for (const f of fields) {
    if (!f.wire || f.output === false) continue;
    const value = convert(f.type, at(object, f.wire));
    if (value !== undefined) out[f.name] = value;
    else if (f.nullable) out[f.name] = null;
  }
  return out;
}

/**
 * A request body from the provider's values: each named field (default: every input with a wire name) under its
 * request name (`requestWire`, else `wire`). An undefined value is left out; a null is sent, which clears the field.
 */
export function toWire(fields: readonly FieldSpec[], values: object, names?: readonly string[]): Json {
  const body: Json = {};
  const given = values as Json;
  for (const f of fields) {
    const wire = f.requestWire ?? f.wire;
    if (!wire || (names ? !names.includes(f.name) : f.input === undefined)) continue;
    if (given[f.name] !== undefined) body[wire] = given[f.name];
  }
  return body;
}
