/**
 * The Devin v3 API as pulumi-devin uses it: every path, every wire shape, the permission each call needs, and the
 * mapping between the API's snake_case fields and the provider's camelCase names. Nothing outside this module writes
 * a path or an API field name. The facts are summarized in docs/api-notes.md.
 */

const seg = encodeURIComponent;

export const paths = {
  organizations: "/v3/enterprise/organizations",
  organization: (orgId: string) => `/v3/enterprise/organizations/${seg(orgId)}`,
  /** The service users with a role in an org (enterprise ones included). */
  orgServiceUsers: (orgId: string) => `/v3/enterprise/organizations/${seg(orgId)}/members/service-users`,
  /** A service user's role in an org: POST assigns, PATCH changes, DELETE removes. */
  orgServiceUserRole: (orgId: string, serviceUserId: string) =>
    `/v3/enterprise/organizations/${seg(orgId)}/members/service-users/${seg(serviceUserId)}`,
  serviceUsers: "/v3/enterprise/members/service-users",
  /** GET reads, DELETE deletes; POST assigns and PATCH changes the enterprise role. */
  serviceUser: (serviceUserId: string) => `/v3/enterprise/members/service-users/${seg(serviceUserId)}`,
  /** Provisioning returns the token, and is served only under /v3beta1. */
  provisionServiceUser: (orgId: string | null) =>
    orgId ? `/v3beta1/organizations/${seg(orgId)}/service-users` : "/v3beta1/enterprise/service-users",
  apiKeys: (serviceUserId: string) => `/v3beta1/enterprise/service-users/${seg(serviceUserId)}/api-keys`,
  apiKey: (serviceUserId: string, apiKeyId: string) => `/v3beta1/enterprise/service-users/${seg(serviceUserId)}/api-keys/${seg(apiKeyId)}`,
  roles: "/v3/enterprise/roles",
  self: "/v3/self",

  /** Enterprise users: direct members; GET one shows direct and IdP-derived roles, PATCH changes the enterprise role. */
  users: "/v3/enterprise/members/users",
  user: (userId: string) => `/v3/enterprise/members/users/${seg(userId)}`,
  /** A user's direct role in an org: POST assigns, PATCH changes, DELETE removes. */
  orgUserRole: (orgId: string, userId: string) => `/v3/enterprise/organizations/${seg(orgId)}/members/users/${seg(userId)}`,
  /** IdP groups as registered names. */
  idpGroups: "/v3/enterprise/idp-groups",
  idpGroup: (name: string) => `/v3/enterprise/idp-groups/${seg(name)}`,
  /** An IdP group's enterprise role: GET, POST assigns, PATCH changes, DELETE removes. */
  idpGroupRole: (name: string) => `/v3/enterprise/members/idp-groups/${seg(name)}`,
  /** An IdP group's role in an org: GET, POST assigns, PATCH changes, DELETE removes. */
  orgIdpGroupRole: (orgId: string, name: string) => `/v3/enterprise/organizations/${seg(orgId)}/members/idp-groups/${seg(name)}`,
  ipAccessList: "/v3/enterprise/ip-access-list",
  orgGroupLimits: "/v3/enterprise/org-group-limits",
  orgTags: (orgId: string) => `/v3/enterprise/organizations/${seg(orgId)}/tags`,
  orgDefaultTag: (orgId: string) => `/v3/enterprise/organizations/${seg(orgId)}/tags/default`,
} as const;

/** The API's paged list envelope. */
export interface Page<T> {
  items?: T[];
  end_cursor?: string | null;
  has_next_page?: boolean;
  total?: number | null;
}

export interface ApiOrganization {
  org_id: string;
  name: string;
  created_at: number;
  updated_at: number;
  max_session_acu_limit: number | null;
  max_cycle_acu_limit: number | null;
}

export type RoleType = "enterprise" | "org";

export interface Role {
  role_id: string;
  role_name: string;
  role_type: RoleType;
}

export interface ApiServiceUser {
  service_user_id: string;
  name: string;
  expires_at: number | null;
  deleted_at?: number | null;
  /** `org_id` null is the enterprise-level role. */
  role_assignments: { role: Role; org_id: string | null }[];
}

export interface ProvisionedServiceUser {
  service_user: ApiServiceUser;
  token: string;
}

export interface ApiKey {
  api_key_id: string;
  api_key_name?: string;
  created_at: number;
  expires_at?: number | null;
  is_active?: boolean;
  revoked_at?: number | null;
}

export interface ApiKeyWithToken {
  api_key_id: string;
  api_key_name?: string;
  token: string;
}

export interface RoleAssignment {
  role: Role;
  /** null: the enterprise-level role. */
  org_id: string | null;
}

export interface ApiUser {
  user_id: string;
  email: string | null;
  name: string | null;
  role_assignments: RoleAssignment[];
  /** Roles inherited from IdP groups (GET of one user only). */
  idp_role_assignments?: (RoleAssignment & { idp_group_name: string })[];
}

export interface ApiIdpGroup {
  idp_group_name: string;
  role_assignments: RoleAssignment[];
}

export interface IpAccessList {
  ip_ranges: string[];
}

