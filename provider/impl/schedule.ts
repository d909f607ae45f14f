import { SCHEDULE_AGENTS, SCHEDULE_NOTIFY_ON, SCHEDULE_TYPES, schedule as table } from "../schema/schedule";
import { seg } from "./api";
import {
  checkBoolean,
  checkId,
  checkOneOf,
  checkOptionalText,
  checkRequiredOrgId,
  checkText,
  checkTextList,
  failures,
  type CheckFailure,
} from "./check";
import type { DevinClient } from "./client";
import { cronProblem, parseIsoTime } from "./cron";
import { duplicateObjectError } from "./errors";
import { managedNames, named, objectId, objectLifecycle, requestBody, type CommonOutputs, type Comparison } from "./objectLifecycle";
import { defined, isUnknown } from "./values";

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

export const schedulePaths = {
  /** Scheduled sessions; the list pages by `limit` and `offset`, not by cursor. */
  schedules: (orgId: string) => `/v3/organizations/${seg(orgId)}/schedules`,
  schedule: (orgId: string, scheduleId: string) => `/v3/organizations/${seg(orgId)}/schedules/${seg(scheduleId)}`,
} as const;

/**
 * A scheduled session in an org, recurring (a cron expression, UTC) or one-time (a time in the future). The API is
 * unlike the other families here: ISO-8601 timestamps, offset pagination, soft delete, a create that ignores
 * `enabled` (a disabled schedule takes a follow-up PATCH), a merge PATCH (omitted = unchanged, null = cleared), and a
 * `scheduled_at` that must be in the future whenever it is sent, so an update sends it only when it changed.
 */

export interface ScheduleInputs {
  orgId: string;
  name: string;
  prompt: string;
  /** Filled in by check: "recurring" when left out. */
  scheduleType: (typeof SCHEDULE_TYPES)[number];
  frequency?: string;
  scheduledAt?: string;
  intervalCount?: number;
  agent?: (typeof SCHEDULE_AGENTS)[number];
  notifyOn?: (typeof SCHEDULE_NOTIFY_ON)[number];
  bypassApproval?: boolean;
  enabled?: boolean;
  playbookId?: string;
  tags?: string[];
  platform?: string;
  slackChannelId?: string;
  slackTeamId?: string;
  targetDevinId?: string;
  adoptId?: string;
}

