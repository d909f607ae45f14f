/** Values as they cross the dynamic-provider boundary: placeholders for the unknown, and what the engine accepts. */
import type { FieldSpec, ResourceSchema } from "../schema/types";

/** The engine's placeholder for a value not known until apply (`runtime/rpc.ts` unknownValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isUnknown = (v: unknown): boolean => v === UNKNOWN;

/** For diff: a declared value differs from state if it is not equal, or not yet known (preview). */
export const differs = (state: unknown, declared: unknown): boolean => isUnknown(declared) || state !== declared;

/** A value with its objects' keys in order: the engine hands objects back with sorted keys, the API in its own order. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => [k, sortedKeys(v)]),
  );
}

/**
 * Whether a state value and a declared value are the same: equal as JSON whatever the order of their objects' keys,
 * with undefined as null (an argument left out and an output the API reports as none agree).
 */
export function sameJson(state: unknown, declared: unknown): boolean {
  const asNull = (v: unknown) => (v === undefined ? null : v);
  return JSON.stringify(sortedKeys(asNull(state))) === JSON.stringify(sortedKeys(asNull(declared)));
}

/** Drops undefined values: the engine's struct conversion rejects them. */
export function defined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** The arguments a program manages and the state mirrors: every input of the table but `adoptId`, which is read once. */
export function managedArguments(table: ResourceSchema): FieldSpec[] {
  return table.fields.filter((f) => f.input !== undefined && f.name !== "adoptId");
}

/**
 * The inputs a `check` passes on: each argument of the type's table that the program gave (null counts as not given),
 * else its default here. What the table does not have (an enterprise playbook's `orgId`) is dropped.
 */
export function declaredArguments<I>(table: ResourceSchema, news: Partial<I>, defaults: Partial<I> = {}): I {
  const given = news as Record<string, unknown>;
  const fallback = defaults as Record<string, unknown>;
  const inputs: Record<string, unknown> = {};
  for (const f of table.fields) {
    const value = f.input ? (given[f.name] ?? fallback[f.name]) : undefined;
    if (value !== undefined && value !== null) inputs[f.name] = value;
  }
  return inputs as I;
}
