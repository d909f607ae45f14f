import { describe, expect, it } from "vitest";
import { KINDS, LOOKUPS, OBJECT_TYPES, RESOURCES, isKind } from "../../provider/schema";
import type { FieldSpec, FieldType } from "../../provider/schema";
import type { TestEmulator } from "../support/emulator";
import { useEmulator } from "../support/provider";

/**
 * Every field the API sends is either in the table that maps it or listed in its `leftOut` with why, as a provider's
 * coverage test fails when the API grows a field nobody exposed. Each family is created with every optional field
 * set, so that the emulator's presenters send all they can, and read the way the provider reads it.
 */

type Json = Record<string, unknown>;

interface Table {
  fields: readonly FieldSpec[];
  leftOut?: Readonly<Record<string, string>>;
}

/** A field the API sends that no table maps and no `leftOut` lists. */
interface Gap {
  table: string;
  /** The field's path in the API object, array indexes included. */
  path: string;
  message: string;
}

/** Tables built by a shared function: their fields and `leftOut` are written there. */
const BUILT_IN: Readonly<Record<string, string>> = {
  EnterprisePlaybook: "playbook",
  EnterpriseKnowledgeNote: "knowledgeNote",
  EnterpriseUserRole: "roleAssignment",
  OrgUserRole: "roleAssignment",
  EnterpriseIdpGroupRole: "roleAssignment",
  OrgIdpGroupRole: "roleAssignment",
  EnterpriseServiceUserRole: "roleAssignment",
  OrgServiceUserRole: "roleAssignment",
};

function tableOf(name: string): { table: Table; file: string } {
  if (isKind(name)) return { table: RESOURCES[name], file: BUILT_IN[name] ?? name[0].toLowerCase() + name.slice(1) };
  const type = OBJECT_TYPES[name];
  if (!type) throw new Error(`no table '${name}': neither a kind of RESOURCES nor a type of OBJECT_TYPES`);
  return { table: type, file: "objectTypes" };
}

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/** A field whose content is the API's own (any JSON, a map): its keys are data, not fields. */
const opaque = (type: FieldType) => type === "json" || (typeof type === "object" && "mapOf" in type);

/** The object type a field's values have, alone or in a list. */
function objectTypeOf(type: FieldType): { name: string; list: boolean } | undefined {
  if (typeof type !== "object") return undefined;
  if ("object" in type) return { name: type.object, list: false };
  if ("arrayOf" in type && typeof type.arrayOf === "object" && "object" in type.arrayOf) return { name: type.arrayOf.object, list: true };
  return undefined;
}

/**
 * The fields of an API object that `tableName` neither maps (a field's `wire` is the key, or starts with it and a dot)
 * nor lists in `leftOut`. A nested object's keys are each checked the same way, under their dotted path; a field of an
 * object type hands its value to that type's table. Request names (`requestWire`) and input-only fields cover nothing:
 * they are never in an answer.
 */
function uncovered(tableName: string, object: Json, at = ""): Gap[] {
  const { table, file } = tableOf(tableName);
  const wires = table.fields.filter((f) => f.wire !== undefined && f.output !== false);
  const leftOut = table.leftOut ?? {};
  const gaps: Gap[] = [];
  const visit = (value: Json, prefix: string) => {
    for (const [key, nested] of Object.entries(value)) {
      const path = prefix + key;
      if (Object.hasOwn(leftOut, path)) continue;
      const exact = wires.find((f) => f.wire === path);
      if (!exact && !wires.some((f) => f.wire?.startsWith(`${path}.`))) {
        gaps.push({
          table: tableName,
          path: at + path,
          message: `${tableName}: the API sends '${at + path}', which no field's wire name maps and leftOut does not list: expose it in provider/schema/${file}.ts or list it in leftOut with why`,
        });
        continue;
      }
      if (exact && opaque(exact.type)) continue;
      const typed = exact && objectTypeOf(exact.type);
      if (typed) {
        if (typed.list && Array.isArray(nested)) {
          nested.forEach((item, i) => isObject(item) && gaps.push(...uncovered(typed.name, item, `${at}${path}[${i}].`)));
        } else if (!typed.list && isObject(nested)) gaps.push(...uncovered(typed.name, nested, `${at}${path}.`));
        // Any other shape (OrgGroupLimits' groups are a map on the wire) is checked by its own coverage entry.
        continue;
      }
      if (isObject(nested)) visit(nested, `${path}.`);
    }
  };
  visit(object, "");
  return gaps;
}

