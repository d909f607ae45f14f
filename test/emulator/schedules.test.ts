import { describe, expect, it } from "vitest";
import { expectEach, useTestEmulator, type Page, type Problem, type SeededUser } from "../support/emulator";

const emu = useTestEmulator();

type Schedule = Record<string, unknown> & {
  scheduled_session_id: string;
  name: string;
  enabled: boolean;
  frequency: string | null;
  scheduled_at: string | null;
  created_at: string;
  updated_at: string;
  playbook: { playbook_id: string; title: string | null } | null;
};

const schedules = (orgId: string) => `/v3/organizations/${orgId}/schedules`;
const newOrg = (name?: string) => emu().newOrg(name);
const DAILY = { name: "Nightly", prompt: "Run the tests", frequency: "0 9 * * 1-5" };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const YEAR = 365 * 86_400;
/** An ISO time `seconds` from now on the emulator's clock. */
const fromNow = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

async function create(orgId: string, body: object = DAILY): Promise<Schedule> {
  const res = await emu().call<Schedule>("POST", schedules(orgId), body);
  if (res.status !== 200) throw new Error(`create schedule: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

describe("schedules", () => {
  it("creates with the server defaults and ISO-8601 times, ignoring enabled", async () => {
    const orgId = await newOrg();
    const created = await emu().call<Schedule>("POST", schedules(orgId), { ...DAILY, enabled: false });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      scheduled_session_id: expect.stringMatching(/^sched-[0-9a-f]{32}$/),
      org_id: orgId,
      created_by: emu().adminServiceUserId,
      name: "Nightly",
      prompt: "Run the tests",
      playbook: null,
      frequency: "0 9 * * 1-5",
      enabled: true,
      last_executed_at: null,
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
      last_error_at: null,
      last_error_message: null,
      consecutive_failures: 0,
      notify_on: "failure",
      agent: "devin",
      schedule_type: "recurring",
      interval_count: 1,
      bypass_approval: false,
      scheduled_at: null,
      tags: null,
      platform: null,
      slack_channel_id: null,
      slack_team_id: null,
      target_devin_id: null,
      last_edited_by: null,
    });
    expect(Math.abs(Date.parse(created.body.created_at) - Date.now())).toBeLessThan(3_600_000);
    const path = `${schedules(orgId)}/${created.body.scheduled_session_id}`;
    expect((await emu().call<Schedule>("GET", path)).body).toEqual(created.body);
    expect(
      (await emu().call<Schedule>("GET", `/v3beta1/organizations/${orgId}/schedules/${created.body.scheduled_session_id}`)).body,
    ).toEqual(created.body);
  });

  it("creates a one_time schedule at a future time, kept to the instant, and refuses a past one (400)", async () => {
    const orgId = await newOrg();
    const oneTime = await create(orgId, {
      name: "Once",
      prompt: "p",
      schedule_type: "one_time",
      scheduled_at: "2099-01-02T03:04:05+02:00",
    });
    expect(oneTime).toMatchObject({ schedule_type: "one_time", scheduled_at: "2099-01-02T01:04:05Z", frequency: null });
    const fraction = await create(orgId, {
      name: "Once",
      prompt: "p",
      schedule_type: "one_time",
      scheduled_at: "2099-01-02T03:04:05.250Z",
    });
    expect(fraction.scheduled_at).toBe("2099-01-02T03:04:05.250Z");

    const past = await emu().call<Problem>("POST", schedules(orgId), {
      name: "Once",
      prompt: "p",
      schedule_type: "one_time",
      scheduled_at: fromNow(-60),
    });
    expect(past.status).toBe(400);
    expect(past.body.detail).toContain("scheduled_at");
    expect(past.body.detail).toContain("future");
  });

  it("PATCH merges: omitted fields are kept, null clears, enabled can be switched; the past scheduled_at is only checked when sent", async () => {
    const orgId = await newOrg();
    const playbook = (
      await emu().call<{ playbook_id: string }>("POST", `/v3/organizations/${orgId}/playbooks`, { title: "Runbook", body: "b" })
    ).body;
    const created = await create(orgId, {
      ...DAILY,
      tags: ["tf-acc"],
      platform: "Linux",
      playbook_id: playbook.playbook_id,
      slack_channel_id: "C1",
      notify_on: "always",
    });
    expect(created.playbook).toEqual({ playbook_id: playbook.playbook_id, title: "Runbook" });
    expect(created.platform).toBe("Linux");
    const path = `${schedules(orgId)}/${created.scheduled_session_id}`;

    const disabled = await emu().call<Schedule>("PATCH", path, { enabled: false, prompt: "Run all the tests" });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({
      enabled: false,
      prompt: "Run all the tests",
      tags: ["tf-acc"],
      platform: "Linux",
      slack_channel_id: "C1",
      notify_on: "always",
      frequency: "0 9 * * 1-5",
      last_edited_by: emu().adminServiceUserId,
    });
    const cleared = await emu().call<Schedule>("PATCH", path, {
      tags: null,
      playbook_id: null,
      platform: null,
      slack_channel_id: null,
      name: null,
    });
    expect(cleared.body).toMatchObject({
      tags: null,
      playbook: null,
      platform: null,
      slack_channel_id: null,
      name: "Nightly",
      enabled: false,
    });

    // Switching to one_time keeps the old frequency in the answer.
    const scheduledAt = fromNow(YEAR);
    const oneTime = await emu().call<Schedule>("PATCH", path, {
      schedule_type: "one_time",
      scheduled_at: scheduledAt,
      target_devin_id: "devin-abc",
    });
    expect(oneTime.body).toMatchObject({ schedule_type: "one_time", frequency: "0 9 * * 1-5", target_devin_id: "devin-abc" });
    expect(Date.parse(oneTime.body.scheduled_at as string)).toBe(Date.parse(scheduledAt));

    // Once the time has passed, unrelated updates still work; re-sending the past time does not.
    await emu().advanceClock(2 * YEAR);
    expect((await emu().call<Schedule>("PATCH", path, { name: "Renamed" })).body.name).toBe("Renamed");
    const resent = await emu().call<Problem>("PATCH", path, { scheduled_at: oneTime.body.scheduled_at });
    expect(resent.status).toBe(400);

    const logs = (await emu().auditLog()).filter((l) => l.action.endsWith("_schedule"));
    expect(logs.map((l) => l.action)).toEqual([
      "create_schedule",
      "update_schedule",
      "update_schedule",
      "update_schedule",
      "update_schedule",
    ]);
    expect(logs.every((l) => l.org_id === orgId && l.data.scheduled_session_id === created.scheduled_session_id)).toBe(true);
    expect(logs[1].data.fields).toEqual(["enabled", "prompt"]);
  });

  it("shows an org or enterprise playbook by title, and null once the playbook is gone; other orgs' playbooks are refused (422)", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    const enterprise = (await emu().call<{ playbook_id: string }>("POST", "/v3/enterprise/playbooks", { title: "Shared", body: "b" })).body;
    const theirs = (await emu().call<{ playbook_id: string }>("POST", `/v3/organizations/${other}/playbooks`, { title: "T", body: "b" }))
      .body;
    const schedule = await create(orgId, { ...DAILY, playbook_id: enterprise.playbook_id });
    expect(schedule.playbook).toEqual({ playbook_id: enterprise.playbook_id, title: "Shared" });

    const refused = await emu().call<Problem>("POST", schedules(orgId), { ...DAILY, playbook_id: theirs.playbook_id });
    expect(refused.status).toBe(422);
    expect(refused.body.errors?.[0].loc).toEqual(["body", "playbook_id"]);

    await emu().call("DELETE", `/v3/enterprise/playbooks/${enterprise.playbook_id}`);
    const path = `${schedules(orgId)}/${schedule.scheduled_session_id}`;
    expect((await emu().call<Schedule>("GET", path)).body.playbook).toEqual({ playbook_id: enterprise.playbook_id, title: null });
  });

  it("pages by offset (limit 1..200, default 200, end_cursor null) and soft-deletes", async () => {
    const orgId = await newOrg();
    const made: Schedule[] = [];
    for (const name of ["a", "b", "c"]) made.push(await create(orgId, { ...DAILY, name }));
    const page = async (query: string) => (await emu().call<Page<Schedule>>("GET", `${schedules(orgId)}${query}`)).body;

    expect(await page("")).toEqual({ items: made, end_cursor: null, has_next_page: false, total: 3 });
    const first = await page("?limit=2");
    expect(first).toMatchObject({ end_cursor: null, has_next_page: true, total: 3 });
    expect(first.items.map((s) => s.name)).toEqual(["a", "b"]);
    const second = await page("?limit=2&offset=2");
    expect(second).toMatchObject({ has_next_page: false, total: 3 });
    expect(second.items.map((s) => s.name)).toEqual(["c"]);
    expect((await page("?offset=10")).items).toEqual([]);
    for (const query of ["?limit=0", "?limit=201", "?offset=-1"]) {
      expect((await emu().call("GET", `${schedules(orgId)}${query}`)).status, query).toBe(422);
    }

    const path = `${schedules(orgId)}/${made[1].scheduled_session_id}`;
    const removed = await emu().call<Schedule>("DELETE", path);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual(made[1]);
    expect((await emu().call("GET", path)).status).toBe(404);
    expect((await emu().call("PATCH", path, { name: "x" })).status).toBe(404);
    expect((await emu().call("DELETE", path)).status).toBe(404);
    expect((await page("")).items.map((s) => s.name)).toEqual(["a", "c"]);
    expect((await emu().auditLog("delete_schedule")).map((l) => l.data.scheduled_session_id)).toEqual([made[1].scheduled_session_id]);
  });

  it("refuses a frequency that is not a 5-field cron expression (400 naming cron and frequency)", async () => {
    const orgId = await newOrg();
    for (const frequency of [
      "not-a-cron",
      "* * * *",
      "0 9 * * 1-5 2024",
      "60 * * * *",
      "0 24 * * *",
      "0 0 0 * *",
      "0 0 * 13 *",
      "*/0 * * * *",
      "0 */0 * * *",
      "0 9 1-31/0 * *",
      "0 9 * * mon-fri/00",
      "5-1 * * * *",
      "@daily",
      "",
    ]) {
      const res = await emu().call<Problem>("POST", schedules(orgId), { ...DAILY, frequency });
      expect(res.status, frequency).toBe(400);
      expect(res.body.detail, frequency).toMatch(/cron/);
      expect(res.body.detail, frequency).toMatch(/frequency/);
    }
    for (const frequency of ["*/15 * * * *", "0 0 1,15 * *", "30 8 * jan-mar MON-FRI", "0 12 * * 0,7", "5/10 1-5/2 * * *"]) {
      expect((await emu().call("POST", schedules(orgId), { ...DAILY, frequency })).status, frequency).toBe(200);
    }
    const schedule = await create(orgId);
    expect((await emu().call("PATCH", `${schedules(orgId)}/${schedule.scheduled_session_id}`, { frequency: "every day" })).status).toBe(
      400,
    );
  });

  it.each([
    ["recurring without frequency", "frequency", { name: "n", prompt: "p" }],
    ["recurring with target_devin_id", "target_devin_id", { ...DAILY, target_devin_id: "devin-1" }],
    ["one_time without scheduled_at", "scheduled_at", { name: "n", prompt: "p", schedule_type: "one_time" }],
    [
      "one_time with frequency",
      "frequency",
      { name: "n", prompt: "p", schedule_type: "one_time", scheduled_at: "2099-01-01T00:00:00Z", frequency: "0 9 * * *" },
    ],
    ["an unknown platform", "linux, windows", { ...DAILY, platform: "macos" }],
  ])("refuses %s (400 mentioning %s)", async (_what, mention, body) => {
    const orgId = await newOrg();
    const res = await emu().call<Problem>("POST", schedules(orgId), body);
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain(mention);
  });

  it("refuses a PATCH that leaves a recurring schedule without frequency (400), changing nothing", async () => {
    const orgId = await newOrg();
    const schedule = await create(orgId);
    const path = `${schedules(orgId)}/${schedule.scheduled_session_id}`;
    expect((await emu().call("PATCH", path, { frequency: null, name: "x" })).status).toBe(400);
    expect((await emu().call<Schedule>("GET", path)).body).toEqual(schedule);
  });

  it.each([
    ["no prompt", "body.prompt", { name: "n", frequency: "0 9 * * *" }],
    ["an unknown agent", "body.agent", { ...DAILY, agent: "advanced" }],
    ["an unknown notify_on", "body.notify_on", { ...DAILY, notify_on: "sometimes" }],
    ["interval_count 0", "body.interval_count", { ...DAILY, interval_count: 0 }],
    ["a time without a zone", "body.scheduled_at", { ...DAILY, scheduled_at: "2099-01-01T00:00:00" }],
    ["a date that does not exist", "body.scheduled_at", { ...DAILY, scheduled_at: "2099-02-30T00:00:00Z" }],
    ["tags that are not a list", "body.tags", { ...DAILY, tags: "a" }],
    ["an unknown create_as_user_id", "body.create_as_user_id", { ...DAILY, create_as_user_id: "user-missing" }],
  ])("rejects %s with a 422 on %s", async (_what, field, body) => {
    const orgId = await newOrg();
    const res = await emu().call<Problem>("POST", schedules(orgId), body);
    expect(res.status).toBe(422);
    expect(res.body.errors?.map((e) => e.loc.join("."))).toContain(field);
  });

  it("runs as a user only for callers with ImpersonateOrgSessions (403), and only as a user who can use Devin in the org (400)", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    // A user whose only role is org Member in orgId, through an IdP group with no enterprise mapping left.
    await emu().call("POST", "/v3/enterprise/idp-groups", { idp_group_names: ["eng"] });
    await emu().call("POST", "/v3/enterprise/members/idp-groups/eng", { role_id: "account_member" });
    await emu().call("POST", `/v3/enterprise/organizations/${orgId}/members/idp-groups/eng`, { role_id: "org_member" });
    await emu().call("DELETE", "/v3/enterprise/members/idp-groups/eng");
    const [dev] = (await emu().seed({ idpUsers: [{ email: "dev@example.com", groups: ["eng"] }] })).idpUsers as SeededUser[];
    expect((await emu().call("POST", schedules(orgId), { ...DAILY, create_as_user_id: dev.user_id })).status).toBe(200);
    const notMember = await emu().call<Problem>("POST", schedules(other), { ...DAILY, create_as_user_id: dev.user_id });
    expect(notMember.status).toBe(400);
    expect(notMember.body.detail).toContain("UseDevinSessions");

    // The seeded owner is an enterprise Member, who can use Devin everywhere.
    const owner = (await emu().call<Page<SeededUser>>("GET", "/v3/enterprise/members/users?email=owner@example.com")).body.items[0];
    const schedule = await create(other);
    const path = `${schedules(other)}/${schedule.scheduled_session_id}`;
    expect((await emu().call("PATCH", path, { run_as_user_id: owner.user_id })).status).toBe(200);
    // The user is never shown.
    expect(JSON.stringify((await emu().call("GET", path)).body)).not.toContain(owner.user_id);
    expect((await emu().call("PATCH", path, { run_as_user_id: dev.user_id })).status).toBe(400);
    expect((await emu().call("PATCH", path, { run_as_user_id: null })).status).toBe(200);

    // An org Admin manages the org's schedules but does not hold ImpersonateOrgSessions.
    const orgAdmin = await emu().provision(`/v3beta1/organizations/${other}/service-users`, "org_admin");
    expect((await emu().call("PATCH", path, { name: "mine now" }, orgAdmin.token)).status).toBe(200);
    const calls = [
      ["POST", schedules(other), { ...DAILY, create_as_user_id: owner.user_id }],
      ["PATCH", path, { run_as_user_id: owner.user_id }],
    ] as const;
    await expectEach(emu(), calls, orgAdmin.token, 403, `ImpersonateOrgSessions in ${other}`);
  });

  it("names may repeat (no 409)", async () => {
    const orgId = await newOrg();
    await create(orgId);
    await create(orgId);
    expect((await emu().call<Page<Schedule>>("GET", schedules(orgId))).body.items.map((s) => s.name)).toEqual(["Nightly", "Nightly"]);
  });

  it("answers 404 for every schedule call in a deleted org", async () => {
    const orgId = await newOrg();
    const schedule = await create(orgId);
    await emu().call("DELETE", `/v3/enterprise/organizations/${orgId}`);
    const one = `${schedules(orgId)}/${schedule.scheduled_session_id}`;
    const calls = [
      ["GET", schedules(orgId)],
      ["POST", schedules(orgId), DAILY],
      ["GET", one],
      ["PATCH", one, { name: "x" }],
      ["DELETE", one],
      ["GET", schedules("org-missing")],
    ] as const;
    await expectEach(emu(), calls, emu().token, 404);
  });

  it("needs ManageOrgSchedules in the org (403 for an enterprise Member, an org Member, an org Admin elsewhere) and a token (401)", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    const calls = [
      ["GET", schedules(orgId)],
      ["POST", schedules(orgId), DAILY],
      ["GET", `${schedules(orgId)}/sched-x`],
      ["PATCH", `${schedules(orgId)}/sched-x`, { name: "x" }],
      ["DELETE", `${schedules(orgId)}/sched-x`],
    ] as const;
    const member = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    await expectEach(emu(), calls, member.token, 403, "ManageOrgSchedules");
    const orgMember = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_member");
    await expectEach(emu(), calls, orgMember.token, 403, `ManageOrgSchedules in ${orgId}`);
    const orgAdmin = await emu().provision(`/v3beta1/organizations/${other}/service-users`, "org_admin");
    await expectEach(emu(), calls, orgAdmin.token, 403, "ManageOrgSchedules");
    await expectEach(emu(), calls, null, 401);
    // With the org id left out, an org Admin works in its own org.
    expect((await emu().call("POST", "/v3/organizations/schedules", DAILY, orgAdmin.token)).status).toBe(200);
    expect((await emu().call<Page<Schedule>>("GET", schedules(other))).body.total).toBe(1);
  });
});
