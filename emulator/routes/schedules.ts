import type { FastifyInstance, FastifyRequest } from "fastify";
import { orgScopedPaths, principalOf, type Principal } from "../auth";
import { cronProblem } from "../cron";
import { newId } from "../ids";
import { offsetPage, offsetQuerySchema, type OffsetQuery } from "../pagination";
import { holds } from "../permissions";
import { presentSchedule } from "../presenters";
import { ApiError, unprocessable } from "../problem";
import { own, recordIn, SCHEDULE_AGENTS, SCHEDULE_NOTIFY_ON, SCHEDULE_TYPES, type ScheduleRecord } from "../records";
import { audit, idpAssignments, liveOrg, type Emulator } from "../store";

/** The platform labels of every org (the real ones are configured per org, which the API cannot do; see README). */
export const PLATFORM_LABELS = ["linux", "windows"] as const;

/** RFC 3339 with a time zone; seconds and fractions optional. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

const text = { type: "string", minLength: 1 } as const;
const nullableText = { type: ["string", "null"], minLength: 1 } as const;

/** The fields that the create and PATCH bodies share, as the create body takes them. */
const FIELDS = {
  name: text,
  prompt: text,
  schedule_type: { type: "string", enum: [...SCHEDULE_TYPES] },
  frequency: { type: ["string", "null"] },
  scheduled_at: { type: ["string", "null"], pattern: DATE_TIME.source },
  interval_count: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
  agent: { type: "string", enum: [...SCHEDULE_AGENTS] },
  notify_on: { type: "string", enum: [...SCHEDULE_NOTIFY_ON] },
  bypass_approval: { type: "boolean" },
  playbook_id: nullableText,
  tags: { type: ["array", "null"], items: text },
  platform: nullableText,
  slack_channel_id: nullableText,
  slack_team_id: nullableText,
  target_devin_id: nullableText,
} as const;
type Field = keyof typeof FIELDS;

/** Fields a null clears; a null on any other PATCH field (which the answer always fills) leaves it alone. */
const CLEARABLE: ReadonlySet<Field> = new Set([
  "frequency",
  "scheduled_at",
  "playbook_id",
  "tags",
  "platform",
  "slack_channel_id",
  "slack_team_id",
  "target_devin_id",
]);

function orNull(schema: { type: string | readonly string[]; enum?: readonly string[] }) {
  const types = typeof schema.type === "string" ? [schema.type] : schema.type;
  return { ...schema, type: [...new Set([...types, "null"])], ...(schema.enum ? { enum: [...schema.enum, null] } : {}) };
}

// No `enabled` on create: a new schedule is always enabled (a PATCH disables it).
const createBody = {
  type: "object",
  required: ["name", "prompt"],
  properties: { ...FIELDS, create_as_user_id: nullableText },
} as const;
const patchBody = {
  type: "object",
  properties: {
    ...Object.fromEntries(Object.entries(FIELDS).map(([field, schema]) => [field, orNull(schema)])),
    enabled: { type: ["boolean", "null"] },
    run_as_user_id: nullableText,
  },
} as const;

type Body = { [F in Field]?: unknown } & {
  enabled?: boolean | null;
  create_as_user_id?: string | null;
  run_as_user_id?: string | null;
};
type ScheduleRoute = { Params: { org_id?: string; schedule_id?: string }; Body: Body; Querystring: OffsetQuery };

/** An RFC 3339 time as unix milliseconds; a date that does not exist (February 31, hour 24) is a 422. */
function instant(value: string): number {
  const [, year, month, day, hour, minute, second, zoneHour, zoneMinute] = (DATE_TIME.exec(value) ?? []).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    (Number.isNaN(second) || second <= 59) &&
    (Number.isNaN(zoneHour) || (zoneHour <= 23 && zoneMinute <= 59));
  const ms = Date.parse(value.toUpperCase());
  if (!valid || Number.isNaN(ms)) throw unprocessable(["body", "scheduled_at"], `'${value}' is not a valid date-time`);
  return ms;
}

