import * as pulumi from "@pulumi/pulumi";
import { organization } from "./schema/organization";
import { fromWire } from "./schema/wire";
import {
  paths,
  type ApiKey,
  type ApiGitConnection,
  type ApiGitPermission,
  type ApiGitRepository,
  type ApiKnowledgeFolders,
  type ApiKnowledgeNote,
  type ApiPlaybook,
  type ApiSchedule,
  type ApiSecret,
  type ApiIdpGroup,
  type ApiOrganization,
  type ApiServiceUser,
  type ApiUser,
  type OrganizationFields,
  type RoleAssignment,
} from "./impl/api";
import { lookupByNameError } from "./impl/errors";
import { listRoles } from "./impl/roles";
import { lookupFailed, runListLookup, runLookup, settingsFirst, type LookupOptions } from "./lookupCall";

export type { LookupOptions } from "./lookupCall";

/**
 * Reads of what exists, for a program to refer to. Each is a plain async function (usable anywhere) with an
 * `...Output` form whose arguments may be Outputs and whose result is one. A failure is one line naming the cause and
 * the fix; under Pulumi's mocks each is an invoke, `devin:index:<function name>`, that the mocks' `call` answers.
 */

/** An organization as the API shows it: `orgId`, `name`, `acuLimit`, `maxSessionAcuLimit`, `createdAt`, `updatedAt`. */
export type OrganizationInfo = OrganizationFields;

export interface RoleInfo {
  roleId: string;
  roleName: string;
  roleType: "enterprise" | "org";
}

/** A role held at a scope: `orgId` null is the enterprise. */
export interface HeldRole {
  roleId: string;
  roleName: string;
  roleType: "enterprise" | "org";
  orgId: string | null;
}

export interface ServiceUserInfo {
  serviceUserId: string;
  name: string;
  expiresAt: number | null;
  roles: HeldRole[];
}

export interface UserInfo {
  userId: string;
  email: string | null;
  name: string | null;
  /** Direct roles. */
  roles: HeldRole[];
}

export interface IdpGroupInfo {
  name: string;
}

/** Who the token is. */
export interface SelfInfo {
  principalType: string;
  serviceUserId: string | null;
  serviceUserName: string | null;
  /** The org of an org-scoped token, or null. */
  orgId: string | null;
}

const organizationInfo = (org: ApiOrganization) => fromWire(organization.fields, { ...org }) as unknown as OrganizationInfo;

const held = (assignments: RoleAssignment[]): HeldRole[] =>
  assignments.map((a) => ({ roleId: a.role.role_id, roleName: a.role.role_name, roleType: a.role.role_type, orgId: a.org_id }));

const serviceUserInfo = (su: ApiServiceUser): ServiceUserInfo => ({
  serviceUserId: su.service_user_id,
  name: su.name,
  expiresAt: su.expires_at ?? null,
  roles: held(su.role_assignments),
});

/**
 * Looks up an existing organization by id, or by name (which must then be unique).
 *
 * @example
 * const legacy = await devin.getOrganization({ name: "Legacy" });
 */
export async function getOrganization(args: { orgId: string } | { name: string }, options: LookupOptions = {}): Promise<OrganizationInfo> {
  return runLookup("getOrganization", args, options, async (api) => {
    if ("orgId" in args) {
      const res = await api.call<ApiOrganization>(
        { method: "GET", path: paths.organization(args.orgId) },
        { operation: `look up organization ${args.orgId}` },
      );
      return organizationInfo(res.body);
    }
    const operation = `look up organization '${args.name}'`;
    const matches = (await api.listAll<ApiOrganization>(paths.organizations, operation)).filter((o) => o.name === args.name);
    if (matches.length !== 1)
      throw lookupFailed(
        lookupByNameError(
          operation,
          matches.map((o) => o.org_id),
          "orgId",
        ).message,
      );
    return organizationInfo(matches[0]);
  });
}

/** Lists every organization of the enterprise. */
export async function getOrganizations(options: LookupOptions = {}): Promise<OrganizationInfo[]> {
  return runListLookup("getOrganizations", {}, options, async (api) =>
    (await api.listAll<ApiOrganization>(paths.organizations, "list organizations")).map(organizationInfo),
  );
}

