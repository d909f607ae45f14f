import type { ObjectTypeSchema } from "./types";

/**
 * The object types fields and lookups refer to (`{ object: "<name>" }`): a lookup's result, a nested argument. Each
 * is `devin:index:<name>` in the package schema.
 */
export const OBJECT_TYPES: Readonly<Record<string, ObjectTypeSchema>> = {};
