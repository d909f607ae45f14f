import { apiKey } from "./apiKey";
import { gitPermission } from "./gitPermission";
import { knowledgeNote } from "./knowledgeNote";
import { organization } from "./organization";
import { playbook } from "./playbook";
import { schedule } from "./schedule";
import { secret } from "./secret";
import { serviceUser } from "./serviceUser";
import { shown } from "./fields";
import type { FieldSpec, ObjectTypeSchema } from "./types";

/** A role, as the role list shows it and as every role assignment nests it. */
const ROLE: FieldSpec[] = [
  { name: "roleId", wire: "role_id", type: "string", description: "The role id, such as `org_member`." },
  { name: "roleName", wire: "role_name", type: "string", description: "The role's name, such as `Member`." },
  {
    name: "roleType",
    wire: "role_type",
    type: "string",
    values: ["enterprise", "org"],
    description: "`enterprise` for a role held at the enterprise level, `org` for one held in an org.",
  },
];

/**
 * The object types fields and lookups refer to (`{ object: "<name>" }`): a lookup's result, a nested argument. Each
 * is `devin:index:<name>` in the package schema.
 */
export const OBJECT_TYPES: Readonly<Record<string, ObjectTypeSchema>> = {
  OrgGroup: {
    description: "A group of orgs sharing an ACU cap.",
    fields: [
      // The key of the group in the API's map, not a field of its value.
      { name: "name", type: "string", input: "required", description: "The group's name; unique among the groups." },
      {
        name: "orgIds",
        wire: "org_ids",
        type: { arrayOf: "string" },
        input: "required",
        description: "The orgs in the group (Organizations' `orgId`); an org belongs to one group at most.",
      },
      {
        name: "maxCycleAcus",
        wire: "max_cycle_acus",
        type: "integer",
        input: "optional",
        nullable: true,
        description: "ACUs the group's orgs may use together per billing cycle; leave it out for no cap.",
      },
    ],
  },
  OrganizationInfo: {
    description: "An organization as the API shows it.",
    fields: [
      ...shown(organization, {
        orgId: "The organization id (`org-` + 32 hex).",
        name: "Display name. Devin does not keep names unique.",
        acuLimit: "Per-billing-cycle ACU cap (`max_cycle_acu_limit`); 0 blocks usage; null when there is none.",
        maxSessionAcuLimit: "Per-session ACU cap (`max_session_acu_limit`); null when there is none.",
        createdAt: "Creation time, unix seconds.",
        updatedAt: "Last update time, unix seconds.",
      }),
    ],
  },

  RoleInfo: {
    description: "A role of the enterprise: what the `role` of every resource accepts, by its id or its name.",
    fields: ROLE,
  },

  HeldRole: {
    description: "A role held at a scope: `orgId` null is the enterprise.",
    fields: [
      // The API nests the role: `{ role: { role_id, ... }, org_id }`.
      ...ROLE.map((f) => ({ ...f, wire: `role.${f.wire}` })),
      { name: "orgId", wire: "org_id", type: "string", nullable: true, description: "The org it is held in; null for the enterprise." },
    ],
  },

  ServiceUserInfo: {
    description: "A service user as the API shows it. Its API key is never returned by the API.",
    fields: [
      ...shown(serviceUser, {
        serviceUserId: "The service user id (`service-user-` + 32 hex).",
        name: "Display name.",
        expiresAt: "When the service user expires, unix seconds; null when it does not.",
      }),
      {
        name: "roles",
        wire: "role_assignments",
        type: { arrayOf: { object: "HeldRole" } },
        description: "Its roles, each with the scope it is held at.",
      },
    ],
    leftOut: {
      deleted_at: "Set only on a deleted service user, which the lists leave out and a program has no use for.",
    },
  },

  UserInfo: {
    description: "A direct member of the enterprise.",
    fields: [
      { name: "userId", wire: "user_id", type: "string", description: "The user id (`user-` + 32 hex)." },
      { name: "email", wire: "email", type: "string", nullable: true, description: "The user's email, or null." },
      { name: "name", wire: "name", type: "string", nullable: true, description: "The user's name, or null." },
      {
        name: "roles",
        wire: "role_assignments",
        type: { arrayOf: { object: "HeldRole" } },
        description: "Direct roles, each with the scope it is held at; not those inherited from IdP groups.",
      },
    ],
  },

  IdpGroupInfo: {
    description: "An IdP group registered with the enterprise.",
    fields: [{ name: "name", wire: "idp_group_name", type: "string", description: "The group's name, as the IdP sends it." }],
    leftOut: {
      role_assignments:
        "The lookup finds the registered names; a group's roles are declared with EnterpriseIdpGroupRole and OrgIdpGroupRole.",
    },
  },

  SelfInfo: {
    description: "Who the token is.",
    fields: [
      {
        name: "principalType",
        wire: "principal_type",
        type: "string",
        description: "What kind of principal it is; `service_user` when the API does not say (its older enterprise form).",
      },
      {
        name: "serviceUserId",
        wire: "service_user_id",
        type: "string",
        nullable: true,
        description: "The token's service user id, or null.",
      },
      {
        name: "serviceUserName",
        wire: "service_user_name",
        type: "string",
        nullable: true,
        description: "The token's service user name, or null.",
      },
      { name: "orgId", wire: "org_id", type: "string", nullable: true, description: "The org of an org-scoped token, or null." },
    ],
  },

  PlaybookInfo: {
    description: "A playbook of an org, or of the enterprise level: reusable instructions for sessions.",
    fields: [
      ...shown(playbook, {
        playbookId: "The playbook id (`playbook-…`).",
        title: "The title.",
        body: "The instructions, in Markdown.",
        macro: "The macro that invokes it in a session, such as `!deploy`; null for none.",
        createdAt: "Creation time, unix seconds.",
        updatedAt: "Last update time, unix seconds.",
      }),
      { name: "accessType", wire: "access_type", type: "string", description: '"org" or "enterprise".' },
      {
        name: "orgId",
        wire: "org_id",
        type: "string",
        nullable: true,
        description: "The org of an org playbook; null at the enterprise level.",
      },
    ],
    leftOut: {
      created_by: "Who created it is for the audit log (getAuditLogs); a program refers to a playbook by id, title or macro.",
      updated_by: "Who last changed it is for the audit log (getAuditLogs).",
      structured_output_schema: "Declared with a Playbook resource, whose outputs show it; the lookup lists what a program refers to.",
    },
  },

  KnowledgeNoteInfo: {
    description: "A knowledge note of an org, or of the enterprise level.",
    fields: [
      ...shown(knowledgeNote, {
        noteId: "The note id (`note-…`).",
        name: "The note's name.",
        body: "What Devin should know.",
        trigger: "When Devin should recall it, in words.",
        folderId: "The folder it sits in; null at the root.",
        folderPath: 'The folder\'s path from the root, such as "Runbooks/Deploys"; `""` at the root (and when the API does not say).',
        pinnedRepo: "A repository the note is pinned to, such as `acme/web`; null for none.",
        isEnabled: "Whether sessions use it.",
      }),
      { name: "accessType", wire: "access_type", type: "string", description: '"org" or "enterprise".' },
      {
        name: "orgId",
        wire: "org_id",
        type: "string",
        nullable: true,
        description: "The org of an org note; null at the enterprise level.",
      },
    ],
    leftOut: {
      created_at: "Not needed to refer to a note; a managed KnowledgeNote's outputs show it.",
      updated_at: "Not needed to refer to a note; a managed KnowledgeNote's outputs show it.",
      macro: "Set by the server; a managed KnowledgeNote's outputs show it.",
    },
  },

  KnowledgeFolderInfo: {
    description: "A knowledge folder of an org, or of the enterprise level. Folders are made in the Devin app.",
    fields: [
      { name: "folderId", wire: "folder_id", type: "string", description: "The folder id, for a KnowledgeNote's `folderId`." },
      { name: "name", wire: "name", type: "string", description: "The folder's own name." },
      { name: "path", wire: "path", type: "string", description: 'The names from the root down, such as "Runbooks/Deploys".' },
      { name: "noteCount", wire: "note_count", type: "integer", description: "How many notes it holds." },
      {
        name: "parentFolderId",
        wire: "parent_folder_id",
        type: "string",
        nullable: true,
        description: "The folder it sits in; null at the root.",
      },
    ],
  },

  ScheduleInfo: {
    description: "A scheduled Devin session of an org: recurring on a cron expression (UTC), or once at a time.",
    fields: [
      ...shown(schedule, {
        scheduleId: "The schedule id (`sched-…`).",
        name: "The schedule's name.",
        prompt: "What each session is asked to do.",
        scheduleType:
          '`"recurring"` (runs on `frequency`) or `"one_time"` (runs once at `scheduledAt`); `"recurring"` when the API does not say.',
        frequency: "The cron expression of a recurring schedule (5 fields, UTC), or null.",
        scheduledAt: "When a one-time schedule runs, ISO-8601 as the API returns it, or null.",
        enabled: "Whether it runs.",
        playbookId: "The playbook the sessions follow; null for none.",
      }),
      {
        name: "lastExecutedAt",
        wire: "last_executed_at",
        type: "string",
        nullable: true,
        description: "When it last ran, ISO-8601 as the API returns it; null if it has not run.",
      },
    ],
    leftOut: {
      org_id: "The lookup is of one org, which its `orgId` names.",
      "playbook.title": "The playbook is named by `playbookId`; getPlaybooks gives its title.",
      created_by: "Not needed to refer to a schedule; a managed Schedule's outputs show it.",
      created_at: "Not needed to refer to a schedule; a managed Schedule's outputs show it.",
      updated_at: "Not needed to refer to a schedule; a managed Schedule's outputs show it.",
      last_edited_by: "Who last changed it is for the audit log (getAuditLogs).",
      last_error_at: "Run history, not the schedule's settings.",
      last_error_message: "Run history, not the schedule's settings.",
      consecutive_failures: "Run history, not the schedule's settings.",
      notify_on: "A setting a managed Schedule declares and shows; the lookup lists what a program refers to.",
      agent: "A setting a managed Schedule declares and shows; the lookup lists what a program refers to.",
      interval_count: "A setting a managed Schedule declares and shows; the lookup lists what a program refers to.",
      bypass_approval: "A setting a managed Schedule declares and shows; the lookup lists what a program refers to.",
      tags: "A setting a managed Schedule declares and shows; the lookup lists what a program refers to.",
      platform: "A setting a managed Schedule declares and shows; the lookup lists what a program refers to.",
      slack_channel_id: "A setting a managed Schedule declares and shows; the lookup lists what a program refers to.",
      slack_team_id: "A setting a managed Schedule declares and shows; the lookup lists what a program refers to.",
      target_devin_id: "A setting a managed Schedule declares and shows; the lookup lists what a program refers to.",
    },
  },

  SecretInfo: {
    description: "What the API shows of a secret: never its value.",
    fields: [
      ...shown(secret, {
        secretId: "The secret id (`secret-…`).",
        type: '`"key-value"`, `"cookie"` or `"totp"` (`secret_type`).',
        isSensitive: "Whether the app hides the value.",
        note: "A note for people, or null.",
        createdAt: "Creation time, unix seconds.",
      }),
      {
        name: "key",
        wire: "key",
        type: "string",
        nullable: true,
        description: "The environment variable sessions read it from, such as `NPM_TOKEN`; null when it has none.",
      },
      { name: "accessType", wire: "access_type", type: "string", description: '"org" or "personal".' },
    ],
    leftOut: {
      created_by: "Who created it is for the audit log (getAuditLogs).",
      updated_at: "Secrets are never updated in place (a change replaces them).",
      updated_by: "Secrets are never updated in place (a change replaces them).",
    },
  },

  GitConnectionInfo: {
    description: "A git connection of the enterprise. Connections are made in the Devin app.",
    fields: [
      {
        name: "gitConnectionId",
        wire: "git_connection_id",
        type: "string",
        description: "The connection id, for a GitPermission's `gitConnectionId`.",
      },
      { name: "gitProviderType", wire: "git_provider_type", type: "string", description: "The git provider, such as `github`." },
      { name: "name", wire: "name", type: "string", nullable: true, description: "The connection's name, or null." },
      { name: "host", wire: "host", type: "string", description: "The git host, such as `github.com`." },
    ],
    leftOut: { created_at: "Not needed to refer to a connection." },
  },

  GitRepositoryInfo: {
    description: "A repository a git connection can see.",
    fields: [
      {
        name: "providerRepositoryId",
        wire: "provider_repository_id",
        type: "string",
        description: "The repository's id at the git provider.",
      },
      { name: "gitConnectionId", wire: "git_connection_id", type: "string", description: "The git connection it is seen through." },
      { name: "repoName", wire: "repo_name", type: "string", description: "The repository's name, such as `web`." },
      {
        name: "repoPath",
        wire: "repo_path",
        type: "string",
        description: "Its path, such as `acme/web`: what a GitPermission's `repoPath` takes.",
      },
      { name: "repoDescription", wire: "repo_description", type: "string", nullable: true, description: "Its description, or null." },
      { name: "repoLanguage", wire: "repo_language", type: "string", nullable: true, description: "Its main language, or null." },
      {
        name: "lastUpdatedAt",
        wire: "last_updated_at",
        type: "integer",
        nullable: true,
        description: "When it last changed, unix seconds, or null.",
      },
    ],
    leftOut: { git_connection_host: "The connection's host, which getGitConnections gives." },
  },

  GitPermissionInfo: {
    description:
      "An org's permission on repositories of a git connection: one repository (`repoPath`), a group (`groupPrefix`) or a path prefix (`prefixPath`); exactly one is set.",
    fields: [
      ...shown(gitPermission, {
        gitPermissionId: "The permission id (`git-permission-…`).",
        gitConnectionId: "The git connection it applies to.",
        repoPath: "One repository, such as `acme/web`, or null.",
        groupPrefix: "Every repository in a group, such as `acme/frontend`, without a trailing `/`; or null.",
        prefixPath: "Every repository whose path starts with it, host included, such as `github.com/acme`; or null.",
        readOnly: "Read-only access; false when the API does not say.",
      }),
    ],
    leftOut: { created_at: "Not needed to refer to a permission; a managed GitPermission's outputs show it." },
  },

  ApiKeyInfo: {
    description: "What the API shows of a service user's API key: never its token.",
    fields: [
      ...shown(apiKey, {
        apiKeyId: "The key id (`api-key-…`), for an ApiKey's `adoptId`.",
        name: 'The key\'s name; `""` when it has none.',
        createdAt: "When it was created, unix seconds.",
        expiresAt: "When it expires, unix seconds; null if never.",
      }),
      {
        name: "isActive",
        wire: "is_active",
        type: "boolean",
        description: "Whether it works: neither revoked nor expired (true when the API does not say).",
      },
      {
        name: "revokedAt",
        wire: "revoked_at",
        type: "integer",
        nullable: true,
        description: "When it was revoked, unix seconds; null if it was not.",
      },
    ],
    leftOut: { last_used_at: "Changes with every use; a program has no use for it." },
  },

  AuditLogEntry: {
    description: "One entry of the enterprise's audit log.",
    fields: [
      { name: "auditLogId", wire: "audit_log_id", type: "string", description: "The entry's id." },
      {
        name: "action",
        wire: "action",
        type: "string",
        description: "What happened: create_org, update_org, delete_org, create_service_user, rotate_service_user_api_key, ...",
      },
      { name: "createdAt", wire: "created_at", type: "integer", description: "Unix seconds." },
      { name: "orgId", wire: "org_id", type: "string", nullable: true, description: "The org it happened in, or null." },
      {
        name: "serviceUserId",
        wire: "service_user_id",
        type: "string",
        nullable: true,
        description: "Who did it, when a service user did: its id; null otherwise.",
      },
      {
        name: "serviceUserName",
        wire: "service_user_name",
        type: "string",
        nullable: true,
        description: "Who did it, when a service user did: its name; null otherwise.",
      },
      {
        name: "userId",
        wire: "user_id",
        type: "string",
        nullable: true,
        description: "Who did it, when a user did: its id; null otherwise.",
      },
      {
        name: "userEmail",
        wire: "user_email",
        type: "string",
        nullable: true,
        description: "Who did it, when a user did: its email; null otherwise.",
      },
      {
        name: "data",
        wire: "data",
        type: { mapOf: "json" },
        description: "The action's details, as the API gives them; `{}` when it gives none.",
      },
    ],
  },

  ConsumptionInfo: {
    description: "ACUs consumed, in total and by day.",
    fields: [
      {
        name: "totalAcus",
        wire: "total_acus",
        type: "number",
        description: "ACUs consumed in the whole window; 0 when the API does not say.",
      },
      {
        name: "days",
        wire: "consumption_by_date",
        type: { arrayOf: { object: "ConsumptionDay" } },
        description: "Each day of the window with its ACUs; empty when the API gives none.",
      },
    ],
  },

  ConsumptionDay: {
    description: "ACUs consumed on one day.",
    fields: [
      { name: "date", wire: "date", type: "integer", description: "The day's start, unix seconds." },
      { name: "acus", wire: "acus", type: "number", description: "ACUs consumed that day." },
      {
        name: "acusByProduct",
        wire: "acus_by_product",
        type: { mapOf: "number" },
        description: "The day's ACUs by product, such as `devin`; `{}` when the API gives none.",
      },
    ],
  },
};