/** Lists the enterprise's roles: the names and ids the `role` of every resource accepts. */
export async function getRoles(options: LookupOptions = {}): Promise<RoleInfo[]> {
  return runListLookup("getRoles", {}, options, async (api) =>
    (await listRoles(api)).map((r) => ({ roleId: r.role_id, roleName: r.role_name, roleType: r.role_type })),
  );
}

/** Looks up a service user by id. Its API key is never returned by the API. */
export async function getServiceUser(args: { serviceUserId: string }, options: LookupOptions = {}): Promise<ServiceUserInfo> {
  return runLookup("getServiceUser", args, options, async (api) => {
    const res = await api.call<ApiServiceUser>(
      { method: "GET", path: paths.serviceUser(args.serviceUserId) },
      { operation: `look up service user ${args.serviceUserId}` },
    );
    return serviceUserInfo(res.body);
  });
}

/** Lists the enterprise's active service users (expired and deleted ones are left out by the API). */
export async function getServiceUsers(options: LookupOptions = {}): Promise<ServiceUserInfo[]> {
  return runListLookup("getServiceUsers", {}, options, async (api) =>
    (await api.listAll<ApiServiceUser>(paths.serviceUsers, "list service users")).map(serviceUserInfo),
  );
}

/**
 * Lists the enterprise's direct members, or the one with an email (matched exactly, in any case).
 *
 * @example
 * const [alice] = await devin.getUsers({ email: "alice@example.com" });
 */
export async function getUsers(args: { email?: string } = {}, options: LookupOptions = {}): Promise<UserInfo[]> {
  return runListLookup("getUsers", args, options, async (api) => {
    const users = await api.listAll<ApiUser>(paths.users, "list users", { email: args.email });
    return users.map((u) => ({ userId: u.user_id, email: u.email, name: u.name, roles: held(u.role_assignments) }));
  });
}

/** Lists the IdP groups registered with the enterprise. */
export async function getIdpGroups(options: LookupOptions = {}): Promise<IdpGroupInfo[]> {
  return runListLookup("getIdpGroups", {}, options, async (api) =>
    (await api.listAll<Pick<ApiIdpGroup, "idp_group_name">>(paths.idpGroups, "list IdP groups")).map((g) => ({
      name: g.idp_group_name,
    })),
  );
}

/** Who the configured token is: its service user, and its org when it is org-scoped. */
export async function getSelf(options: LookupOptions = {}): Promise<SelfInfo> {
  return runLookup("getSelf", {}, options, async (api) => {
    const res = await api.call<{
      principal_type?: string;
      service_user_id?: string;
      service_user_name?: string;
      org_id?: string | null;
    }>({ method: "GET", path: paths.self }, { operation: "read who the token is" });
    return {
      principalType: res.body.principal_type ?? "service_user",
      serviceUserId: res.body.service_user_id ?? null,
      serviceUserName: res.body.service_user_name ?? null,
      orgId: res.body.org_id ?? null,
    };
  });
}