export interface OrgGroupsConfig {
  groups: Record<string, { org_ids: string[]; max_cycle_acus: number | null }>;
}

/** An organization's fields by the provider's names. */
export interface OrganizationFields {
  orgId: string;
  name: string;
  acuLimit: number | null;
  maxSessionAcuLimit: number | null;
  createdAt: number;
  updatedAt: number;
}

/** The provider's name of each API field of an organization's body. */
const ORGANIZATION_FIELDS = { name: "name", acuLimit: "max_cycle_acu_limit", maxSessionAcuLimit: "max_session_acu_limit" } as const;

export function organizationFromApi(org: ApiOrganization): OrganizationFields {
  return {
    orgId: org.org_id,
    name: org.name,
    acuLimit: org.max_cycle_acu_limit ?? null,
    maxSessionAcuLimit: org.max_session_acu_limit ?? null,
    createdAt: org.created_at,
    updatedAt: org.updated_at,
  };
}

/**
 * An organization's create or PATCH body from the provider's fields. Fields left undefined are left out; a null is
 * sent as null, which in a merge-patch clears the field.
 */
export function organizationBody(
  fields: Partial<Record<keyof typeof ORGANIZATION_FIELDS, string | number | null | undefined>>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [ours, theirs] of Object.entries(ORGANIZATION_FIELDS) as [keyof typeof ORGANIZATION_FIELDS, string][]) {
    if (fields[ours] !== undefined) body[theirs] = fields[ours];
  }
  return body;
}

/** The provider's property for an API field, so that a 422 names what the user wrote. */
const PROPERTY_OF: Record<string, string> = {
  ...Object.fromEntries(Object.entries(ORGANIZATION_FIELDS).map(([ours, theirs]) => [theirs, ours])),
  cycle_acu_limit: "acuLimit",
  role_id: "role",
  ttl_seconds: "ttlSeconds",
  ip_ranges: "ipRanges",
  org_ids: "orgIds",
  max_cycle_acus: "maxCycleAcus",
  tags: "tags",
  tag: "defaultTag",
  idp_group_names: "name",
};

export function propertyOf(apiField: string): string {
  return PROPERTY_OF[apiField] ?? apiField;
}

/** The permission each call needs (docs/api-notes.md section 9), so that a 403 can say which one is missing. */
const PERMISSIONS: [method: string, path: RegExp, permission: string][] = [
  ["GET", /^\/enterprise\/organizations\/[^/]+\/members\/(users|idp-groups|idp-users)(\/.+)?$/, "ViewAccountMembership"],
  ["*", /^\/enterprise\/organizations\/[^/]+\/members\/(users|idp-groups)\/.+$/, "ManageAccountMembership"],
  ["*", /^\/enterprise\/organizations\/[^/]+\/tags(\/.*)?$/, "ManageEnterpriseSettings"],
  ["GET", /^\/enterprise\/members\/(users|idp-users|idp-groups)(\/.+)?$/, "ViewAccountMembership"],
  ["*", /^\/enterprise\/members\/(users|idp-groups)(\/.+)?$/, "ManageAccountMembership"],
  ["*", /^\/enterprise\/idp-groups(\/.+)?$/, "ManageAccountMembership"],
  ["*", /^\/enterprise\/ip-access-list$/, "ManageEnterpriseSettings"],
  ["*", /^\/enterprise\/org-group-limits$/, "ManageOrganizations"],
  ["*", /^\/enterprise\/organizations\/[^/]+\/members\/service-users\/[^/]+$/, "ManageAccountMembership"],
  ["GET", /^\/enterprise\/organizations\/[^/]+\/members\/service-users$/, "ViewAccountMembership"],
  ["*", /^\/enterprise\/organizations\/[^/]+\/audit-logs$/, "ManageEnterpriseSettings"],
  ["*", /^\/enterprise\/organizations(\/[^/]+)?$/, "ManageOrganizations"],
  ["GET", /^\/enterprise\/members\/service-users(\/[^/]+)?$/, "ViewAccountMembership"],
  ["*", /^\/enterprise\/members\/service-users\/[^/]+$/, "ManageAccountMembership"],
  ["*", /^\/enterprise\/service-users(\/.*)?$/, "ManageAccountServiceUsers"],
  ["*", /^\/organizations\/[^/]+\/service-users$/, "ManageOrgServiceUsers"],
  ["GET", /^\/enterprise\/roles$/, "ViewAccountMembership"],
  ["GET", /^\/enterprise\/consumption\//, "ViewAccountConsumption"],
  ["*", /^\/enterprise\/consumption\/acu-limits\//, "ManageBilling"],
  ["*", /^\/enterprise\/audit-logs$/, "ManageEnterpriseSettings"],
];

export function permissionFor(method: string, path: string): string | undefined {
  const bare = path.split("?")[0].replace(/^\/v3(beta1)?/, "");
  return PERMISSIONS.find(([m, re]) => (m === "*" || m === method) && re.test(bare))?.[2];
}

/** Provisioning, where a 403 may be about the role asked for rather than the caller's own permission. */
export function isProvisioning(path: string): boolean {
  return /^\/v3(beta1)?\/(enterprise|organizations\/[^/]+)\/service-users$/.test(path);
}