/** The ids of what the fixture made, for the reads. */
interface Made {
  orgId: string;
  orgServiceUserId: string;
  enterpriseServiceUserId: string;
  userId: string;
  idpGroup: string;
  orgPlaybookId: string;
  enterprisePlaybookId: string;
  orgNoteId: string;
  enterpriseNoteId: string;
  scheduleIds: string[];
  gitConnectionId: string;
  /** Answers the provider reads once, at creation: the service users beside their tokens, the keys as issued. */
  provisioned: Json[];
  issued: Json[];
}

interface Reader {
  made: Made;
  get(path: string): Promise<Json>;
  items(path: string): Promise<Json[]>;
}

type Read = (r: Reader) => Promise<Json[]>;

const entries = (object: Json) => object.role_assignments as Json[];
const atScope = (scope: "enterprise" | "org") => (entry: Json) => (entry.org_id === null) === (scope === "enterprise");

const userRoles =
  (scope: "enterprise" | "org"): Read =>
  async (r) =>
    entries(await r.get(`/v3/enterprise/members/users/${r.made.userId}`)).filter(atScope(scope));
const serviceUserRoles =
  (scope: "enterprise" | "org"): Read =>
  async (r) =>
    entries(await r.get(`/v3/enterprise/members/service-users/${r.made.enterpriseServiceUserId}`)).filter(atScope(scope));
const idpGroupRoles =
  (scope: "enterprise" | "org"): Read =>
  async (r) =>
    entries(
      await r.get(
        scope === "enterprise"
          ? `/v3/enterprise/members/idp-groups/${r.made.idpGroup}`
          : `/v3/enterprise/organizations/${r.made.orgId}/members/idp-groups/${r.made.idpGroup}`,
      ),
    ).filter(atScope(scope));

const serviceUsers: Read = async (r) => [
  ...r.made.provisioned,
  await r.get(`/v3/enterprise/members/service-users/${r.made.orgServiceUserId}`),
  await r.get(`/v3/enterprise/members/service-users/${r.made.enterpriseServiceUserId}`),
];
const apiKeys: Read = async (r) => [
  ...(await r.items(`/v3beta1/enterprise/service-users/${r.made.orgServiceUserId}/api-keys?status=all`)),
  ...(await r.items(`/v3beta1/enterprise/service-users/${r.made.enterpriseServiceUserId}/api-keys?status=all`)),
];
const idpGroups: Read = (r) => r.items("/v3/enterprise/idp-groups");
const orgPlaybook: Read = async (r) => [await r.get(`/v3/organizations/${r.made.orgId}/playbooks/${r.made.orgPlaybookId}`)];
const enterprisePlaybook: Read = async (r) => [await r.get(`/v3/enterprise/playbooks/${r.made.enterprisePlaybookId}`)];
const orgNote: Read = async (r) => [await r.get(`/v3/organizations/${r.made.orgId}/knowledge/notes/${r.made.orgNoteId}`)];
const enterpriseNote: Read = async (r) => [await r.get(`/v3/enterprise/knowledge/notes/${r.made.enterpriseNoteId}`)];
const schedules: Read = (r) => Promise.all(r.made.scheduleIds.map((id) => r.get(`/v3/organizations/${r.made.orgId}/schedules/${id}`)));
const secrets: Read = (r) => r.items(`/v3/organizations/${r.made.orgId}/secrets`);
const gitPermissions: Read = (r) => r.items(`/v3/enterprise/organizations/${r.made.orgId}/git-providers/permissions`);
const consumption: Read = async (r) => [await r.get("/v3/enterprise/consumption/daily")];

