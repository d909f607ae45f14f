import { adoptIdField } from "./fields";
import type { FieldSpec, Permission, ResourceSchema } from "./types";

/**
 * What the six role resources ("X holds role R here") share: the role as declared and as it lives, the keys that
 * name who and where (each replaces the resource), and `adoptId` where a role may already be held outside the stack.
 * The subject names the request's path, never a body field, so it has no wire name; the API takes the role by id
 * (`role_id`, a name resolved first) and shows it nested (`role.role_id`, `role.role_name`).
 */

export type RoleLevel = "enterprise" | "org";

/** Who holds the role: a string the program must give, whose change replaces the resource. */
export interface RoleSubject {
  name: string;
  description: string;
}

export interface RoleAssignmentTable {
  kind: string;
  description: string;
  example: string;
  /** Where the role is held: the enterprise, or the org named by `orgId` (the first key). */
  level: RoleLevel;
  subject: RoleSubject;
  /** Whether `adoptId` is accepted: a role the subject may already hold, set outside the stack. */
  adoptable: boolean;
  /** The permission each of its calls needs (`ResourceSchema.permissions`). */
  permissions: readonly Permission[];
}

/**
 * The permissions of the roles users and IdP groups hold, at either level: reading one needs ViewAccountMembership,
 * changing it ManageAccountMembership. A user's org role is read from the user, an enterprise path, so the four role
 * types of users and IdP groups share all four rules.
 */
export const MEMBER_ROLE_PERMISSIONS: readonly Permission[] = [
  {
    method: "GET",
    path: /^\/enterprise\/organizations\/[^/]+\/members\/(users|idp-groups|idp-users)(\/.+)?$/,
    permission: "ViewAccountMembership",
  },
  { method: "*", path: /^\/enterprise\/organizations\/[^/]+\/members\/(users|idp-groups)\/.+$/, permission: "ManageAccountMembership" },
  { method: "GET", path: /^\/enterprise\/members\/(users|idp-users|idp-groups)(\/.+)?$/, permission: "ViewAccountMembership" },
  { method: "*", path: /^\/enterprise\/members\/(users|idp-groups)(\/.+)?$/, permission: "ManageAccountMembership" },
];

/** The org of an org-level role; the role assignments the API lists carry it as `org_id`. */
const ORG_KEY: FieldSpec = {
  name: "orgId",
  wire: "org_id",
  type: "string",
  input: "required",
  replaces: true,
  description: "The org (an Organization's `orgId`). Changing it replaces the resource.",
};

/** The role fields of every role resource, at a level. */
export function roleFields(level: RoleLevel): FieldSpec[] {
  return [
    {
      name: "role",
      wire: "role_id",
      type: "string",
      input: "required",
      description: `A role name ("Member", "Admin"; any case) or a role id from \`getRoles()\`: an ${level}-level role. Changes apply in place. As an output: the role as declared, a name or an id.`,
    },
    { name: "roleId", wire: "role.role_id", type: "string", description: "The live role's id." },
    { name: "roleName", wire: "role.role_name", type: "string", description: "The live role's name." },
  ];
}

export function roleAssignmentSchema(table: RoleAssignmentTable): ResourceSchema {
  const subject: FieldSpec = { ...table.subject, type: "string", input: "required", replaces: true };
  const keys = table.level === "org" ? [ORG_KEY, subject] : [subject];
  // The id, which adoptId and import take: the keys in order.
  const id = keys.map((k) => `<${k.name}>`).join("/");
  const adoptId: FieldSpec[] = table.adoptable
    ? [
        adoptIdField(
          `Manage a role the subject already holds here, set outside this stack: its id, \`${id}\`. Without it, creating the resource where a role exists is refused. Read only when the resource is created.`,
        ),
      ]
    : [];
  return {
    kind: table.kind,
    description: table.description,
    example: table.example,
    importId: `\`${id}\``,
    permissions: table.permissions,
    fields: [...keys, ...roleFields(table.level), ...adoptId],
    leftOut: {
      "role.role_type": `The role's level, always '${table.level}': the resource type fixes it.`,
      ...(table.level === "enterprise" ? { org_id: "Always null for a role at the enterprise level, which the resource type fixes." } : {}),
    },
  };
}