/**
 * Schedules of an org (docs/api-notes.md section 20): offset pagination, ISO-8601 times, PATCH merge (omitted = kept,
 * null = cleared), soft delete. The emulator keeps schedules but never runs them.
 */
export function scheduleRoutes(app: FastifyInstance, emu: Emulator): void {
  const config = { access: { permission: "ManageOrgSchedules" as const } };
  const state = () => emu.store.state;
  const present = (s: ScheduleRecord) =>
    presentSchedule(s, s.playbook_id === null ? null : (own(state().playbooks, s.playbook_id)?.title ?? null));

  function liveSchedule(req: FastifyRequest<ScheduleRoute>): ScheduleRecord {
    const orgId = liveOrg(emu, req.params.org_id ?? "").org_id;
    const schedule = recordIn(state().schedules, req.params.schedule_id ?? "", orgId, "Schedule");
    if (schedule.deleted_at !== null) throw new ApiError(404, `Schedule ${schedule.scheduled_session_id} not found`);
    return schedule;
  }

  /** `current` with the body's fields applied; the body has passed its schema. */
  function merged(current: ScheduleRecord, body: Body): ScheduleRecord {
    const next: ScheduleRecord = { ...current };
    for (const field of Object.keys(FIELDS) as Field[]) {
      if (!Object.hasOwn(body, field)) continue;
      const value = body[field];
      if (value === null && !CLEARABLE.has(field)) continue;
      Object.assign(next, { [field]: field === "scheduled_at" && value !== null ? instant(value as string) : value });
    }
    return next;
  }

  /** Who sessions run as: the caller needs ImpersonateOrgSessions, the user must be able to use Devin in the org. */
  function checkRunAs(principal: Principal, orgId: string, field: string, userId: string): void {
    if (!holds(principal.serviceUser.role_assignments, "ImpersonateOrgSessions", orgId)) {
      throw new ApiError(403, `Insufficient permissions: ${field} needs ImpersonateOrgSessions in ${orgId}`);
    }
    const user = own(state().users, userId);
    if (!user) throw unprocessable(["body", field], `user ${userId} not found`);
    if (!holds([...user.role_assignments, ...idpAssignments(emu, user)], "UseDevinSessions", orgId)) {
      throw new ApiError(400, `User ${userId} cannot use Devin sessions in ${orgId} (no role there holds UseDevinSessions)`);
    }
  }

  /** The API's rules, on the schedule as it would be; the form of `frequency` and `scheduled_at` only when sent. */
  function checkRules(next: ScheduleRecord, body: Body): void {
    if (typeof body.frequency === "string") {
      const problem = cronProblem(body.frequency);
      if (problem !== null) throw new ApiError(400, `Invalid frequency '${body.frequency}': not a valid cron expression (${problem})`);
    }
    if (typeof body.scheduled_at === "string" && next.scheduled_at !== null && next.scheduled_at <= emu.clock.now() * 1000) {
      throw new ApiError(400, `scheduled_at must be in the future (got ${body.scheduled_at})`);
    }
    if (next.schedule_type === "recurring") {
      if (next.frequency === null) throw new ApiError(400, "A recurring schedule needs a frequency (a 5-field cron expression, in UTC)");
      if (next.target_devin_id !== null) throw new ApiError(400, "target_devin_id is only allowed on one_time schedules");
    } else {
      if (next.scheduled_at === null) throw new ApiError(400, "A one_time schedule needs scheduled_at");
      if (typeof body.frequency === "string") throw new ApiError(400, "frequency must not be set on a one_time schedule");
    }
    const platform = body.platform;
    if (typeof platform === "string" && !PLATFORM_LABELS.some((label) => label === platform.toLowerCase())) {
      throw new ApiError(400, `Platform '${platform}' is not configured for this organization; available: ${PLATFORM_LABELS.join(", ")}`);
    }
    if (typeof body.playbook_id === "string") {
      const playbook = own(state().playbooks, body.playbook_id);
      if (!playbook || (playbook.org_id !== null && playbook.org_id !== next.org_id)) {
        throw unprocessable(["body", "playbook_id"], `playbook ${body.playbook_id} not found in this organization or the enterprise`);
      }
    }
  }

  async function save(req: FastifyRequest<ScheduleRoute>, schedule: ScheduleRecord, action: string, data: Record<string, unknown>) {
    audit(emu, principalOf(req), action, schedule.org_id, {
      scheduled_session_id: schedule.scheduled_session_id,
      name: schedule.name,
      ...data,
    });
    await emu.store.commit();
    return present(schedule);
  }

  for (const path of orgScopedPaths("/schedules")) {
    app.get<ScheduleRoute>(path, { config, schema: { querystring: { type: "object", properties: offsetQuerySchema } } }, async (req) => {
      const orgId = liveOrg(emu, req.params.org_id ?? "").org_id;
      const live = Object.values(state().schedules)
        .filter((s) => s.org_id === orgId && s.deleted_at === null)
        .sort((a, b) => a.seq - b.seq);
      return offsetPage(live, req.query, present);
    });

    app.post<ScheduleRoute>(path, { config, schema: { body: createBody } }, async (req) => {
      const principal = principalOf(req);
      const orgId = liveOrg(emu, req.params.org_id ?? "").org_id;
      const runAs = req.body.create_as_user_id ?? null;
      if (runAs !== null) checkRunAs(principal, orgId, "create_as_user_id", runAs);
      const now = emu.clock.now();
      const defaults: ScheduleRecord = {
        scheduled_session_id: newId("sched"),
        org_id: orgId,
        created_by: principal.serviceUser.service_user_id,
        name: "",
        prompt: "",
        schedule_type: "recurring",
        frequency: null,
        scheduled_at: null,
        interval_count: 1,
        agent: "devin",
        notify_on: "failure",
        bypass_approval: false,
        enabled: true,
        playbook_id: null,
        tags: null,
        platform: null,
        slack_channel_id: null,
        slack_team_id: null,
        target_devin_id: null,
        run_as_user_id: runAs,
        last_edited_by: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
        seq: 0,
      };
      const schedule = merged(defaults, req.body);
      checkRules(schedule, req.body);
      schedule.seq = emu.store.nextSeq();
      state().schedules[schedule.scheduled_session_id] = schedule;
      return save(req, schedule, "create_schedule", {});
    });

    const one = `${path}/:schedule_id`;
    app.get<ScheduleRoute>(one, { config }, async (req) => present(liveSchedule(req)));

    app.patch<ScheduleRoute>(one, { config, schema: { body: patchBody } }, async (req) => {
      const principal = principalOf(req);
      const schedule = liveSchedule(req);
      const body = req.body;
      if (typeof body.run_as_user_id === "string") checkRunAs(principal, schedule.org_id, "run_as_user_id", body.run_as_user_id);
      const next = merged(schedule, body);
      checkRules(next, body);
      if (typeof body.enabled === "boolean") next.enabled = body.enabled;
      if (body.run_as_user_id !== undefined) next.run_as_user_id = body.run_as_user_id;
      Object.assign(schedule, next, { updated_at: emu.clock.now(), last_edited_by: principal.serviceUser.service_user_id });
      return save(req, schedule, "update_schedule", { fields: Object.keys(body).sort() });
    });

    app.delete<ScheduleRoute>(one, { config }, async (req) => {
      const schedule = liveSchedule(req);
      // Soft delete: kept in the state, but 404 and out of the list from now on.
      schedule.deleted_at = emu.clock.now();
      return save(req, schedule, "delete_schedule", {});
    });
  }
}