/**
 * Each table, and the API objects the provider reads for it. A new resource type or object type needs its entry
 * here: the last test fails until it has one.
 */
const COVERAGE: Readonly<Record<string, Read>> = {
  Organization: async (r) => [await r.get(`/v3/enterprise/organizations/${r.made.orgId}`)],
  OrganizationInfo: async (r) => [
    await r.get(`/v3/enterprise/organizations/${r.made.orgId}`),
    ...(await r.items("/v3/enterprise/organizations")),
  ],
  ServiceUser: serviceUsers,
  ServiceUserInfo: async (r) => [
    await r.get(`/v3/enterprise/members/service-users/${r.made.orgServiceUserId}`),
    ...(await r.items("/v3/enterprise/members/service-users")),
  ],
  ApiKey: async (r) => [...r.made.issued, ...(await apiKeys(r))],
  ApiKeyInfo: apiKeys,
  IdpGroup: idpGroups,
  IdpGroupInfo: idpGroups,
  EnterpriseUserRole: userRoles("enterprise"),
  OrgUserRole: userRoles("org"),
  EnterpriseServiceUserRole: serviceUserRoles("enterprise"),
  OrgServiceUserRole: serviceUserRoles("org"),
  EnterpriseIdpGroupRole: idpGroupRoles("enterprise"),
  OrgIdpGroupRole: idpGroupRoles("org"),
  HeldRole: async (r) => [
    ...(await userRoles("enterprise")(r)),
    ...(await userRoles("org")(r)),
    ...(await serviceUserRoles("enterprise")(r)),
    ...(await serviceUserRoles("org")(r)),
    ...(await idpGroupRoles("enterprise")(r)),
    ...(await idpGroupRoles("org")(r)),
  ],
  RoleInfo: (r) => r.items("/v3/enterprise/roles"),
  UserInfo: (r) => r.items("/v3/enterprise/members/users"),
  SelfInfo: async (r) => [await r.get("/v3/self")],
  IpAccessList: async (r) => [await r.get("/v3/enterprise/ip-access-list")],
  OrgGroupLimits: async (r) => [await r.get("/v3/enterprise/org-group-limits")],
  // On the wire a map from each group's name to the rest of it.
  OrgGroup: async (r) => Object.values((await r.get("/v3/enterprise/org-group-limits")).groups as Record<string, Json>),
  OrgTags: async (r) => [
    await r.get(`/v3/enterprise/organizations/${r.made.orgId}/tags`),
    await r.get(`/v3/enterprise/organizations/${r.made.orgId}/tags/default`),
  ],
  Playbook: orgPlaybook,
  EnterprisePlaybook: enterprisePlaybook,
  PlaybookInfo: async (r) => [...(await orgPlaybook(r)), ...(await enterprisePlaybook(r))],
  KnowledgeNote: orgNote,
  EnterpriseKnowledgeNote: enterpriseNote,
  KnowledgeNoteInfo: async (r) => [...(await orgNote(r)), ...(await enterpriseNote(r))],
  KnowledgeFolderInfo: async (r) => (await r.get(`/v3/organizations/${r.made.orgId}/knowledge/folders`)).folders as Json[],
  Schedule: schedules,
  ScheduleInfo: schedules,
  Secret: secrets,
  SecretInfo: secrets,
  GitPermission: gitPermissions,
  GitPermissionInfo: gitPermissions,
  GitConnectionInfo: (r) => r.items("/v3/enterprise/git-providers/connections"),
  GitRepositoryInfo: (r) => r.items(`/v3/enterprise/git-providers/connections/${r.made.gitConnectionId}/repositories`),
  AuditLogEntry: (r) => r.items("/v3/enterprise/audit-logs?order=asc&first=200"),
  ConsumptionInfo: consumption,
  ConsumptionDay: async (r) => (await consumption(r)).flatMap((c) => c.consumption_by_date as Json[]),
};

