import { adoptIdField } from "./fields";
import type { Permission, ResourceSchema } from "./types";

/**
 * The permissions of the service users' paths: their membership (reading it needs ViewAccountMembership; deleting a
 * service user or changing its role ManageAccountMembership), their provisioning and API keys. ServiceUser, ApiKey and
 * the two service-user role types all call them.
 */
export const SERVICE_USER_PERMISSIONS: readonly Permission[] = [
  { method: "*", path: /^\/enterprise\/organizations\/[^/]+\/members\/service-users\/[^/]+$/, permission: "ManageAccountMembership" },
  { method: "GET", path: /^\/enterprise\/organizations\/[^/]+\/members\/service-users$/, permission: "ViewAccountMembership" },
  { method: "GET", path: /^\/enterprise\/members\/service-users(\/[^/]+)?$/, permission: "ViewAccountMembership" },
  { method: "*", path: /^\/enterprise\/members\/service-users\/[^/]+$/, permission: "ManageAccountMembership" },
  { method: "*", path: /^\/enterprise\/service-users(\/.*)?$/, permission: "ManageAccountServiceUsers" },
  { method: "*", path: /^\/organizations\/[^/]+\/service-users$/, permission: "ManageOrgServiceUsers" },
];

export const serviceUser: ResourceSchema = {
  kind: "ServiceUser",
  description:
    "A Devin service user and its one-time API key. The key (`apiKey`) is a secret output, kept in state from the moment it is created because the API never shows it again.",
  example: `const bot = new devin.ServiceUser("ci", { orgId: eng.orgId, name: "ci-bot", role: "Member" });
export const ciKey = bot.apiKey; // secret`,
  importId: "the service user id, `service-user-` + 32 hex",
  idOutput: "serviceUserId",
  naturalKey: {
    of: ["orgId", "name"],
    describe: ([org, n]) => (org ? `the service user name '${n}' in ${org}` : `the enterprise service user name '${n}'`),
    unlessAdopting: true,
  },
  permissions: SERVICE_USER_PERMISSIONS,
  fields: [
    {
      name: "serviceUserId",
      wire: "service_user_id",
      type: "string",
      description:
        "The service user id (`service-user-` + 32 hex), the same value as the resource id; known during a preview once it exists.",
    },
    {
      // The org is the provisioning path's, and the live one is in role_assignments: no field of the service user.
      name: "orgId",
      type: "string",
      input: "optional",
      nullable: true,
      replaces: true,
      description:
        "The organization to provision in (an Organization's `orgId`). Omit it for an enterprise service user. Changing it replaces the service user. As an output: the org it was provisioned in, or null for an enterprise service user.",
    },
    {
      name: "name",
      wire: "name",
      type: "string",
      input: "required",
      replaces: true,
      description:
        "Display name, 1 to 256 characters, unique within its org (or among enterprise service users). Changing it replaces the service user (there is no rename).",
    },
    {
      // The API takes the role by id; a name is resolved to it first.
      name: "role",
      wire: "role_id",
      type: "string",
      input: "required",
      description:
        'A role name ("Member", "Admin"; case-insensitive) or a role id from `getRoles()`. Org service users take org-level roles, enterprise service users enterprise-level roles; the enterprise Admin role cannot be provisioned (the API never grants ManageAccountServiceUsers that way). Changes apply in place. As an output: the role as declared.',
    },
    {
      // Read from the entry of role_assignments at its own scope, which no wire path can select.
      name: "roleId",
      type: "string",
      nullable: true,
      description: "The live role's id.",
    },
    { name: "roleName", type: "string", nullable: true, description: "The live role's name." },
    {
      name: "ttlSeconds",
      wire: "ttl_seconds",
      type: "integer",
      input: "optional",
      replaces: true,
      description: "Lifetime in seconds, 1 to 31536000 (365 days, the default). Changing it replaces the service user.",
    },
    {
      name: "expiresAt",
      wire: "expires_at",
      type: "integer",
      nullable: true,
      description: "When the service user expires, unix seconds.",
    },
    {
      // Beside the service user in the provisioning answer (and in each key issued), never in the service user.
      name: "apiKey",
      wire: "token",
      type: "string",
      secret: true,
      description: 'The `cog_` API key, shown once by the API. Secret. Empty for a service user adopted with apiKeyOnAdopt "none".',
    },
    adoptIdField(
      "An existing service user (`service-user-…`) for this resource to manage instead of provisioning one. It must have this `name` and live in this `orgId` (or be an enterprise one without it); its role is set to `role`. Read only when the resource is created; it can stay in the program afterwards.",
    ),
    {
      name: "apiKeyOnAdopt",
      type: "string",
      values: ["none", "issue", "rotate"],
      input: "optional",
      output: false,
      description:
        'What happens to an adopted service user\'s API keys (only with `adoptId`). `"none"` (the default): they are left alone and `apiKey` is empty, since the API never shows a key again. `"issue"`: one more key is issued, held in `apiKey`. `"rotate"`: a key is issued and every other one revoked; use it for a service user left behind by an interrupted run, whose first key nobody holds.',
    },
  ],
  leftOut: {
    deleted_at: "A deleted service user no longer works: it is gone from the state, and the next `pulumi up` provisions a new one.",
    role_assignments:
      "Only the role at its own scope is the resource's (`roleId`, `roleName`); its roles elsewhere are EnterpriseServiceUserRole's and OrgServiceUserRole's.",
  },
};
