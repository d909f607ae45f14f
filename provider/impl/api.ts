/**
 * The Devin v3 API as pulumi-devin uses it, where no one resource type owns it: the paths and wire shapes of the
 * objects the lifecycles and lookups share (organizations and service users, which the run cache, the reference
 * checks and the role reads below every lifecycle read; users, roles, git connections, knowledge folders, audit
 * logs, consumption), and the permission each call needs. A resource type's own paths and wire shape (`Api<Type>`)
 * live in its lifecycle module (provider/impl/<type>.ts), and the permissions of its calls in its table. Each field's
 * wire name is in its type's table (provider/schema/), and crosses between snake_case and the provider's camelCase
 * only through provider/schema/wire.ts. The facts are summarized in docs/api-notes.md.
 */
import { OBJECT_TYPES, RESOURCES } from "../schema";
import type { Permission, ResourceSchema } from "../schema/types";

export const seg = encodeURIComponent;

export const paths = {
  organizations: "/v3/enterprise/organizations",
  organization: (orgId: string) => `/v3/enterprise/organizations/${seg(orgId)}`,
  /** The service users with a role in an org (enterprise ones included). */
  orgServiceUsers: (orgId: string) => `/v3/enterprise/organizations/${seg(orgId)}/members/service-users`,
  serviceUsers: "/v3/enterprise/members/service-users",
  /** GET reads, DELETE deletes; POST assigns and PATCH changes the enterprise role. */
  serviceUser: (serviceUserId: string) => `/v3/enterprise/members/service-users/${seg(serviceUserId)}`,
  /** Provisioning returns the token, and is served only under /v3beta1. */
  provisionServiceUser: (orgId: string | null) =>
    orgId ? `/v3beta1/organizations/${seg(orgId)}/service-users` : "/v3beta1/enterprise/service-users",
  roles: "/v3/enterprise/roles",
  auditLogs: "/v3/enterprise/audit-logs",
  orgAuditLogs: (orgId: string) => `/v3/enterprise/organizations/${seg(orgId)}/audit-logs`,
  /** Daily ACU consumption; there is no list of every org's: one org at a time. */
  consumption: "/v3/enterprise/consumption/daily",
  orgConsumption: (orgId: string) => `/v3/enterprise/consumption/daily/organizations/${seg(orgId)}`,
  self: "/v3/self",

  /** Enterprise users: direct members; GET one shows direct and IdP-derived roles, PATCH changes the enterprise role. */
  users: "/v3/enterprise/members/users",
  user: (userId: string) => `/v3/enterprise/members/users/${seg(userId)}`,

  /** Git connections are made in the Devin app; the API lists them and the repositories each can see (`first` ≤ 100). */
  gitConnections: "/v3/enterprise/git-providers/connections",
  gitRepositories: (connectionId: string) => `/v3/enterprise/git-providers/connections/${seg(connectionId)}/repositories`,
  /** The whole folder tree in one answer; folders are made in the Devin app. */
  knowledgeFolders: (orgId: string | null) =>
    orgId ? `/v3/organizations/${seg(orgId)}/knowledge/folders` : "/v3/enterprise/knowledge/folders",
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

export interface ApiGitConnection {
  git_connection_id: string;
  git_provider_type: string;
  name: string | null;
  host: string;
  created_at: number;
}

export interface ApiGitRepository {
  provider_repository_id: string;
  git_connection_id: string;
  git_connection_host: string;
  repo_name: string;
  repo_path: string;
  repo_description: string | null;
  last_updated_at: number | null;
  repo_language: string | null;
}

export interface ApiKnowledgeFolders {
  folders: { folder_id: string; name: string; path: string; note_count: number; parent_folder_id: string | null }[];
  root_note_count: number;
}

/**
 * The provider's argument for an API field, so that a 422 names what the user wrote: every argument's wire name from
 * the tables, and the request fields that are no argument's wire name (a role's body sends the looked-up `role_id` of
 * `role`; IdP groups are registered as a list of names; the old name of the cycle limit).
 */
const PROPERTY_OF: Record<string, string> = {
  ...Object.fromEntries(
    [...Object.values(RESOURCES), ...Object.values(OBJECT_TYPES)].flatMap((t) =>
      t.fields.flatMap((f) => {
        const wire = f.requestWire ?? f.wire;
        return f.input && wire && !wire.includes(".") ? [[wire, f.name]] : [];
      }),
    ),
  ),
  cycle_acu_limit: "acuLimit",
  role_id: "role",
  idp_group_names: "name",
};

export function propertyOf(apiField: string): string {
  return PROPERTY_OF[apiField] ?? apiField;
}

/**
 * The permission each call no resource type owns needs (docs/api-notes.md section 9): the lookups' and the run's reads
 * of git connections, knowledge folders, roles, consumption and audit logs. The lists of users and IdP users are
 * answered by the rules of the role types' tables, whose paths they share.
 */
const PERMISSIONS_OF_NO_TYPE: readonly Permission[] = [
  { method: "*", path: /^\/enterprise\/git-providers\//, permission: "ManageGitIntegrations" },
  { method: "*", path: /^\/(enterprise|organizations\/[^/]+)\/knowledge\/folders(\/.*)?$/, permission: "ManageAccountKnowledge" },
  { method: "*", path: /^\/enterprise\/organizations\/[^/]+\/audit-logs$/, permission: "ManageEnterpriseSettings" },
  { method: "GET", path: /^\/enterprise\/roles$/, permission: "ViewAccountMembership" },
  { method: "GET", path: /^\/enterprise\/consumption\//, permission: "ViewAccountConsumption" },
  { method: "*", path: /^\/enterprise\/consumption\/acu-limits\//, permission: "ManageBilling" },
  { method: "*", path: /^\/enterprise\/audit-logs$/, permission: "ManageEnterpriseSettings" },
];

/** Every table's rules in `RESOURCES` order, then the rest: the first that matches answers, so that a 403 can say which permission is missing. */
const PERMISSIONS: readonly Permission[] = [
  ...Object.values(RESOURCES).flatMap((t: ResourceSchema) => t.permissions ?? []),
  ...PERMISSIONS_OF_NO_TYPE,
];

export function permissionFor(method: string, path: string): string | undefined {
  const bare = path.split("?")[0].replace(/^\/v3(beta1)?/, "");
  return PERMISSIONS.find((p) => (p.method === "*" || p.method === method) && p.path.test(bare))?.permission;
}

/** Provisioning, where a 403 may be about the role asked for rather than the caller's own permission. */
export function isProvisioning(path: string): boolean {
  return /^\/v3(beta1)?\/(enterprise|organizations\/[^/]+)\/service-users$/.test(path);
}
