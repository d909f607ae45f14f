import type { FieldSpec, LookupSchema } from "./types";

/**
 * The lookups: reads of what exists, for a program to refer to. Each returns an object type of `objectTypes.ts` (or a
 * list of them); their arguments are not on the wire as fields (they become the path or the query of the request).
 */

const orgOf = (what: string, required: boolean): FieldSpec => ({
  name: "orgId",
  type: "string",
  input: required ? "required" : "optional",
  description: required
    ? `The org (an Organization's \`orgId\`) whose ${what} to list.`
    : `The org (an Organization's \`orgId\`) whose ${what} to list; omit it for those at the enterprise level.`,
});

const includeOrgs = (what: string): FieldSpec => ({
  name: "includeOrgs",
  type: "boolean",
  input: "optional",
  description: `With no \`orgId\`: every org's ${what} too, as the enterprise list shows them.`,
});

export const lookups = {
  getOrganization: {
    name: "getOrganization",
    description: "Looks up an existing organization by id, or by name (which must then be unique).",
    exactlyOne: true,
    args: [
      { name: "orgId", type: "string", input: "optional", description: "The organization id (`org-…`). Give it or `name`, not both." },
      {
        name: "name",
        type: "string",
        input: "optional",
        description: "The organization's name, which exactly one organization must have. Give it or `orgId`, not both.",
      },
    ],
    returns: { object: "OrganizationInfo" },
    example: `const legacy = await devin.getOrganization({ name: "Legacy" });`,
  },
  getOrganizations: {
    name: "getOrganizations",
    description: "Lists every organization of the enterprise.",
    args: [],
    returns: { object: "OrganizationInfo", list: true },
    example: `const names = (await devin.getOrganizations()).map((o) => o.name);`,
  },
  getRoles: {
    name: "getRoles",
    description: "Lists the enterprise's roles: the names and ids the `role` of every resource accepts.",
    args: [],
    returns: { object: "RoleInfo", list: true },
    example: `const orgRoles = (await devin.getRoles()).filter((r) => r.roleType === "org");`,
  },
  getServiceUser: {
    name: "getServiceUser",
    description: "Looks up a service user by id. Its API key is never returned by the API.",
    args: [{ name: "serviceUserId", type: "string", input: "required", description: "The service user id (`service-user-…`)." }],
    returns: { object: "ServiceUserInfo" },
    example: `const ci = await devin.getServiceUser({ serviceUserId });`,
  },
  getServiceUsers: {
    name: "getServiceUsers",
    description: "Lists the enterprise's active service users (expired and deleted ones are left out by the API).",
    args: [],
    returns: { object: "ServiceUserInfo", list: true },
    example: `const names = (await devin.getServiceUsers()).map((s) => s.name);`,
  },
  getUsers: {
    name: "getUsers",
    description: "Lists the enterprise's direct members, or the one with an email (matched exactly, in any case).",
    args: [
      { name: "email", type: "string", input: "optional", description: "Only the member with this email, matched exactly, in any case." },
    ],
    returns: { object: "UserInfo", list: true },
    example: `const [alice] = await devin.getUsers({ email: "alice@example.com" });`,
  },
  getIdpGroups: {
    name: "getIdpGroups",
    description: "Lists the IdP groups registered with the enterprise.",
    args: [],
    returns: { object: "IdpGroupInfo", list: true },
    example: `const groups = (await devin.getIdpGroups()).map((g) => g.name);`,
  },
  getSelf: {
    name: "getSelf",
    description: "Who the configured token is: its service user, and its org when it is org-scoped.",
    args: [],
    returns: { object: "SelfInfo" },
    example: `const { orgId } = await devin.getSelf();`,
  },
  getPlaybooks: {
    name: "getPlaybooks",
    description:
      "Lists the playbooks of an org, or with no `orgId` those at the enterprise level (set `includeOrgs` for every org's too, as the enterprise list shows them).",
    args: [orgOf("playbooks", false), includeOrgs("playbooks")],
    returns: { object: "PlaybookInfo", list: true },
    example: `const deploy = (await devin.getPlaybooks({ orgId })).find((p) => p.macro === "!deploy");`,
  },
  getKnowledgeNotes: {
    name: "getKnowledgeNotes",
    description: "Lists the knowledge notes of an org, or with no `orgId` those at the enterprise level (`includeOrgs` for all).",
    args: [orgOf("knowledge notes", false), includeOrgs("knowledge notes")],
    returns: { object: "KnowledgeNoteInfo", list: true },
    example: `const names = (await devin.getKnowledgeNotes({ orgId })).map((n) => n.name);`,
  },
  getKnowledgeFolders: {
    name: "getKnowledgeFolders",
    description:
      "Lists the knowledge folders of an org (or of the enterprise level), for a KnowledgeNote's `folderId`. Folders are made in the Devin app.",
    args: [orgOf("knowledge folders", false)],
    returns: { object: "KnowledgeFolderInfo", list: true },
    example: `const runbooks = (await devin.getKnowledgeFolders({ orgId })).find((f) => f.path === "Runbooks");`,
  },
  getSchedules: {
    name: "getSchedules",
    description: "Lists the schedules of an org (deleted ones are left out).",
    args: [orgOf("schedules", true)],
    returns: { object: "ScheduleInfo", list: true },
    example: `const paused = (await devin.getSchedules({ orgId })).filter((s) => !s.enabled);`,
  },
  getSecrets: {
    name: "getSecrets",
    description: "Lists the secrets of an org: keys and metadata only; the API never returns a value.",
    args: [orgOf("secrets", true)],
    returns: { object: "SecretInfo", list: true },
    example: `const keys = (await devin.getSecrets({ orgId })).map((s) => s.key);`,
  },
  getGitConnections: {
    name: "getGitConnections",
    description: "Lists the enterprise's git connections (made in the Devin app), for a GitPermission's `gitConnectionId`.",
    args: [],
    returns: { object: "GitConnectionInfo", list: true },
    example: `const [github] = await devin.getGitConnections();`,
  },
  getGitRepositories: {
    name: "getGitRepositories",
    description: "Lists the repositories a git connection can see, optionally only those whose name matches `nameFilter`.",
    args: [
      {
        name: "gitConnectionId",
        type: "string",
        input: "required",
        description: "The git connection (a `gitConnectionId` from getGitConnections).",
      },
      { name: "nameFilter", type: "string", input: "optional", description: "Only the repositories whose name matches it." },
    ],
    returns: { object: "GitRepositoryInfo", list: true },
    example: `const repos = await devin.getGitRepositories({ gitConnectionId: github.gitConnectionId, nameFilter: "web" });`,
  },
  getGitPermissions: {
    name: "getGitPermissions",
    description: "Lists an org's git permissions.",
    args: [orgOf("git permissions", true)],
    returns: { object: "GitPermissionInfo", list: true },
    example: `const paths = (await devin.getGitPermissions({ orgId })).map((p) => p.repoPath ?? p.groupPrefix ?? p.prefixPath);`,
  },
  getApiKeys: {
    name: "getApiKeys",
    description:
      "Lists a service user's API keys (by default only the active ones), for an ApiKey's `adoptId`: a ServiceUser's initial key, say.",
    args: [
      { name: "serviceUserId", type: "string", input: "required", description: "The service user whose keys to list." },
      {
        name: "status",
        type: "string",
        values: ["active", "revoked", "expired", "all"],
        input: "optional",
        description: "Which keys: `active` (the default), `revoked`, `expired` or `all`.",
      },
    ],
    returns: { object: "ApiKeyInfo", list: true },
    example: `const [initial] = await devin.getApiKeys({ serviceUserId });`,
  },
  getAuditLogs: {
    name: "getAuditLogs",
    description:
      "Lists audit log entries, oldest first: of the enterprise, or of one org; from `after` (unix seconds, inclusive) to `before`, optionally of one `action`. A window longer than the API's 100 days is read in several requests.",
    args: [
      { name: "after", type: "integer", input: "optional", description: "From this time, unix seconds, inclusive." },
      { name: "before", type: "integer", input: "optional", description: "Up to this time, unix seconds; read only with `after`." },
      { name: "action", type: "string", input: "optional", description: "Only the entries of this action, such as `update_org`." },
      { name: "orgId", type: "string", input: "optional", description: "Only the entries of this org; omit it for the whole enterprise." },
    ],
    returns: { object: "AuditLogEntry", list: true },
    example: `// What a \`pulumi up\` did: every entry since it started.
const entries = await devin.getAuditLogs({ after: startedAt });`,
  },
  getConsumption: {
    name: "getConsumption",
    description: "ACUs consumed between `from` and `to` (unix seconds): by the enterprise, or by one org.",
    args: [
      { name: "orgId", type: "string", input: "optional", description: "The org; omit it for the whole enterprise." },
      { name: "from", type: "integer", input: "required", description: "The window's start, unix seconds." },
      { name: "to", type: "integer", input: "required", description: "The window's end, unix seconds." },
    ],
    returns: { object: "ConsumptionInfo" },
    example: `const lastWeek = await devin.getConsumption({ orgId: eng, from: now - 7 * 86400, to: now });`,
  },
} as const satisfies Record<string, LookupSchema>;
