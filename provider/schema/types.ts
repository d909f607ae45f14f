/**
 * The shape of the declarative tables in this folder: one per resource type and one per lookup, the single source of
 * each field's program name, wire name, type, whether it is an argument, whether a change replaces, whether the server
 * has a default, whether it is secret, and what it means. From them come the accepted argument names and the classes
 * (`provider/<type>.ts`, generated), the request bodies and outputs (`wire.ts`), the lookups' results, `generate`'s
 * code, the Pulumi package schema (`schema.json`) and the reference pages (`docs/reference/`), through
 * `scripts/generate-schema.js` (`npm run schema`).
 *
 * The tables import nothing but this file: the program side, the implementation and the scripts all read them.
 */

/** A field's type, as Pulumi's package schema knows types. */
export type FieldType =
  | "string"
  | "integer"
  | "number"
  | "boolean"
  /** Any JSON value (`pulumi.json#/Any`). */
  | "json"
  | { arrayOf: FieldType }
  | { mapOf: FieldType }
  /** An object type of the package, by its name in `OBJECT_TYPES` (`objectTypes.ts`). */
  | { object: string };

export interface FieldSpec {
  /** The name programs use (camelCase). */
  name: string;
  /**
   * The API's name for it, where it crosses the wire under a name; a dotted path reads a nested field
   * (`role.role_id`). Absent for what only the provider knows (`adoptId`, `rotateAfterSeconds`).
   */
  wire?: string;
  /** Its name in a request body, where the API sends it under one name and takes it under another. */
  requestWire?: string;
  type: FieldType;
  /** The values a string may take, when there are few. */
  values?: readonly string[];
  /** Whether the program gives it: absent for an output only. */
  input?: "required" | "optional";
  /** Whether it is an output too (default: true). */
  output?: boolean;
  /** The output may be null (the API says "none"). */
  nullable?: boolean;
  /** A change replaces the object: the API cannot change it in place. */
  replaces?: boolean;
  /** The server has a default: left out of the program, it is not managed (its live value is an output, never drift). */
  serverDefault?: boolean;
  /** Encrypted in the state, masked in every preview and message. */
  secret?: boolean;
  /** Left out of the program, it is the resource's name. */
  defaultsToResourceName?: boolean;
  /** What the field means, for the editor, the schema and the reference page. */
  description: string;
}

/**
 * Two resources of one program that would create the same object (Devin does not keep names unique) are refused
 * before either registers. The key is made of these arguments; `describe` names it in the message.
 */
export interface NaturalKey {
  of: readonly string[];
  describe: (values: readonly (string | undefined)[]) => string;
  /** An adopted object exists already, so it races nothing. */
  unlessAdopting?: boolean;
}

/**
 * The permission a call needs, so that a 403 can name the one the token lacks (`permissionFor` in
 * provider/impl/api.ts; docs/api-notes.md section 9).
 */
export interface Permission {
  /** The call's HTTP method, or "*" for every method. */
  method: "*" | "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The paths it covers, without the `/v3` or `/v3beta1` prefix and the query. */
  path: RegExp;
  /** The permission's name, as the API names it (`ManageOrganizations`). */
  permission: string;
}

export interface ResourceSchema {
  /** The type's name: its class, its `__kind`, `devin:index:<kind>`. */
  kind: string;
  /** What the resource is, for the class's TSDoc, the schema and the reference page. */
  description: string;
  /** A TypeScript example, as a user would write it (`devin` is the package). */
  example: string;
  fields: readonly FieldSpec[];
  /** The output that holds the resource id: known in every preview of an existing resource. */
  idOutput?: string;
  /** What `adoptId` and `pulumi import` take, e.g. "the org id, `org-…`". */
  importId: string;
  naturalKey?: NaturalKey;
  /** Wire fields the API sends that the type leaves out on purpose, each with why. */
  leftOut?: Readonly<Record<string, string>>;
  /**
   * The file under provider/impl/ that exports the lifecycle (as the kind in camelCase), when it is not the kind in
   * camelCase (two types that share one lifecycle module).
   */
  lifecycleIn?: string;
  /**
   * The permission each call of the type's lifecycle needs. The first rule that matches a call answers, across every
   * table in `RESOURCES` order and then the rules of the calls no resource type owns (provider/impl/api.ts), so a
   * GET rule goes before a "*" rule over the same paths.
   */
  permissions?: readonly Permission[];
}

export interface ObjectTypeSchema {
  description: string;
  fields: readonly FieldSpec[];
  /** Wire fields the API sends that the type leaves out on purpose, each with why. */
  leftOut?: Readonly<Record<string, string>>;
}

export interface LookupSchema {
  /** The function's name, e.g. `getOrganization`; the invoke is `devin:index:<name>`. */
  name: string;
  description: string;
  /** Its arguments (`input` says which are required). */
  args: readonly FieldSpec[];
  /** Exactly one of the (optional) arguments must be given, so the arguments cannot be left out. */
  exactlyOne?: boolean;
  /** What it returns: an object type of `OBJECT_TYPES`, or a list of them. */
  returns: { object: string; list?: boolean };
  example: string;
}
