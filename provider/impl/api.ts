/**
 * The Devin v3 API as pulumi-devin uses it: every path, every wire shape and the permission each call needs. Each
 * field's wire name is in its type's table (provider/schema/), and crosses between snake_case and the provider's
 * camelCase only through provider/schema/wire.ts. The facts are summarized in docs/api-notes.md.
 */
import { OBJECT_TYPES, RESOURCES } from "../schema";

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
  /** Issues a new key in place of an active one; `revoke_current: false` keeps the old one working. */
  rotateApiKey: (serviceUserId: string, apiKeyId: string) =>
    `/v3beta1/enterprise/service-users/${seg(serviceUserId)}/api-keys/${seg(apiKeyId)}/rotate`,
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

  /** Git connections are made in the Devin app; the API lists them and the repositories each can see (`first` ≤ 100). */
  gitConnections: "/v3/enterprise/git-providers/connections",
  gitRepositories: (connectionId: string) => `/v3/enterprise/git-providers/connections/${seg(connectionId)}/repositories`,
  /** An org's git permissions: GET lists, POST adds a batch; there is no GET by id. */
  gitPermissions: (orgId: string) => `/v3/enterprise/organizations/${seg(orgId)}/git-providers/permissions`,
  /** One git permission: PATCH changes `read_only`, DELETE removes it. */
  gitPermission: (orgId: string, permissionId: string) =>
    `/v3/enterprise/organizations/${seg(orgId)}/git-providers/permissions/${seg(permissionId)}`,
  /** Playbooks: `orgId` null is the enterprise level, whose list also shows every org's playbooks. */
  playbooks: (orgId: string | null) => (orgId ? `/v3/organizations/${seg(orgId)}/playbooks` : "/v3/enterprise/playbooks"),
  playbook: (orgId: string | null, playbookId: string) =>
    orgId ? `/v3/organizations/${seg(orgId)}/playbooks/${seg(playbookId)}` : `/v3/enterprise/playbooks/${seg(playbookId)}`,
  /** Knowledge notes: `orgId` null is the enterprise level, whose list also shows every org's notes. */
  knowledgeNotes: (orgId: string | null) => (orgId ? `/v3/organizations/${seg(orgId)}/knowledge/notes` : "/v3/enterprise/knowledge/notes"),
  knowledgeNote: (orgId: string | null, noteId: string) =>
    orgId ? `/v3/organizations/${seg(orgId)}/knowledge/notes/${seg(noteId)}` : `/v3/enterprise/knowledge/notes/${seg(noteId)}`,
  /** The whole folder tree in one answer; folders are made in the Devin app. */
  knowledgeFolders: (orgId: string | null) =>
    orgId ? `/v3/organizations/${seg(orgId)}/knowledge/folders` : "/v3/enterprise/knowledge/folders",
  /** Scheduled sessions; the list pages by `limit` and `offset`, not by cursor. */
  schedules: (orgId: string) => `/v3/organizations/${seg(orgId)}/schedules`,
  schedule: (orgId: string, scheduleId: string) => `/v3/organizations/${seg(orgId)}/schedules/${seg(scheduleId)}`,
  /** Secrets: list and create; there is no GET by id and no update. */
  secrets: (orgId: string) => `/v3/organizations/${seg(orgId)}/secrets`,
  secret: (orgId: string, secretId: string) => `/v3/organizations/${seg(orgId)}/secrets/${seg(secretId)}`,
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

/** Exactly one of the three path fields is set. */
export interface ApiGitPermission {
  git_permission_id: string;
  git_connection_id: string;
  repo_path: string | null;
  /** Returned without the trailing `/` the API stores. */
  group_prefix: string | null;
  prefix_path: string | null;
  read_only?: boolean;
  created_at: number | null;
}

export interface ApiPlaybook {
  playbook_id: string;
  title: string;
  body: string;
  macro: string | null;
  structured_output_schema?: Record<string, unknown> | null;
  created_by: string;
  updated_by: string;
  created_at: number;
  updated_at: number;
  access_type: "enterprise" | "org";
  org_id: string | null;
}

export interface ApiKnowledgeNote {
  note_id: string;
  name: string;
  body: string;
  trigger: string;
  folder_id: string | null;
  folder_path: string;
  is_enabled: boolean;
  created_at: number;
  updated_at: number;
  access_type: "enterprise" | "org";
  org_id: string | null;
  macro: string | null;
  pinned_repo: string | null;
}

/**
 * Where a playbook or note lives. The resource types say it by their kind and `orgId`, so it is no output; the
 * enterprise lists show every org's objects too, and adoption must refuse one of the other level.
 */
export function levelOf(x: ApiPlaybook | ApiKnowledgeNote): { level: "enterprise" | "org"; orgId: string | null } {
  return { level: x.access_type, orgId: x.org_id };
}

export interface ApiKnowledgeFolders {
  folders: { folder_id: string; name: string; path: string; note_count: number; parent_folder_id: string | null }[];
  root_note_count: number;
}

/** Timestamps are ISO-8601 strings here, unlike every other family. */
export interface ApiSchedule {
  scheduled_session_id: string;
  org_id: string;
  created_by: string | null;
  name: string;
  prompt: string;
  playbook: { playbook_id: string; title: string | null } | null;
  frequency: string | null;
  enabled: boolean;
  last_executed_at: string | null;
  created_at: string;
  updated_at: string;
  notify_on: string;
  agent: string;
  schedule_type?: string;
  interval_count?: number;
  bypass_approval?: boolean;
  scheduled_at?: string | null;
  tags?: string[] | null;
  platform?: string | null;
  slack_channel_id?: string | null;
  slack_team_id?: string | null;
  target_devin_id?: string | null;
}

/** Never carries the value. The request names the type `type`; the answer names it `secret_type`. */
export interface ApiSecret {
  secret_id: string;
  key: string | null;
  note: string | null;
  is_sensitive: boolean;
  created_by: string;
  created_at: number;
  secret_type: string;
  access_type: "org" | "personal";
  updated_at?: number | null;
  updated_by?: string | null;
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

/** The permission each call needs (docs/api-notes.md section 9), so that a 403 can say which one is missing. */
const PERMISSIONS: [method: string, path: RegExp, permission: string][] = [
  ["*", /^\/enterprise\/git-providers\//, "ManageGitIntegrations"],
  ["*", /^\/enterprise\/organizations\/[^/]+\/git-providers\//, "ManageGitIntegrations"],
  ["*", /^\/(enterprise|organizations\/[^/]+)\/playbooks(\/.*)?$/, "ManageAccountPlaybooks"],
  ["*", /^\/(enterprise|organizations\/[^/]+)\/knowledge\//, "ManageAccountKnowledge"],
  ["*", /^\/organizations\/[^/]+\/schedules(\/.*)?$/, "ManageOrgSchedules"],
  ["*", /^\/organizations\/[^/]+\/secrets(\/.*)?$/, "ManageOrgSecrets"],
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
