import { lookups } from "./lookups";
import { organization } from "./organization";
import type { LookupSchema, ResourceSchema } from "./types";

/**
 * Every resource type's table, by kind. Adding a resource type adds its table file and one line here; the `Kind`
 * union, the lifecycle table (`impl/index.ts`), the review, the risks and the policy pack follow from this list.
 */
export const RESOURCES = {
  Organization: organization,
} as const satisfies Record<string, ResourceSchema>;

export type Kind = keyof typeof RESOURCES;

export const KINDS = Object.keys(RESOURCES) as Kind[];

export function isKind(value: string): value is Kind {
  return Object.prototype.hasOwnProperty.call(RESOURCES, value);
}

/** Every lookup's table, by function name. */
export const LOOKUPS: Readonly<Record<string, LookupSchema>> = lookups;

export { OBJECT_TYPES } from "./objectTypes";
export type { FieldSpec, FieldType, LookupSchema, NaturalKey, ObjectTypeSchema, ResourceSchema } from "./types";