/** The object types a table refers to, and those they refer to in turn. */
function reachable(names: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const f of tableOf(name).table.fields) {
      const typed = objectTypeOf(f.type);
      if (typed) visit(typed.name);
    }
  };
  for (const name of names) visit(name);
  return seen;
}

const { emu } = useEmulator();

async function ok<T = Json>(api: TestEmulator, method: string, path: string, body?: unknown): Promise<T> {
  const res = await api.call<T>(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** One object of each family, every optional field set. */
async function makeEverything(api: TestEmulator): Promise<Made> {
  const now = Math.floor(Date.now() / 1000);
  const later = (days: number) => new Date((now + days * 86_400) * 1000).toISOString().replace(/\.\d+Z$/, "Z");
  const { org_id: orgId } = await ok<{ org_id: string }>(api, "POST", "/v3/enterprise/organizations", {
    name: "Engineering",
    max_cycle_acu_limit: 500,
    max_session_acu_limit: 50,
  });

  const provisioned: Json[] = [];
  const issued: Json[] = [];
  const provision = async (path: string, roleId: string, name: string) => {
    const answer = await ok<{ service_user: Json & { service_user_id: string }; token: string }>(api, "POST", path, {
      name,
      role_id: roleId,
      ttl_seconds: 86_400,
    });
    // The provider takes the service user and its token from beside it.
    provisioned.push({ ...answer.service_user, token: answer.token });
    return answer.service_user.service_user_id;
  };
  const orgServiceUserId = await provision(`/v3beta1/organizations/${orgId}/service-users`, "org_member", "ci");
  const enterpriseServiceUserId = await provision("/v3beta1/enterprise/service-users", "account_member", "ops");
  await ok(api, "POST", `/v3/enterprise/organizations/${orgId}/members/service-users/${enterpriseServiceUserId}`, {
    role_id: "org_admin",
  });
  for (const id of [orgServiceUserId, enterpriseServiceUserId]) {
    const first = await ok<Json & { api_key_id: string }>(api, "POST", `/v3beta1/enterprise/service-users/${id}/api-keys`, {
      name: "deploy",
      expires_at: now + 30 * 86_400,
    });
    // Rotated as the ApiKey resource rotates (the old key kept), then revoked: a revocation time is sent too.
    const rotated = await ok<Json>(api, "POST", `/v3beta1/enterprise/service-users/${id}/api-keys/${first.api_key_id}/rotate`, {
      new_key_expires_at: now + 60 * 86_400,
      revoke_current: false,
    });
    await ok(api, "DELETE", `/v3beta1/enterprise/service-users/${id}/api-keys/${first.api_key_id}`);
    issued.push(first, rotated);
  }

  const seeded = await api.seed({
    users: [{ email: "alice@example.com", name: "Alice", enterpriseRoleId: "account_member", orgRoles: [{ orgId, roleId: "org_admin" }] }],
    idpUsers: [{ email: "bob@example.com", name: "Bob", groups: ["engineering"] }],
    gitConnections: [
      {
        gitProviderType: "github_app",
        name: "GitHub",
        host: "github.com",
        repositories: [{ repoPath: "acme/web", repoDescription: "The web app", repoLanguage: "TypeScript", lastUpdatedAt: now - 3600 }],
      },
    ],
    knowledgeFolders: [{ orgId, name: "Runbooks" }],
  });
  const userId = seeded.users?.[0].user_id as string;
  const gitConnectionId = seeded.gitConnections?.[0].git_connection_id as string;
  const parentFolderId = seeded.knowledgeFolders?.[0].folder_id as string;
  const child = await api.seed({ knowledgeFolders: [{ orgId, name: "Deploys", parentId: parentFolderId }] });
  const folderId = child.knowledgeFolders?.[0].folder_id as string;

  const idpGroup = "engineering";
  await ok(api, "POST", "/v3/enterprise/idp-groups", { idp_group_names: [idpGroup] });
  await ok(api, "POST", `/v3/enterprise/members/idp-groups/${idpGroup}`, { role_id: "account_member" });
  await ok(api, "POST", `/v3/enterprise/organizations/${orgId}/members/idp-groups/${idpGroup}`, { role_id: "org_member" });

  await api.ipAccessListEnforcement(false);
  await ok(api, "PUT", "/v3/enterprise/ip-access-list", { ip_ranges: ["203.0.113.0/24", "2001:db8::/32"] });
  await ok(api, "PUT", "/v3/enterprise/org-group-limits", { groups: { research: { org_ids: [orgId], max_cycle_acus: 5000 } } });
  await ok(api, "PUT", `/v3/enterprise/organizations/${orgId}/tags`, { tags: ["bugfix", "feature"] });
  await ok(api, "PUT", `/v3/enterprise/organizations/${orgId}/tags/default`, { tag: "feature" });

  const playbookBody = {
    title: "Deploy",
    body: "# Deploy\n\nRun the pipeline.",
    macro: "!deploy",
    structured_output_schema: { type: "object", properties: { ok: { type: "boolean" } } },
  };
  const orgPlaybook = await ok<{ playbook_id: string }>(api, "POST", `/v3/organizations/${orgId}/playbooks`, playbookBody);
  const enterprisePlaybook = await ok<{ playbook_id: string }>(api, "POST", "/v3/enterprise/playbooks", {
    ...playbookBody,
    macro: "!release",
  });

  const noteBody = {
    name: "Deploys",
    body: "We deploy on Tuesdays.",
    trigger: "When deploying",
    is_enabled: true,
    pinned_repo: "acme/web",
  };
  const orgNote = await ok<{ note_id: string }>(api, "POST", `/v3/organizations/${orgId}/knowledge/notes`, {
    ...noteBody,
    folder_id: folderId,
  });
  const enterpriseNote = await ok<{ note_id: string }>(api, "POST", "/v3/enterprise/knowledge/notes", noteBody);

  const scheduleBody = {
    prompt: "Upgrade our dependencies and open a PR.",
    interval_count: 2,
    agent: "data_analyst",
    notify_on: "always",
    bypass_approval: true,
    playbook_id: orgPlaybook.playbook_id,
    tags: ["feature"],
    platform: "linux",
    slack_channel_id: "C0123456",
    slack_team_id: "T0123456",
  };
  const recurring = await ok<{ scheduled_session_id: string }>(api, "POST", `/v3/organizations/${orgId}/schedules`, {
    ...scheduleBody,
    name: "Weekly upgrades",
    schedule_type: "recurring",
    frequency: "0 9 * * 1",
  });
  const oneTime = await ok<{ scheduled_session_id: string }>(api, "POST", `/v3/organizations/${orgId}/schedules`, {
    ...scheduleBody,
    name: "Release",
    schedule_type: "one_time",
    scheduled_at: later(7),
    target_devin_id: "devin-0123456789abcdef0123456789abcdef",
  });
  await ok(api, "PATCH", `/v3/organizations/${orgId}/schedules/${recurring.scheduled_session_id}`, { enabled: false });

  await ok(api, "POST", `/v3/organizations/${orgId}/secrets`, {
    type: "key-value",
    key: "NPM_TOKEN",
    value: "s3cret",
    is_sensitive: false,
    note: "The npm registry token",
  });
  await ok(api, "POST", `/v3/enterprise/organizations/${orgId}/git-providers/permissions`, {
    permissions: [
      { git_connection_id: gitConnectionId, repo_path: "acme/web", read_only: true },
      { git_connection_id: gitConnectionId, group_prefix: "acme/frontend", read_only: false },
      { git_connection_id: gitConnectionId, prefix_path: "github.com/acme", read_only: true },
    ],
  });

  return {
    orgId,
    orgServiceUserId,
    enterpriseServiceUserId,
    userId,
    idpGroup,
    orgPlaybookId: orgPlaybook.playbook_id,
    enterprisePlaybookId: enterprisePlaybook.playbook_id,
    orgNoteId: orgNote.note_id,
    enterpriseNoteId: enterpriseNote.note_id,
    scheduleIds: [recurring.scheduled_session_id, oneTime.scheduled_session_id],
    gitConnectionId,
    provisioned,
    issued,
  };
}

describe("field coverage", () => {
  it("every field the API sends is in the table that maps it, or in its leftOut", async () => {
    const api = emu();
    const made = await makeEverything(api);
    const reader: Reader = {
      made,
      get: (path) => ok<Json>(api, "GET", path),
      items: async (path) => (await ok<{ items: Json[] }>(api, "GET", path)).items,
    };
    const gaps: string[] = [];
    const empty: string[] = [];
    for (const [table, read] of Object.entries(COVERAGE)) {
      const objects = await read(reader);
      if (objects.length === 0) empty.push(table);
      for (const object of objects) gaps.push(...uncovered(table, object).map((g) => g.message));
    }
    expect(empty, "coverage entries that read no API object, so check nothing").toEqual([]);
    expect([...new Set(gaps)]).toEqual([]);
  });

  it("reports a field the table leaves unexposed, naming the table, the field and what to do", () => {
    const org = { org_id: "org-1", name: "Eng", created_at: 1, updated_at: 2, max_session_acu_limit: null, max_cycle_acu_limit: 5 };
    expect(uncovered("Organization", org)).toEqual([]);
    expect(uncovered("Organization", { ...org, region: "eu" })).toEqual([
      {
        table: "Organization",
        path: "region",
        message:
          "Organization: the API sends 'region', which no field's wire name maps and leftOut does not list: expose it in provider/schema/organization.ts or list it in leftOut with why",
      },
    ]);
    // Inside a nested object, and inside a list of an object type, whose own table answers for it.
    const schedule = (extra: Json) => ({ scheduled_session_id: "sched-1", playbook: { playbook_id: "playbook-1", title: "T", ...extra } });
    expect(uncovered("Schedule", schedule({})).map((g) => g.path)).toEqual([]);
    expect(uncovered("Schedule", schedule({ color: "red" })).map((g) => g.path)).toEqual(["playbook.color"]);
    const serviceUser = {
      service_user_id: "su-1",
      role_assignments: [{ role: { role_id: "r", role_name: "R", role_type: "org", scope: "x" }, org_id: null }],
    };
    const [gap] = uncovered("ServiceUserInfo", serviceUser);
    expect(gap).toMatchObject({ table: "HeldRole", path: "role_assignments[0].role.scope" });
    expect(gap.message).toContain("provider/schema/objectTypes.ts");
    // A request name covers nothing in an answer: OrgTags' default tag is taken as `tag`, sent as `default_tag`.
    expect(uncovered("OrgTags", { tag: "feature" }).map((g) => g.path)).toEqual(["tag"]);
    // The content of a JSON or map field is data, not fields.
    expect(uncovered("AuditLogEntry", { audit_log_id: "a", data: { anything: { at: "all" } } })).toEqual([]);
  });

  it("has a coverage entry for every resource type and every object type a lookup or a table returns", () => {
    const required = reachable([...KINDS, ...Object.values(LOOKUPS).map((l) => l.returns.object)]);
    const missing = [...required].filter((name) => !Object.hasOwn(COVERAGE, name));
    expect(
      missing.map(
        (name) => `${name}: add an entry to COVERAGE in test/provider/field-coverage.test.ts (the API objects the provider reads for it)`,
      ),
    ).toEqual([]);
    const unknown = Object.keys(COVERAGE).filter((name) => !isKind(name) && !OBJECT_TYPES[name]);
    expect(unknown, "entries that name no table").toEqual([]);
  });
});
