import type { ObjectTypeSchema } from "./types";

/**
 * The object types fields and lookups refer to (`{ object: "<name>" }`): a lookup's result, a nested argument. Each
 * is `devin:index:<name>` in the package schema.
 */
export const OBJECT_TYPES: Readonly<Record<string, ObjectTypeSchema>> = {
  OrgGroup: {
    description: "A group of orgs sharing an ACU cap.",
    fields: [
      // The key of the group in the API's map, not a field of its value.
      { name: "name", type: "string", input: "required", description: "The group's name; unique among the groups." },
      {
        name: "orgIds",
        wire: "org_ids",
        type: { arrayOf: "string" },
        input: "required",
        description: "The orgs in the group (Organizations' `orgId`); an org belongs to one group at most.",
      },
      {
        name: "maxCycleAcus",
        wire: "max_cycle_acus",
        type: "integer",
        input: "optional",
        nullable: true,
        description: "ACUs the group's orgs may use together per billing cycle; leave it out for no cap.",
      },
    ],
  },
};