export interface ScheduleOutputs extends CommonOutputs {
  scheduleId: string;
  orgId: string;
  name: string;
  prompt: string;
  scheduleType: string;
  frequency: string | null;
  scheduledAt: string | null;
  intervalCount: number;
  agent: string;
  notifyOn: string;
  bypassApproval: boolean;
  enabled: boolean;
  playbookId: string | null;
  tags: string[] | null;
  platform: string | null;
  slackChannelId: string | null;
  slackTeamId: string | null;
  targetDevinId: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

const isOneTime = (x: Partial<ScheduleInputs>) => x.scheduleType === "one_time";
/** `Z` and `+00:00` are the same instant. */
const sameInstant = (a: unknown, b: unknown) =>
  a === b || (typeof a === "string" && typeof b === "string" && parseIsoTime(a) !== undefined && parseIsoTime(a) === parseIsoTime(b));
/** No tags and an empty list are the same. */
const tagsOrNull = (v: unknown) => (Array.isArray(v) && v.length === 0 ? null : (v ?? null));
const sameTags = (a: unknown, b: unknown) => JSON.stringify(tagsOrNull(a)) === JSON.stringify(tagsOrNull(b));

const COMPARE: Partial<Record<keyof ScheduleInputs, Comparison<ScheduleInputs>>> = {
  // A schedule switched to one-time keeps its old frequency in the API's answers; it means nothing then.
  frequency: { appliesTo: (x) => !isOneTime(x) },
  scheduledAt: { appliesTo: isOneTime, same: sameInstant },
  tags: { same: sameTags },
};

/** The arguments the program manages, in the table's order. */
const MANAGED = managedNames(table) as (keyof ScheduleInputs)[];

function checkWhen(olds: Partial<ScheduleInputs>, news: Partial<ScheduleInputs>): CheckFailure[] {
  const type = news.scheduleType ?? "recurring";
  if (isUnknown(type)) return [];
  const found: [string, string | undefined][] = [];
  if (type === "recurring") {
    const f = news.frequency;
    if (f === undefined || f === null)
      found.push([
        "frequency",
        "frequency is required for a recurring schedule: a cron expression in UTC such as '0 9 * * 1' (Mondays 09:00 UTC). For a single run, set scheduleType: 'one_time' and scheduledAt.",
      ]);
    else if (!isUnknown(f))
      found.push(["frequency", typeof f === "string" ? cronProblem(f) : "frequency must be a cron expression string such as '0 9 * * 1'."]);
    if (news.scheduledAt !== undefined && news.scheduledAt !== null)
      found.push([
        "scheduledAt",
        "scheduledAt applies only to a one-time schedule: set scheduleType: 'one_time' (and remove frequency), or remove scheduledAt.",
      ]);
    if (news.targetDevinId !== undefined && news.targetDevinId !== null)
      found.push([
        "targetDevinId",
        "targetDevinId (send the prompt to an existing session) applies only to a one-time schedule; remove it, or set scheduleType: 'one_time'.",
      ]);
  } else if (type === "one_time") {
    if (news.frequency !== undefined && news.frequency !== null)
      found.push([
        "frequency",
        "frequency does not apply to a one-time schedule, which runs once at scheduledAt; remove it, or set scheduleType: 'recurring'.",
      ]);
    const at = news.scheduledAt;
    if (at === undefined || at === null)
      found.push([
        "scheduledAt",
        "scheduledAt is required for a one-time schedule: an ISO-8601 time with a timezone, such as '2026-12-01T09:00:00Z'.",
      ]);
    else if (!isUnknown(at)) {
      const ms = typeof at === "string" ? parseIsoTime(at) : undefined;
      if (ms === undefined)
        found.push([
          "scheduledAt",
          `scheduledAt must be an ISO-8601 time with a timezone, such as '2026-12-01T09:00:00Z' (got '${String(at)}').`,
        ]);
      // The API refuses a time in the past whenever it is sent, and an update sends it only when it changed: a
      // one-time schedule that already ran stays valid as long as its time stays the same.
      else if (ms <= Date.now() && !(isOneTime(olds) && sameInstant(olds.scheduledAt, at)))
        found.push(["scheduledAt", `scheduledAt '${at}' is in the past; the API takes only a future time for a one-time schedule.`]);
    }
  }
  return failures(found);
}

function checkSchedule(olds: Partial<ScheduleInputs>, news: Partial<ScheduleInputs>): CheckFailure[] {
  const count = news.intervalCount;
  return [
    ...failures([
      ["orgId", checkRequiredOrgId(news.orgId, "the schedule")],
      ["name", checkText("name", news.name, "the schedule's name")],
      ["prompt", checkText("prompt", news.prompt, "what the session should do")],
      ["scheduleType", checkOneOf("scheduleType", news.scheduleType, SCHEDULE_TYPES)],
      [
        "intervalCount",
        count === undefined || count === null || isUnknown(count) || (Number.isSafeInteger(count) && count >= 1)
          ? undefined
          : `intervalCount must be a whole number, 1 or more: run every Nth time the cron expression matches (got ${JSON.stringify(count)}).`,
      ],
      ["agent", checkOneOf("agent", news.agent, SCHEDULE_AGENTS)],
      ["notifyOn", checkOneOf("notifyOn", news.notifyOn, SCHEDULE_NOTIFY_ON)],
      ["bypassApproval", checkBoolean("bypassApproval", news.bypassApproval)],
      ["enabled", checkBoolean("enabled", news.enabled)],
      ["playbookId", checkId("playbookId", news.playbookId, "playbook")],
      ["platform", checkOptionalText("platform", news.platform, "a platform label configured for the org")],
      ["slackChannelId", checkOptionalText("slackChannelId", news.slackChannelId, "a Slack channel id")],
      ["slackTeamId", checkOptionalText("slackTeamId", news.slackTeamId, "a Slack team id")],
      ["targetDevinId", checkId("targetDevinId", news.targetDevinId, "devin")],
    ]),
    ...checkTextList("tags", news.tags, "['nightly']"),
    ...checkWhen(olds, news),
  ];
}

/** The body fields for `names`, from the inputs; a field left out is sent as null (cleared), except `tags: []`. */
function wireBody(inputs: ScheduleInputs, names: string[]): Record<string, unknown> {
  const values = names.map((name) => {
    const value = (inputs as unknown as Record<string, unknown>)[name];
    return [name, name === "tags" ? tagsOrNull(value) : (value ?? null)];
  });
  return requestBody(table, Object.fromEntries(values), names);
}

async function patch(
  client: DevinClient,
  orgId: string,
  id: string,
  body: Record<string, unknown>,
  operation: string,
): Promise<ApiSchedule> {
  return (await client.call<ApiSchedule>({ method: "PATCH", path: schedulePaths.schedule(orgId, id), body }, { operation })).body;
}

export const schedule = objectLifecycle<ScheduleInputs, ApiSchedule, ScheduleOutputs>({
  table,
  noun: "schedule",
  idPrefix: "sched",
  compare: COMPARE,
  describe: (inputs) => `schedule '${inputs.name}' in ${inputs.orgId}`,
  check: (olds, news) => ({
    inputs: defined({
      ...Object.fromEntries(MANAGED.map((name) => [name, news[name] ?? undefined])),
      scheduleType: news.scheduleType ?? "recurring",
      tags: Array.isArray(news.tags) && news.tags.length === 0 ? undefined : news.tags,
    }) as ScheduleInputs,
    failures: checkSchedule(olds, news),
  }),
  // Times are ISO-8601 here.
  createdAt: (s) => Math.floor(Date.parse(s.createdAt as string) / 1000),
  sameKey: async (client, inputs, operation) =>
    (await client.listAllByOffset<ApiSchedule>(schedulePaths.schedules(inputs.orgId), operation)).filter(
      (s) => named(table, s).name === inputs.name,
    ),
  get: async (client, scope, id, operation) => {
    return client.find<ApiSchedule>(schedulePaths.schedule(scope as string, id), operation);
  },
  refuse: (ids, inputs, operation) =>
    duplicateObjectError(operation, `a schedule named '${inputs.name}' in ${inputs.orgId}`, ids, "Schedule"),
  post: (inputs) => {
    // What the create takes: no `enabled`, and only the fields that apply to the schedule's type.
    const sent = MANAGED.filter(
      (name) => name !== "orgId" && name !== "enabled" && (COMPARE[name]?.appliesTo?.(inputs) ?? true) && inputs[name] !== undefined,
    );
    return { method: "POST", path: schedulePaths.schedules(inputs.orgId), body: wireBody(inputs, sent) };
  },
  afterCreate: async (client, live, inputs, operation) =>
    inputs.enabled === false && named(table, live).enabled
      ? patch(client, inputs.orgId, objectId(table, live), wireBody(inputs, ["enabled"]), `${operation}: disable it`)
      : live,
  update: (client, id, olds, news, changed, operation) => {
    // Merge PATCH: only what changed. scheduledAt in particular: re-sending a time that has passed is refused.
    const names = news.scheduleType !== olds.scheduleType && !isOneTime(news) ? [...new Set([...changed, "frequency"])] : changed;
    return patch(client, olds.orgId, id, wireBody(news, names), operation);
  },
  itemPath: (scope, id) => schedulePaths.schedule(scope as string, id),
  outputs: (s, known) => ({
    orgId: s.orgId ?? known.orgId,
    // Keys the API may leave out mean its defaults.
    scheduleType: s.scheduleType ?? "recurring",
    intervalCount: s.intervalCount ?? 1,
    bypassApproval: s.bypassApproval ?? false,
    tags: tagsOrNull(s.tags) as string[] | null,
  }),
});
