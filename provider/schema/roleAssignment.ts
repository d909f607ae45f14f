import { adoptIdField } from "./fields";
import { SERVICE_USER_PERMISSIONS } from "./serviceUser";
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

// The six role resources, side by side: what holds the role, where, and whether a role held outside can be adopted.

export const enterpriseUserRole = roleAssignmentSchema({
  kind: "EnterpriseUserRole",
  description:
    "A direct member's enterprise role.\nEvery member holds an enterprise role, so this resource manages the one the user has: creating it sets the role (one PATCH when it differs), and deleting it leaves the user with the role it then has, since only removing the user from the enterprise takes it away. Members whose access comes from IdP groups are managed through `EnterpriseIdpGroupRole` instead.",
  example: `new devin.EnterpriseUserRole("alice", { userId: alice.userId, role: "Admin" });`,
  level: "enterprise",
  subject: {
    name: "userId",
    description: "The user (`user-…`), a direct member of the enterprise; see `getUsers()`. Changing it replaces the resource.",
  },
  adoptable: false,
  permissions: MEMBER_ROLE_PERMISSIONS,
});

export const orgUserRole = roleAssignmentSchema({
  kind: "OrgUserRole",
  description:
    "A user's direct role in an org.\nCreating it adds the user to the org with the role; changing `role` updates it in place; deleting it removes the user from the org. The user must not have a direct role in the org already, unless this resource adopts it.",
  example: `new devin.OrgUserRole("alice-eng", { orgId: eng.orgId, userId: alice.userId, role: "Admin" });`,
  level: "org",
  subject: {
    name: "userId",
    description: "The user (`user-…`), already a member of the enterprise; see `getUsers()`. Changing it replaces the resource.",
  },
  adoptable: true,
  permissions: MEMBER_ROLE_PERMISSIONS,
});

export const enterpriseIdpGroupRole = roleAssignmentSchema({
  kind: "EnterpriseIdpGroupRole",
  description:
    "The enterprise role that members of an IdP group inherit.\nUsers inherit it when their single sign-on carries the group. Deleting it removes the group's enterprise role (its org roles stay). A group needs an enterprise role before it can have org roles (`OrgIdpGroupRole`).",
  example: `new devin.EnterpriseIdpGroupRole("eng", { idpGroupName: group.name, role: "Member" });`,
  level: "enterprise",
  subject: {
    name: "idpGroupName",
    description: "The IdP group's name (an IdpGroup's `name`): the name your identity provider sends. Changing it replaces the resource.",
  },
  adoptable: true,
  permissions: MEMBER_ROLE_PERMISSIONS,
});

export const orgIdpGroupRole = roleAssignmentSchema({
  kind: "OrgIdpGroupRole",
  description:
    "The role that members of an IdP group inherit in one org.\nThe API accepts an org role only for a group that already has an enterprise role, so declare the `EnterpriseIdpGroupRole` first and make this one depend on it.",
  example: `new devin.OrgIdpGroupRole("eng-admins", { orgId: eng.orgId, idpGroupName: group.name, role: "Admin" }, { dependsOn: [groupRole] });`,
  level: "org",
  subject: {
    name: "idpGroupName",
    description:
      "The IdP group's name. The group needs an enterprise role first: pass the EnterpriseIdpGroupRole in `dependsOn`. Changing it replaces the resource.",
  },
  adoptable: true,
  permissions: MEMBER_ROLE_PERMISSIONS,
});

export const enterpriseServiceUserRole = roleAssignmentSchema({
  kind: "EnterpriseServiceUserRole",
  description:
    "A service user's enterprise role.\nGives a service user provisioned in an org an enterprise role, or manages the enterprise role of one this stack does not provision (adopt it). Unlike provisioning, it can grant the enterprise Admin role. The API has no way to take an enterprise role away (only deleting the service user does), so deleting this resource leaves the role in place. A ServiceUser without `orgId` already manages its own enterprise role through `role`.",
  example: `new devin.EnterpriseServiceUserRole("ops-admin", { serviceUserId: ops.serviceUserId, role: "Admin" });`,
  level: "enterprise",
  subject: { name: "serviceUserId", description: "The service user (a ServiceUser's `serviceUserId`). Changing it replaces the resource." },
  adoptable: true,
  permissions: SERVICE_USER_PERMISSIONS,
});

export const orgServiceUserRole = roleAssignmentSchema({
  kind: "OrgServiceUserRole",
  description:
    "A service user's role in an org.\nFor an enterprise service user, or one provisioned in another org. (The role a ServiceUser holds in the org it was provisioned in is its own `role`.) Deleting it removes the service user from the org.",
  example: `new devin.OrgServiceUserRole("ci-in-data", { orgId: data.orgId, serviceUserId: ci.serviceUserId, role: "Member" });`,
  level: "org",
  subject: { name: "serviceUserId", description: "The service user (a ServiceUser's `serviceUserId`). Changing it replaces the resource." },
  adoptable: true,
  permissions: SERVICE_USER_PERMISSIONS,
});
