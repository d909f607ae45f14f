import { adoptIdField, orgIdField } from "./fields";
import type { ResourceSchema } from "./types";

/** What a schedule's string fields may be; the lifecycle checks against the same lists. */
export const SCHEDULE_TYPES = ["recurring", "one_time"] as const;
export const SCHEDULE_AGENTS = ["devin", "data_analyst"] as const;
export const SCHEDULE_NOTIFY_ON = ["always", "failure", "never"] as const;

export const schedule: ResourceSchema = {
  kind: "Schedule",
  description:
    "A scheduled Devin session in an org: recurring on a cron expression (UTC), or once at a time. The rules of each type (a valid cron expression, a future time, what applies to which) are checked at preview. Every field but the org updates in place.",
  example: `new devin.Schedule("weekly-deps", {
  orgId: eng.orgId,
  name: "Weekly dependency upgrades",
  prompt: "Upgrade our dependencies and open a PR.",
  frequency: "0 9 * * 1",
  playbookId: upgrades.playbookId,
});`,
  importId: "the schedule id, `sched-…`, of a schedule of the org",
  idOutput: "scheduleId",
  naturalKey: { of: ["orgId", "name"], describe: ([o, n]) => `the schedule name '${n}' in ${o}`, unlessAdopting: true },
  permissions: [{ method: "*", path: /^\/organizations\/[^/]+\/schedules(\/.*)?$/, permission: "ManageOrgSchedules" }],
  fields: [
    {
      name: "scheduleId",
      wire: "scheduled_session_id",
      type: "string",
      description: "The schedule id (`sched-…`), the same value as the resource id.",
    },
    orgIdField("schedule", "org_id"),
    {
      name: "name",
      wire: "name",
      type: "string",
      input: "required",
      description: "The schedule's name. pulumi-devin refuses to create a second schedule with the same name in the org.",
    },
    { name: "prompt", wire: "prompt", type: "string", input: "required", description: "What each session is asked to do." },
    {
      name: "scheduleType",
      wire: "schedule_type",
      type: "string",
      values: SCHEDULE_TYPES,
      input: "optional",
      description: '`"recurring"` (the default: runs on `frequency`) or `"one_time"` (runs once at `scheduledAt`).',
    },
    {
      name: "frequency",
      wire: "frequency",
      type: "string",
      input: "optional",
      nullable: true,
      description:
        'For a recurring schedule (required there): a standard 5-field cron expression, evaluated in UTC, such as `"0 9 * * 1"` (Mondays 09:00 UTC). Checked at preview. As an output: the cron expression; for a one-time schedule, whatever the API kept from before (it means nothing then).',
    },
    {
      name: "scheduledAt",
      wire: "scheduled_at",
      type: "string",
      input: "optional",
      nullable: true,
      description:
        'For a one-time schedule (required there): an ISO-8601 time with a timezone, in the future, such as `"2026-12-01T09:00:00Z"`. Once it has run, keep it unchanged: the schedule stays as it is. As an output: ISO-8601, as the API returns it.',
    },
    {
      name: "intervalCount",
      wire: "interval_count",
      type: "integer",
      input: "optional",
      serverDefault: true,
      description: "Run on every Nth match of the cron expression (1 or more). When omitted it is not managed (the server's default is 1).",
    },
    {
      name: "agent",
      wire: "agent",
      type: "string",
      values: SCHEDULE_AGENTS,
      input: "optional",
      serverDefault: true,
      description: '`"devin"` or `"data_analyst"`. When omitted it is not managed (the server\'s default is `"devin"`).',
    },
    {
      name: "notifyOn",
      wire: "notify_on",
      type: "string",
      values: SCHEDULE_NOTIFY_ON,
      input: "optional",
      serverDefault: true,
      description:
        'When to notify: `"always"`, `"failure"` or `"never"`. When omitted it is not managed (the server\'s default is `"failure"`).',
    },
    {
      name: "bypassApproval",
      wire: "bypass_approval",
      type: "boolean",
      input: "optional",
      serverDefault: true,
      description: "Let sessions act without approval. When omitted it is not managed (the server's default is false).",
    },
    {
      name: "enabled",
      wire: "enabled",
      type: "boolean",
      input: "optional",
      serverDefault: true,
      description: "Whether it runs. When omitted it is not managed: new schedules are enabled, and pausing it in the app is kept.",
    },
    {
      // Answers carry the playbook as an object; requests name it by `playbook_id`.
      name: "playbookId",
      wire: "playbook.playbook_id",
      requestWire: "playbook_id",
      type: "string",
      input: "optional",
      nullable: true,
      description: "A playbook the sessions follow: a Playbook's `playbookId`. Omit it for none.",
    },
    {
      name: "tags",
      wire: "tags",
      type: { arrayOf: "string" },
      input: "optional",
      nullable: true,
      description: "Session tags. Omit it (or give an empty list) for none.",
    },
    {
      name: "platform",
      wire: "platform",
      type: "string",
      input: "optional",
      nullable: true,
      description: "A platform label configured for the org; omit it for the org's default at run time.",
    },
    {
      name: "slackChannelId",
      wire: "slack_channel_id",
      type: "string",
      input: "optional",
      nullable: true,
      description: "Slack channel for the session's messages (with `slackTeamId`).",
    },
    {
      name: "slackTeamId",
      wire: "slack_team_id",
      type: "string",
      input: "optional",
      nullable: true,
      description: "Slack team for the session's messages (with `slackChannelId`).",
    },
    {
      name: "targetDevinId",
      wire: "target_devin_id",
      type: "string",
      input: "optional",
      nullable: true,
      description: "One-time schedules only: send the prompt to this existing session (`devin-…`) instead of starting one.",
    },
    adoptIdField("Manage an existing schedule of the org (`sched-…`) instead of creating one. Read only when the resource is created."),
    {
      name: "createdBy",
      wire: "created_by",
      type: "string",
      nullable: true,
      description: "Who created it (a user or service user id), or null when the API does not say.",
    },
    { name: "createdAt", wire: "created_at", type: "string", description: "Creation time, ISO-8601, as the API returns it." },
    { name: "updatedAt", wire: "updated_at", type: "string", description: "Last update time, ISO-8601, as the API returns it." },
  ],
  leftOut: {
    "playbook.title": "The playbook's own title; the schedule refers to it by `playbookId` only.",
    last_executed_at: "Run history, not configuration: it changes with every run.",
    last_error_at: "Run history, not configuration: it changes with every run.",
    last_error_message: "Run history, not configuration: it changes with every run.",
    consecutive_failures: "Run history, not configuration: it changes with every run.",
    last_edited_by: "Who last changed it, in the app or here; it changes with every update, this program's own included.",
  },
};