export interface PlaybookInfo {
  playbookId: string;
  title: string;
  body: string;
  macro: string | null;
  /** "org" or "enterprise". */
  accessType: string;
  /** The org of an org playbook; null at the enterprise level. */
  orgId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface KnowledgeNoteInfo {
  noteId: string;
  name: string;
  body: string;
  trigger: string;
  folderId: string | null;
  folderPath: string;
  pinnedRepo: string | null;
  isEnabled: boolean;
  accessType: string;
  orgId: string | null;
}

export interface KnowledgeFolderInfo {
  folderId: string;
  name: string;
  /** The names from the root down, such as "Runbooks/Deploys". */
  path: string;
  noteCount: number;
  parentFolderId: string | null;
}

export interface ScheduleInfo {
  scheduleId: string;
  name: string;
  prompt: string;
  scheduleType: string;
  frequency: string | null;
  scheduledAt: string | null;
  enabled: boolean;
  playbookId: string | null;
  lastExecutedAt: string | null;
}

/** What the API shows of a secret: never its value. */
export interface SecretInfo {
  secretId: string;
  key: string | null;
  type: string;
  isSensitive: boolean;
  note: string | null;
  accessType: string;
  createdAt: number;
}

export interface GitConnectionInfo {
  gitConnectionId: string;
  gitProviderType: string;
  name: string | null;
  host: string;
}

export interface GitRepositoryInfo {
  providerRepositoryId: string;
  gitConnectionId: string;
  repoName: string;
  repoPath: string;
  repoDescription: string | null;
  repoLanguage: string | null;
  lastUpdatedAt: number | null;
}

export interface GitPermissionInfo {
  gitPermissionId: string;
  gitConnectionId: string;
  repoPath: string | null;
  groupPrefix: string | null;
  prefixPath: string | null;
  readOnly: boolean;
}

/**
 * Lists the playbooks of an org, or with no `orgId` those at the enterprise level (set `includeOrgs` for every org's
 * too, as the enterprise list shows them).
 */
export async function getPlaybooks(
  args: { orgId?: string; includeOrgs?: boolean } = {},
  options: LookupOptions = {},
): Promise<PlaybookInfo[]> {
  return runListLookup("getPlaybooks", args, options, async (api) => {
    const all = await api.listAll<ApiPlaybook>(paths.playbooks(args.orgId ?? null), "list playbooks");
    return all
      .filter((p) => args.orgId || args.includeOrgs || p.access_type === "enterprise")
      .map((p) => ({
        playbookId: p.playbook_id,
        title: p.title,
        body: p.body,
        macro: p.macro ?? null,
        accessType: p.access_type,
        orgId: p.org_id ?? null,
        createdAt: p.created_at,
        updatedAt: p.updated_at,
      }));
  });
}

/** Lists the knowledge notes of an org, or with no `orgId` those at the enterprise level (`includeOrgs` for all). */
export async function getKnowledgeNotes(
  args: { orgId?: string; includeOrgs?: boolean } = {},
  options: LookupOptions = {},
): Promise<KnowledgeNoteInfo[]> {
  return runListLookup("getKnowledgeNotes", args, options, async (api) => {
    const all = await api.listAll<ApiKnowledgeNote>(paths.knowledgeNotes(args.orgId ?? null), "list knowledge notes");
    return all
      .filter((n) => args.orgId || args.includeOrgs || n.access_type === "enterprise")
      .map((n) => ({
        noteId: n.note_id,
        name: n.name,
        body: n.body,
        trigger: n.trigger,
        folderId: n.folder_id ?? null,
        folderPath: n.folder_path ?? "",
        pinnedRepo: n.pinned_repo ?? null,
        isEnabled: n.is_enabled,
        accessType: n.access_type,
        orgId: n.org_id ?? null,
      }));
  });
}

/**
 * Lists the knowledge folders of an org (or of the enterprise level), for a KnowledgeNote's `folderId`. Folders are
 * made in the Devin app.
 *
 * @example
 * const runbooks = (await devin.getKnowledgeFolders({ orgId })).find((f) => f.path === "Runbooks");
 */
export async function getKnowledgeFolders(args: { orgId?: string } = {}, options: LookupOptions = {}): Promise<KnowledgeFolderInfo[]> {
  return runListLookup("getKnowledgeFolders", args, options, async (api) => {
    const res = await api.call<ApiKnowledgeFolders>(
      { method: "GET", path: paths.knowledgeFolders(args.orgId ?? null) },
      { operation: "list knowledge folders" },
    );
    return (res.body.folders ?? []).map((f) => ({
      folderId: f.folder_id,
      name: f.name,
      path: f.path,
      noteCount: f.note_count,
      parentFolderId: f.parent_folder_id ?? null,
    }));
  });
}

/** Lists the schedules of an org (deleted ones are left out). */
export async function getSchedules(args: { orgId: string }, options: LookupOptions = {}): Promise<ScheduleInfo[]> {
  return runListLookup("getSchedules", args, options, async (api) => {
    const all = await api.listAllByOffset<ApiSchedule>(paths.schedules(args.orgId), "list schedules");
    return all.map((s) => ({
      scheduleId: s.scheduled_session_id,
      name: s.name,
      prompt: s.prompt,
      scheduleType: s.schedule_type ?? "recurring",
      frequency: s.frequency ?? null,
      scheduledAt: s.scheduled_at ?? null,
      enabled: s.enabled,
      playbookId: s.playbook?.playbook_id ?? null,
      lastExecutedAt: s.last_executed_at ?? null,
    }));
  });
}

/** Lists the secrets of an org: keys and metadata only; the API never returns a value. */
export async function getSecrets(args: { orgId: string }, options: LookupOptions = {}): Promise<SecretInfo[]> {
  return runListLookup("getSecrets", args, options, async (api) => {
    const all = await api.listAll<ApiSecret>(paths.secrets(args.orgId), "list secrets");
    return all.map((s) => ({
      secretId: s.secret_id,
      key: s.key ?? null,
      type: s.secret_type,
      isSensitive: s.is_sensitive,
      note: s.note ?? null,
      accessType: s.access_type,
      createdAt: s.created_at,
    }));
  });
}

/** Lists the enterprise's git connections (made in the Devin app), for a GitPermission's `gitConnectionId`. */
export async function getGitConnections(options: LookupOptions = {}): Promise<GitConnectionInfo[]> {
  return runListLookup("getGitConnections", {}, options, async (api) => {
    const all = await api.listAll<ApiGitConnection>(paths.gitConnections, "list git connections");
    return all.map((c) => ({
      gitConnectionId: c.git_connection_id,
      gitProviderType: c.git_provider_type,
      name: c.name ?? null,
      host: c.host,
    }));
  });
}

/** Lists the repositories a git connection can see, optionally only those whose name matches `nameFilter`. */
export async function getGitRepositories(
  args: { gitConnectionId: string; nameFilter?: string },
  options: LookupOptions = {},
): Promise<GitRepositoryInfo[]> {
  return runListLookup("getGitRepositories", args, options, async (api) => {
    // This list pages at most 100 at a time.
    const all = await api.listAll<ApiGitRepository>(
      paths.gitRepositories(args.gitConnectionId),
      "list git repositories",
      { filter_name: args.nameFilter },
      100,
    );
    return all.map((r) => ({
      providerRepositoryId: r.provider_repository_id,
      gitConnectionId: r.git_connection_id,
      repoName: r.repo_name,
      repoPath: r.repo_path,
      repoDescription: r.repo_description ?? null,
      repoLanguage: r.repo_language ?? null,
      lastUpdatedAt: r.last_updated_at ?? null,
    }));
  });
}

/** Lists an org's git permissions. */
export async function getGitPermissions(args: { orgId: string }, options: LookupOptions = {}): Promise<GitPermissionInfo[]> {
  return runListLookup("getGitPermissions", args, options, async (api) => {
    const all = await api.listAll<ApiGitPermission>(paths.gitPermissions(args.orgId), "list git permissions");
    return all.map((p) => ({
      gitPermissionId: p.git_permission_id,
      gitConnectionId: p.git_connection_id,
      repoPath: p.repo_path ?? null,
      groupPrefix: p.group_prefix?.replace(/\/+$/, "") ?? null,
      prefixPath: p.prefix_path ?? null,
      readOnly: p.read_only ?? false,
    }));
  });
}

/** What the API shows of a service user's API key: never its token. */
export interface ApiKeyInfo {
  apiKeyId: string;
  name: string;
  createdAt: number;
  expiresAt: number | null;
  isActive: boolean;
  revokedAt: number | null;
}

/**
 * Lists a service user's API keys (by default only the active ones), for an ApiKey's `adoptId`: a ServiceUser's
 * initial key, say.
 */
export async function getApiKeys(
  args: { serviceUserId: string; status?: "active" | "revoked" | "expired" | "all" },
  options: LookupOptions = {},
): Promise<ApiKeyInfo[]> {
  return runListLookup("getApiKeys", args, options, async (api) => {
    const all = await api.listAll<ApiKey>(paths.apiKeys(args.serviceUserId), "list API keys", {
      status: args.status ?? "active",
    });
    return all.map((k) => ({
      apiKeyId: k.api_key_id,
      name: k.api_key_name ?? "",
      createdAt: k.created_at,
      expiresAt: k.expires_at ?? null,
      isActive: k.is_active !== false,
      revokedAt: k.revoked_at ?? null,
    }));
  });
}

/** One entry of the enterprise's audit log. */
export interface AuditLogEntry {
  auditLogId: string;
  /** What happened: create_org, update_org, delete_org, create_service_user, rotate_service_user_api_key, ... */
  action: string;
  /** Unix seconds. */
  createdAt: number;
  orgId: string | null;
  /** Who did it (a service user, or a user). */
  serviceUserId: string | null;
  serviceUserName: string | null;
  userId: string | null;
  userEmail: string | null;
  /** The action's details, as the API gives them. */
  data: Record<string, unknown>;
}

interface ApiAuditLog {
  audit_log_id: string;
  action: string;
  created_at: number;
  data?: Record<string, unknown> | null;
  org_id?: string | null;
  service_user_id?: string | null;
  service_user_name?: string | null;
  user_id?: string | null;
  user_email?: string | null;
}

/** The API answers at most 100 days per request. */
const AUDIT_WINDOW_SECONDS = 100 * 86_400;

/**
 * Lists audit log entries, oldest first: of the enterprise, or of one org; from `after` (unix seconds, inclusive) to
 * `before`, optionally of one `action`. A window longer than the API's 100 days is read in several requests.
 *
 * @example
 * // What a `pulumi up` did: every entry since it started.
 * const entries = await devin.getAuditLogs({ after: startedAt });
 */
export async function getAuditLogs(
  args: { after?: number; before?: number; action?: string; orgId?: string } = {},
  options: LookupOptions = {},
): Promise<AuditLogEntry[]> {
  return runListLookup("getAuditLogs", args, options, async (api) => {
    const path = args.orgId ? paths.orgAuditLogs(args.orgId) : paths.auditLogs;
    const windows: [number | undefined, number | undefined][] = [];
    if (args.after !== undefined && args.before !== undefined) {
      for (let from = args.after; from < args.before; from += AUDIT_WINDOW_SECONDS)
        windows.push([from, Math.min(args.before, from + AUDIT_WINDOW_SECONDS)]);
    } else windows.push([args.after, undefined]);
    const entries: ApiAuditLog[] = [];
    for (const [after, before] of windows) {
      entries.push(
        ...(await api.listAll<ApiAuditLog>(path, "list audit logs", {
          order: "asc",
          time_after: after,
          time_before: before,
          action: args.action,
        })),
      );
    }
    return entries.map((e) => ({
      auditLogId: e.audit_log_id,
      action: e.action,
      createdAt: e.created_at,
      orgId: e.org_id ?? null,
      serviceUserId: e.service_user_id ?? null,
      serviceUserName: e.service_user_name ?? null,
      userId: e.user_id ?? null,
      userEmail: e.user_email ?? null,
      data: e.data ?? {},
    }));
  });
}

/** ACUs consumed, in total and by day. */
export interface ConsumptionInfo {
  totalAcus: number;
  days: { date: number; acus: number; acusByProduct: Record<string, number> }[];
}

/**
 * ACUs consumed between `from` and `to` (unix seconds): by the enterprise, or by one org.
 *
 * @example
 * const lastWeek = await devin.getConsumption({ orgId: eng, from: now - 7 * 86400, to: now });
 */
export async function getConsumption(
  args: { orgId?: string; from: number; to: number },
  options: LookupOptions = {},
): Promise<ConsumptionInfo> {
  return runLookup("getConsumption", args, options, async (api) => {
    const res = await api.call<{
      total_acus?: number;
      consumption_by_date?: { date: number; acus: number; acus_by_product?: Record<string, number> }[];
    }>(
      {
        method: "GET",
        path: args.orgId ? paths.orgConsumption(args.orgId) : paths.consumption,
        query: { time_after: args.from, time_before: args.to },
      },
      { operation: `read the ACU consumption${args.orgId ? ` of ${args.orgId}` : ""}` },
    );
    return {
      totalAcus: res.body.total_acus ?? 0,
      days: (res.body.consumption_by_date ?? []).map((d) => ({ date: d.date, acus: d.acus, acusByProduct: d.acus_by_product ?? {} })),
    };
  });
}

/** The Output forms: arguments may be Outputs, results are Outputs, for use inside a program. */
export const getOrganizationOutput = (args: pulumi.Input<{ orgId: string } | { name: string }>, options?: LookupOptions) => {
  settingsFirst("getOrganization", options);
  return pulumi.output(args).apply((a) => getOrganization(a as { orgId: string } | { name: string }, options));
};
export const getOrganizationsOutput = (options?: LookupOptions) => {
  settingsFirst("getOrganizations", options);
  return pulumi.output(getOrganizations(options));
};
export const getRolesOutput = (options?: LookupOptions) => {
  settingsFirst("getRoles", options);
  return pulumi.output(getRoles(options));
};
export const getServiceUserOutput = (args: pulumi.Input<{ serviceUserId: pulumi.Input<string> }>, options?: LookupOptions) => {
  settingsFirst("getServiceUser", options);
  return pulumi.output(args).apply((a) => getServiceUser(a, options));
};
export const getServiceUsersOutput = (options?: LookupOptions) => {
  settingsFirst("getServiceUsers", options);
  return pulumi.output(getServiceUsers(options));
};
export const getUsersOutput = (args: pulumi.Input<{ email?: pulumi.Input<string> }> = {}, options?: LookupOptions) => {
  settingsFirst("getUsers", options);
  return pulumi.output(args).apply((a) => getUsers(a, options));
};
export const getIdpGroupsOutput = (options?: LookupOptions) => {
  settingsFirst("getIdpGroups", options);
  return pulumi.output(getIdpGroups(options));
};
export const getSelfOutput = (options?: LookupOptions) => {
  settingsFirst("getSelf", options);
  return pulumi.output(getSelf(options));
};
export const getPlaybooksOutput = (
  args: pulumi.Input<{ orgId?: pulumi.Input<string>; includeOrgs?: boolean }> = {},
  options?: LookupOptions,
) => {
  settingsFirst("getPlaybooks", options);
  return pulumi.output(args).apply((a) => getPlaybooks(a, options));
};
export const getKnowledgeNotesOutput = (
  args: pulumi.Input<{ orgId?: pulumi.Input<string>; includeOrgs?: boolean }> = {},
  options?: LookupOptions,
) => {
  settingsFirst("getKnowledgeNotes", options);
  return pulumi.output(args).apply((a) => getKnowledgeNotes(a, options));
};
export const getKnowledgeFoldersOutput = (args: pulumi.Input<{ orgId?: pulumi.Input<string> }> = {}, options?: LookupOptions) => {
  settingsFirst("getKnowledgeFolders", options);
  return pulumi.output(args).apply((a) => getKnowledgeFolders(a, options));
};
export const getSchedulesOutput = (args: pulumi.Input<{ orgId: pulumi.Input<string> }>, options?: LookupOptions) => {
  settingsFirst("getSchedules", options);
  return pulumi.output(args).apply((a) => getSchedules(a, options));
};
export const getSecretsOutput = (args: pulumi.Input<{ orgId: pulumi.Input<string> }>, options?: LookupOptions) => {
  settingsFirst("getSecrets", options);
  return pulumi.output(args).apply((a) => getSecrets(a, options));
};
export const getGitConnectionsOutput = (options?: LookupOptions) => {
  settingsFirst("getGitConnections", options);
  return pulumi.output(getGitConnections(options));
};
export const getGitRepositoriesOutput = (
  args: pulumi.Input<{ gitConnectionId: pulumi.Input<string>; nameFilter?: pulumi.Input<string> }>,
  options?: LookupOptions,
) => {
  settingsFirst("getGitRepositories", options);
  return pulumi.output(args).apply((a) => getGitRepositories(a, options));
};
export const getGitPermissionsOutput = (args: pulumi.Input<{ orgId: pulumi.Input<string> }>, options?: LookupOptions) => {
  settingsFirst("getGitPermissions", options);
  return pulumi.output(args).apply((a) => getGitPermissions(a, options));
};
export const getApiKeysOutput = (
  args: pulumi.Input<{ serviceUserId: pulumi.Input<string>; status?: "active" | "revoked" | "expired" | "all" }>,
  options?: LookupOptions,
) => {
  settingsFirst("getApiKeys", options);
  return pulumi.output(args).apply((a) => getApiKeys(a, options));
};
export const getAuditLogsOutput = (
  args: pulumi.Input<{
    after?: pulumi.Input<number>;
    before?: pulumi.Input<number>;
    action?: pulumi.Input<string>;
    orgId?: pulumi.Input<string>;
  }> = {},
  options?: LookupOptions,
) => {
  settingsFirst("getAuditLogs", options);
  return pulumi.output(args).apply((a) => getAuditLogs(a, options));
};
export const getConsumptionOutput = (
  args: pulumi.Input<{ orgId?: pulumi.Input<string>; from: pulumi.Input<number>; to: pulumi.Input<number> }>,
  options?: LookupOptions,
) => {
  settingsFirst("getConsumption", options);
  return pulumi.output(args).apply((a) => getConsumption(a, options));
};
