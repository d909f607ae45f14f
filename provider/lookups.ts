import {
  paths,
  type ApiGitConnection,
  type ApiGitRepository,
  type ApiKnowledgeFolders,
  type ApiIdpGroup,
  type ApiOrganization,
  type ApiServiceUser,
  type ApiUser,
} from "./impl/api";
import { apiKeyPaths, type ApiKey } from "./impl/apiKey";
import { lookupByNameError } from "./impl/errors";
import { gitPermissionPaths, type ApiGitPermission } from "./impl/gitPermission";
import { idpGroupPaths } from "./impl/idpGroup";
import { knowledgeNotePaths, type ApiKnowledgeNote } from "./impl/knowledgeNote";
import { playbookPaths, type ApiPlaybook } from "./impl/playbook";
import { listRoles } from "./impl/roles";
import { schedulePaths, type ApiSchedule } from "./impl/schedule";
import { secretPaths, type ApiSecret } from "./impl/secret";
import type { DevinClient } from "./impl/client";
import { lookupFailed, runListLookup, runLookup, type LookupOptions } from "./lookupCall";
import { fromWire, objectFields } from "./schema/wire";

export type { LookupOptions } from "./lookupCall";
import type {
  OrganizationInfo,
  RoleInfo,
  ServiceUserInfo,
  UserInfo,
  IdpGroupInfo,
  SelfInfo,
  PlaybookInfo,
  KnowledgeNoteInfo,
  KnowledgeFolderInfo,
  ScheduleInfo,
  SecretInfo,
  GitConnectionInfo,
  GitRepositoryInfo,
  GitPermissionInfo,
  ApiKeyInfo,
  AuditLogEntry,
  ConsumptionInfo,
} from "./types";

/**
 * Reads of what exists, for a program to refer to. Each is a plain async function (usable anywhere) with an
 * `...Output` form whose arguments may be Outputs and whose result is one. A failure is one line naming the cause and
 * the fix; under Pulumi's mocks each is an invoke, `devin:index:<function name>`, that the mocks' `call` answers.
 *
 * What each result holds, and under which API names, is its object type's table (`schema/objectTypes.ts`); the
 * interfaces here follow it.
 */

/** The result types by their name in `OBJECT_TYPES`. */
interface Results {
  OrganizationInfo: OrganizationInfo;
  RoleInfo: RoleInfo;
  ServiceUserInfo: ServiceUserInfo;
  UserInfo: UserInfo;
  IdpGroupInfo: IdpGroupInfo;
  SelfInfo: SelfInfo;
  PlaybookInfo: PlaybookInfo;
  KnowledgeNoteInfo: KnowledgeNoteInfo;
  KnowledgeFolderInfo: KnowledgeFolderInfo;
  ScheduleInfo: ScheduleInfo;
  SecretInfo: SecretInfo;
  GitConnectionInfo: GitConnectionInfo;
  GitRepositoryInfo: GitRepositoryInfo;
  GitPermissionInfo: GitPermissionInfo;
  ApiKeyInfo: ApiKeyInfo;
  AuditLogEntry: AuditLogEntry;
  ConsumptionInfo: ConsumptionInfo;
}

/** An API object as a lookup's result: its type's table names and picks the fields. */
const present =
  <K extends keyof Results>(type: K) =>
  (item: object): Results[K] =>
    fromWire(objectFields(type), item as Record<string, unknown>) as unknown as Results[K];

/**
 * The value a lookup has always shown for a field the API leaves out or sends as null, put in before the table maps
 * the object.
 */
function absentAs<T extends object>(item: T, defaults: { [K in keyof T]?: unknown }): T {
  const filled: Record<string, unknown> = { ...(item as Record<string, unknown>) };
  for (const [key, value] of Object.entries(defaults)) filled[key] ??= value;
  return filled as T;
}

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
      return present("OrganizationInfo")(res.body);
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
    return present("OrganizationInfo")(matches[0]);
  });
}

/** Lists every organization of the enterprise. */
export async function getOrganizations(options: LookupOptions = {}): Promise<OrganizationInfo[]> {
  return runListLookup("getOrganizations", {}, options, async (api) =>
    (await api.listAll<ApiOrganization>(paths.organizations, "list organizations")).map(present("OrganizationInfo")),
  );
}

/** Lists the enterprise's roles: the names and ids the `role` of every resource accepts. */
export async function getRoles(options: LookupOptions = {}): Promise<RoleInfo[]> {
  return runListLookup("getRoles", {}, options, async (api) => (await listRoles(api)).map(present("RoleInfo")));
}

/** Looks up a service user by id. Its API key is never returned by the API. */
export async function getServiceUser(args: { serviceUserId: string }, options: LookupOptions = {}): Promise<ServiceUserInfo> {
  return runLookup("getServiceUser", args, options, async (api) => {
    const res = await api.call<ApiServiceUser>(
      { method: "GET", path: paths.serviceUser(args.serviceUserId) },
      { operation: `look up service user ${args.serviceUserId}` },
    );
    return present("ServiceUserInfo")(res.body);
  });
}

/** Lists the enterprise's active service users (expired and deleted ones are left out by the API). */
export async function getServiceUsers(options: LookupOptions = {}): Promise<ServiceUserInfo[]> {
  return runListLookup("getServiceUsers", {}, options, async (api) =>
    (await api.listAll<ApiServiceUser>(paths.serviceUsers, "list service users")).map(present("ServiceUserInfo")),
  );
}

/**
 * Lists the enterprise's direct members, or the one with an email (matched exactly, in any case).
 *
 * @example
 * const [alice] = await devin.getUsers({ email: "alice@example.com" });
 */
export async function getUsers(args: { email?: string } = {}, options: LookupOptions = {}): Promise<UserInfo[]> {
  return runListLookup("getUsers", args, options, async (api) =>
    (await api.listAll<ApiUser>(paths.users, "list users", { email: args.email })).map(present("UserInfo")),
  );
}

/** Lists the IdP groups registered with the enterprise. */
export async function getIdpGroups(options: LookupOptions = {}): Promise<IdpGroupInfo[]> {
  return runListLookup("getIdpGroups", {}, options, async (api) =>
    (await api.listAll<Pick<ApiIdpGroup, "idp_group_name">>(idpGroupPaths.idpGroups, "list IdP groups")).map(present("IdpGroupInfo")),
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
    // The older enterprise form of the endpoint has no principal_type; only service users answer it.
    return present("SelfInfo")(absentAs(res.body, { principal_type: "service_user" }));
  });
}

/** The arguments of a lookup of objects that exist in orgs and at the enterprise level (playbooks, notes). */
export interface LevelArgs {
  /** An org: its objects. Without it, the enterprise level's. */
  orgId?: string;
  /** Without `orgId`: every org's objects too, as the enterprise list shows them. */
  includeOrgs?: boolean;
}

/** The enterprise lists show every org's objects too; only `includeOrgs` keeps them. */
async function listAtLevel<A extends { access_type: string }>(
  api: DevinClient,
  args: LevelArgs,
  path: (scope: string | null) => string,
  what: string,
): Promise<A[]> {
  const all = await api.listAll<A>(path(args.orgId ?? null), `list ${what}`);
  return all.filter((x) => args.orgId || args.includeOrgs || x.access_type === "enterprise");
}

/**
 * Lists the playbooks of an org, or with no `orgId` those at the enterprise level (set `includeOrgs` for every org's
 * too, as the enterprise list shows them).
 */
export async function getPlaybooks(args: LevelArgs = {}, options: LookupOptions = {}): Promise<PlaybookInfo[]> {
  return runListLookup("getPlaybooks", args, options, async (api) =>
    (await listAtLevel<ApiPlaybook>(api, args, playbookPaths.playbooks, "playbooks")).map(present("PlaybookInfo")),
  );
}

/** Lists the knowledge notes of an org, or with no `orgId` those at the enterprise level (`includeOrgs` for all). */
export async function getKnowledgeNotes(args: LevelArgs = {}, options: LookupOptions = {}): Promise<KnowledgeNoteInfo[]> {
  return runListLookup("getKnowledgeNotes", args, options, async (api) =>
    (await listAtLevel<ApiKnowledgeNote>(api, args, knowledgeNotePaths.knowledgeNotes, "knowledge notes")).map((n) =>
      present("KnowledgeNoteInfo")(absentAs(n, { folder_path: "" })),
    ),
  );
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
    return (res.body.folders ?? []).map(present("KnowledgeFolderInfo"));
  });
}

/** Lists the schedules of an org (deleted ones are left out). */
export async function getSchedules(args: { orgId: string }, options: LookupOptions = {}): Promise<ScheduleInfo[]> {
  return runListLookup("getSchedules", args, options, async (api) => {
    const all = await api.listAllByOffset<ApiSchedule>(schedulePaths.schedules(args.orgId), "list schedules");
    return all.map((s) => present("ScheduleInfo")(absentAs(s, { schedule_type: "recurring" })));
  });
}

/** Lists the secrets of an org: keys and metadata only; the API never returns a value. */
export async function getSecrets(args: { orgId: string }, options: LookupOptions = {}): Promise<SecretInfo[]> {
  return runListLookup("getSecrets", args, options, async (api) =>
    (await api.listAll<ApiSecret>(secretPaths.secrets(args.orgId), "list secrets")).map(present("SecretInfo")),
  );
}

/** Lists the enterprise's git connections (made in the Devin app), for a GitPermission's `gitConnectionId`. */
export async function getGitConnections(options: LookupOptions = {}): Promise<GitConnectionInfo[]> {
  return runListLookup("getGitConnections", {}, options, async (api) =>
    (await api.listAll<ApiGitConnection>(paths.gitConnections, "list git connections")).map(present("GitConnectionInfo")),
  );
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
    return all.map(present("GitRepositoryInfo"));
  });
}

/** Lists an org's git permissions. */
export async function getGitPermissions(args: { orgId: string }, options: LookupOptions = {}): Promise<GitPermissionInfo[]> {
  return runListLookup("getGitPermissions", args, options, async (api) => {
    const all = await api.listAll<ApiGitPermission>(gitPermissionPaths.gitPermissions(args.orgId), "list git permissions");
    // A group is shown as a GitPermission declares it, without a trailing "/", whatever the API keeps.
    return all.map((p) =>
      present("GitPermissionInfo")(absentAs({ ...p, group_prefix: p.group_prefix?.replace(/\/+$/, "") }, { read_only: false })),
    );
  });
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
    const all = await api.listAll<ApiKey>(apiKeyPaths.apiKeys(args.serviceUserId), "list API keys", {
      status: args.status ?? "active",
    });
    return all.map((k) => present("ApiKeyInfo")(absentAs(k, { api_key_name: "", is_active: true })));
  });
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
    return entries.map((e) => present("AuditLogEntry")(absentAs(e, { data: {} })));
  });
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
    const days = (res.body.consumption_by_date ?? []).map((d) => absentAs(d, { acus_by_product: {} }));
    return present("ConsumptionInfo")({ ...absentAs(res.body, { total_acus: 0 }), consumption_by_date: days });
  });
}
