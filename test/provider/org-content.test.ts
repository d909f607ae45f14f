import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { gitPermission, type GitPermissionOutputs } from "../../provider/impl/gitPermission";
import { enterpriseKnowledgeNote, knowledgeNote, type KnowledgeNoteOutputs } from "../../provider/impl/knowledgeNote";
import { organization } from "../../provider/impl/organization";
import { enterprisePlaybook, playbook, type PlaybookOutputs } from "../../provider/impl/playbook";
import { schedule, type ScheduleInputs, type ScheduleOutputs } from "../../provider/impl/schedule";
import { secret, type SecretInputs, type SecretOutputs } from "../../provider/impl/secret";
import { UNKNOWN } from "../../provider/impl/values";
import {
  getGitConnections,
  getGitPermissions,
  getGitRepositories,
  getKnowledgeFolders,
  getKnowledgeNotes,
  getPlaybooks,
  getSchedules,
  getSecrets,
} from "../../provider/lookups";
import { callsSince, configureFor, useEmulator } from "../support/provider";

/** What lives inside an org: each resource against the emulator, with the requests each step makes. */

const { emu } = useEmulator();
const mark = async () => (await emu().requests()).length;
const writes = async (m: number) => (await callsSince(emu(), m)).filter((c) => !c.startsWith("GET"));
const newOrg = async (name = "eng") => (await organization.create({ name })).id;
const lookup = () => ({ token: emu().token, apiUrl: emu().url });
/** An ISO time `days` from now. */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");

describe("Playbook", () => {
  it("refuses bad input at preview, naming the field, with no request", async () => {
    const m = await mark();
    const res = await playbook.check(
      {},
      {
        orgId: "Engineering",
        title: "",
        body: "Do it",
        macro: "deploy",
        structuredOutputSchema: { type: "object", properties: { x: { $ref: "https://example.com/x.json" } } },
      },
    );
    expect(res.failures?.map((f) => f.property)).toEqual(["orgId", "title", "macro", "structuredOutputSchema"]);
    expect(res.failures?.find((f) => f.property === "macro")?.reason).toContain("'!' followed by letters");
    expect(res.failures?.find((f) => f.property === "structuredOutputSchema")?.reason).toContain("'https://example.com/x.json'");
    expect((await playbook.check({}, { orgId: UNKNOWN, title: UNKNOWN, body: UNKNOWN })).failures).toEqual([]);
    expect(await callsSince(emu(), m)).toEqual([]);
  });

  it("creates once, updates with PUT (a removed macro is cleared), sees drift, deletes, and treats gone as gone", async () => {
    const orgId = await newOrg();
    const inputs = { orgId, title: "Deploy", body: "# Deploy\n\nRun the pipeline.", macro: "!deploy" };
    let m = await mark();
    const created = await playbook.create(inputs);
    expect(await callsSince(emu(), m)).toEqual([`GET /organizations/${orgId}/playbooks`, `POST /organizations/${orgId}/playbooks`]);
    const outs = created.outs as PlaybookOutputs;
    expect(created.id).toMatch(/^playbook-[0-9a-f]{32}$/);
    expect(outs).toMatchObject({ playbookId: created.id, orgId, title: "Deploy", macro: "!deploy", structuredOutputSchema: null });
    expect((await playbook.diff(created.id, outs, inputs)).changes).toBe(false);

    // Key order in a schema is not a change.
    const schema = { type: "object", properties: { ok: { type: "boolean" } } };
    const withSchema = { ...inputs, structuredOutputSchema: schema };
    m = await mark();
    const updated = (await playbook.update(created.id, outs, withSchema)).outs as PlaybookOutputs;
    expect(await writes(m)).toEqual([`PUT /organizations/${orgId}/playbooks/${created.id}`]);
    const reordered = { properties: { ok: { type: "boolean" } }, type: "object" };
    expect((await playbook.diff(created.id, updated, { ...inputs, structuredOutputSchema: reordered })).changes).toBe(false);

    // Removing the macro from the program clears it (PUT would otherwise keep it).
    const cleared = (await playbook.update(created.id, updated, { orgId, title: "Deploy", body: inputs.body })).outs as PlaybookOutputs;
    expect(cleared.macro).toBeNull();
    expect((await emu().call<{ macro: string | null }>("GET", `/v3/organizations/${orgId}/playbooks/${created.id}`)).body.macro).toBeNull();

    // Changed in the app: refresh brings it into the state and the program's inputs, so the next preview shows it.
    await emu().call("PUT", `/v3/organizations/${orgId}/playbooks/${created.id}`, { title: "Deploy (edited)", body: "other" });
    const read = await playbook.read(created.id, cleared);
    expect(read.inputs).toEqual({ orgId, title: "Deploy (edited)", body: "other" });
    expect((await playbook.diff(created.id, read.props as PlaybookOutputs, { orgId, title: "Deploy", body: inputs.body })).changes).toBe(
      true,
    );
    expect(
      (await playbook.diff(created.id, read.props as PlaybookOutputs, { orgId: "org-other", title: "Deploy", body: "x" })).replaces,
    ).toEqual(["orgId"]);

    m = await mark();
    await playbook.delete(created.id, cleared);
    expect(await writes(m)).toEqual([`DELETE /organizations/${orgId}/playbooks/${created.id}`]);
    expect(await playbook.read(created.id, cleared)).toEqual({});
    await expect(playbook.delete(created.id, cleared)).resolves.toBeUndefined();
  });

  it("refuses a second playbook with the title of one it does not manage, and adopts it when told, bringing it in line", async () => {
    const orgId = await newOrg();
    const stray = await emu().call<{ playbook_id: string }>("POST", `/v3/organizations/${orgId}/playbooks`, {
      title: "Triage",
      body: "old",
    });
    const m = await mark();
    const err = (await playbook.create({ orgId, title: "Triage", body: "new" }).catch((e: Error) => e)) as Error;
    expect(err.message).toContain(`a playbook titled 'Triage' in ${orgId} already exists (${stray.body.playbook_id})`);
    expect(err.message).toContain(`'adoptId: "${stray.body.playbook_id}"'`);
    expect(await writes(m)).toEqual([]);
    const adopted = await playbook.create({ orgId, title: "Triage", body: "new", adoptId: stray.body.playbook_id });
    expect(adopted.id).toBe(stray.body.playbook_id);
    expect(adopted.outs).toMatchObject({ body: "new", adoptId: stray.body.playbook_id });
  });

  it("an org deleted out of band leaves its playbooks gone, not an error", async () => {
    const orgId = await newOrg();
    const created = await playbook.create({ orgId, title: "T", body: "B" });
    await emu().call("DELETE", `/v3/enterprise/organizations/${orgId}`);
    expect(await playbook.read(created.id, created.outs as PlaybookOutputs)).toEqual({});
    await expect(playbook.delete(created.id, created.outs as PlaybookOutputs)).resolves.toBeUndefined();
  });
});

describe("EnterprisePlaybook", () => {
  it("counts only enterprise playbooks as duplicates, and will not adopt an org's playbook", async () => {
    const orgId = await newOrg();
    const orgOne = await playbook.create({ orgId, title: "Release", body: "org" });
    const created = await enterprisePlaybook.create({ title: "Release", body: "enterprise" });
    expect(created.outs).toMatchObject({ title: "Release", body: "enterprise" });
    expect((created.outs as PlaybookOutputs).orgId).toBeUndefined();
    const err = (await enterprisePlaybook.create({ title: "Other", body: "x", adoptId: orgOne.id }).catch((e: Error) => e)) as Error;
    expect(err.message).toContain(`it is an org playbook of ${orgId}; declare it with Playbook`);
    const found = await getPlaybooks({}, lookup());
    expect(found.map((p) => p.playbookId)).toEqual([created.id]);
    expect((await getPlaybooks({ includeOrgs: true }, lookup())).length).toBe(2);
    expect((await getPlaybooks({ orgId }, lookup())).map((p) => p.playbookId)).toEqual([orgOne.id]);
  });
});

describe("KnowledgeNote", () => {
  it("puts a note in a folder and pins it; removing the pin or the folder clears it; isEnabled left out is not managed", async () => {
    const orgId = await newOrg();
    const seeded = await emu().seed({ knowledgeFolders: [{ orgId, name: "Runbooks" }] });
    const folderId = seeded.knowledgeFolders?.[0].folder_id as string;
    const inputs = { orgId, name: "Deploys", body: "We deploy on Tuesdays.", trigger: "When deploying", folderId, pinnedRepo: "acme/web" };
    let m = await mark();
    const created = await knowledgeNote.create(inputs);
    expect(await callsSince(emu(), m)).toEqual([
      `GET /organizations/${orgId}/knowledge/notes`,
      `POST /organizations/${orgId}/knowledge/notes`,
    ]);
    const outs = created.outs as KnowledgeNoteOutputs;
    expect(outs).toMatchObject({ folderId, folderPath: "Runbooks", pinnedRepo: "acme/web", isEnabled: true, unmanaged: ["isEnabled"] });
    expect((await getKnowledgeFolders({ orgId }, lookup()))[0]).toMatchObject({ folderId, path: "Runbooks", noteCount: 1 });

    // Disabled in the app while the program does not say: not drift.
    await emu().call("PUT", `/v3/organizations/${orgId}/knowledge/notes/${created.id}`, {
      name: "Deploys",
      body: inputs.body,
      trigger: inputs.trigger,
      folder_id: folderId,
      pinned_repo: "acme/web",
      is_enabled: false,
    });
    const read = await knowledgeNote.read(created.id, outs);
    expect(read.inputs).toEqual({ orgId, name: "Deploys", body: inputs.body, trigger: inputs.trigger, folderId, pinnedRepo: "acme/web" });
    expect((await knowledgeNote.diff(created.id, read.props as KnowledgeNoteOutputs, inputs)).changes).toBe(false);
    // Declaring it makes it managed.
    expect((await knowledgeNote.diff(created.id, read.props as KnowledgeNoteOutputs, { ...inputs, isEnabled: true })).changes).toBe(true);

    m = await mark();
    const moved = (
      await knowledgeNote.update(created.id, read.props as KnowledgeNoteOutputs, { orgId, name: "Deploys", body: "x", trigger: "t" })
    ).outs as KnowledgeNoteOutputs;
    expect(await writes(m)).toEqual([`PUT /organizations/${orgId}/knowledge/notes/${created.id}`]);
    expect(moved).toMatchObject({ folderId: null, folderPath: "", pinnedRepo: null, isEnabled: false });
    await knowledgeNote.delete(created.id, moved);
    expect(await knowledgeNote.read(created.id, moved)).toEqual({});
  });

  it("enterprise notes never send a folder, and the enterprise list's org notes are not theirs", async () => {
    const orgId = await newOrg();
    await knowledgeNote.create({ orgId, name: "Style", body: "org", trigger: "t" });
    const created = await enterpriseKnowledgeNote.create({
      name: "Style",
      body: "all",
      trigger: "When writing code",
      pinnedRepo: "acme/web",
    });
    expect(created.outs).toMatchObject({ name: "Style", pinnedRepo: "acme/web", folderPath: "" });
    expect((created.outs as KnowledgeNoteOutputs).folderId).toBeUndefined();
    const updated = await enterpriseKnowledgeNote.update(created.id, created.outs as KnowledgeNoteOutputs, {
      name: "Style",
      body: "all, v2",
      trigger: "When writing code",
    });
    expect(updated.outs).toMatchObject({ body: "all, v2", pinnedRepo: null });
    expect((await getKnowledgeNotes({}, lookup())).map((n) => n.noteId)).toEqual([created.id]);
  });
});

describe("Schedule", () => {
  const base = (orgId: string): ScheduleInputs => ({
    orgId,
    name: "Weekly upgrades",
    prompt: "Upgrade the dependencies",
    scheduleType: "recurring",
    frequency: "0 9 * * 1",
  });

  it("refuses a cron step of 0 in any field at preview, naming the field, with no request", async () => {
    const m = await mark();
    // The org is the state's already, so no read checks that it exists: these are the input rules alone.
    const reasons = async (frequency: string) =>
      ((await schedule.check({ orgId: "org-1" }, { orgId: "org-1", name: "n", prompt: "p", frequency })).failures ?? []).map(
        (f) => `${f.property}: ${f.reason}`,
      );
    for (const [frequency, field, text] of [
      ["*/0 * * * *", "minute", "*/0"],
      ["0 */0 * * *", "hour", "*/0"],
      ["0 9 1-31/0 * *", "day of month", "1-31/0"],
      ["0 9 * 5/0 *", "month", "5/0"],
      ["0 9 * * mon-fri/00", "day of week", "mon-fri/00"],
      ["0,*/0 * * * *", "minute", "0,*/0"],
    ]) {
      const named = `frequency: the ${field} field '${text}' of '${frequency}' is not valid (allowed: `;
      expect(await reasons(frequency)).toEqual([expect.stringContaining(named)]);
      expect((await reasons(frequency))[0]).toMatch(/steps \/n/);
    }
    for (const frequency of ["*/1 * * * *", "0-59/59 */23 1-31/31 */12 0-7/7"]) expect(await reasons(frequency)).toEqual([]);
    expect(await callsSince(emu(), m)).toEqual([]);
  });

  it("checks the rules of each type at preview, naming the field, with no request", async () => {
    const m = await mark();
    // The org is the state's already, so no read checks that it exists: these are the input rules alone.
    const failuresOf = async (news: Partial<ScheduleInputs>, olds: Partial<ScheduleInputs> = { orgId: "org-1" }) =>
      ((await schedule.check(olds, { orgId: "org-1", name: "n", prompt: "p", ...news })).failures ?? []).map(
        (f) => `${f.property}: ${f.reason}`,
      );
    expect(await failuresOf({})).toEqual([expect.stringMatching(/^frequency: frequency is required for a recurring schedule/)]);
    expect(await failuresOf({ frequency: "every monday" })).toEqual([expect.stringContaining("has 2 fields; a cron expression has 5")]);
    expect(await failuresOf({ frequency: "0 25 * * *" })).toEqual([expect.stringContaining("the hour field '25'")]);
    expect(await failuresOf({ frequency: "*/15 9-17 * jan-mar mon-fri" })).toEqual([]);
    expect(await failuresOf({ frequency: "0 9 * * 1", targetDevinId: "devin-abc" })).toEqual([
      expect.stringMatching(/^targetDevinId: .* applies only to a one-time schedule/),
    ]);
    expect(await failuresOf({ scheduleType: "one_time", scheduledAt: "2020-01-01T00:00:00Z" })).toEqual([
      expect.stringContaining("is in the past"),
    ]);
    expect(await failuresOf({ scheduleType: "one_time", scheduledAt: "2030-01-01 09:00" })).toEqual([
      expect.stringContaining("ISO-8601 time with a timezone"),
    ]);
    expect(await failuresOf({ scheduleType: "one_time", scheduledAt: inDays(3), frequency: "0 9 * * 1" })).toEqual([
      expect.stringMatching(/^frequency: frequency does not apply to a one-time schedule/),
    ]);
    // A one-time schedule that has run keeps its (past) time: unchanged, it is fine.
    const past = "2020-01-01T00:00:00Z";
    expect(
      await failuresOf(
        { scheduleType: "one_time", scheduledAt: "2020-01-01T00:00:00+00:00" },
        { orgId: "org-1", scheduleType: "one_time", scheduledAt: past },
      ),
    ).toEqual([]);
    expect(await failuresOf({ frequency: "0 9 * * 1", intervalCount: 0, agent: "robot" as never, playbookId: "Deploy" })).toEqual([
      expect.stringMatching(/^intervalCount:/),
      expect.stringMatching(/^agent: agent must be one of "devin", "data_analyst"/),
      expect.stringMatching(/^playbookId: playbookId must be an id such as 'playbook-/),
    ]);
    expect(await callsSince(emu(), m)).toEqual([]);
  });

  it("creates a disabled schedule with a follow-up PATCH, runs a playbook, and updates only what changed", async () => {
    const orgId = await newOrg();
    const book = await playbook.create({ orgId, title: "Upgrades", body: "How to upgrade" });
    const inputs = { ...base(orgId), enabled: false, playbookId: book.id, tags: ["deps"] };
    let m = await mark();
    const created = await schedule.create(inputs);
    expect(await writes(m)).toEqual([`POST /organizations/${orgId}/schedules`, `PATCH /organizations/${orgId}/schedules/${created.id}`]);
    const outs = created.outs as ScheduleOutputs;
    expect(created.id).toMatch(/^sched-[0-9a-f]{32}$/);
    expect(outs).toMatchObject({
      enabled: false,
      playbookId: book.id,
      tags: ["deps"],
      intervalCount: 1,
      agent: "devin",
      notifyOn: "failure",
    });
    expect(outs.unmanaged).toEqual(["intervalCount", "agent", "notifyOn", "bypassApproval"]);
    expect((await schedule.diff(created.id, outs, inputs)).changes).toBe(false);
    expect((await getSchedules({ orgId }, lookup())).map((s) => s.scheduleId)).toEqual([created.id]);

    // Tags removed (an empty list is none), playbook removed: both cleared with explicit nulls.
    m = await mark();
    const updated = (await schedule.update(created.id, outs, { ...base(orgId), enabled: false, tags: [] })).outs as ScheduleOutputs;
    expect(await writes(m)).toEqual([`PATCH /organizations/${orgId}/schedules/${created.id}`]);
    expect(updated).toMatchObject({ playbookId: null, tags: null, enabled: false });

    // Paused and re-timed in the app: refresh shows the time as drift; enabled is declared, so it is drift too.
    await emu().call("PATCH", `/v3/organizations/${orgId}/schedules/${created.id}`, { frequency: "0 10 * * 1", enabled: true });
    const read = await schedule.read(created.id, updated);
    expect(read.inputs).toMatchObject({ frequency: "0 10 * * 1", enabled: true });
    expect((await schedule.diff(created.id, read.props as ScheduleOutputs, { ...base(orgId), enabled: false })).changes).toBe(true);

    // Soft-deleted: gone for the provider.
    m = await mark();
    await schedule.delete(created.id, updated);
    expect(await writes(m)).toEqual([`DELETE /organizations/${orgId}/schedules/${created.id}`]);
    expect(await schedule.read(created.id, updated)).toEqual({});
  });

  it("a one-time schedule whose time has passed still updates: its time is not sent again", async () => {
    const orgId = await newOrg();
    const at = inDays(1);
    const inputs: ScheduleInputs = { orgId, name: "Cutover", prompt: "Flip the flag", scheduleType: "one_time", scheduledAt: at };
    const created = await schedule.create(inputs);
    expect(created.outs).toMatchObject({ scheduleType: "one_time" });
    await emu().advanceClock(2 * 86_400);
    const checked = await schedule.check(inputs, { ...inputs, prompt: "Flip the flag, then tell #ops" });
    expect(checked.failures).toEqual([]);
    const next = checked.inputs as ScheduleInputs;
    const updated = await schedule.update(created.id, created.outs as ScheduleOutputs, next);
    expect(updated.outs).toMatchObject({ prompt: "Flip the flag, then tell #ops" });
    // `Z` and `+00:00` are the same time.
    expect(
      (await schedule.diff(created.id, updated.outs as ScheduleOutputs, { ...next, scheduledAt: at.replace("Z", "+00:00") })).changes,
    ).toBe(false);
  });

  it("switches a recurring schedule to one-time, ignoring the frequency the API keeps", async () => {
    const orgId = await newOrg();
    const created = await schedule.create(base(orgId));
    const oneTime: ScheduleInputs = {
      orgId,
      name: "Weekly upgrades",
      prompt: "Upgrade the dependencies",
      scheduleType: "one_time",
      scheduledAt: inDays(5),
    };
    expect((await schedule.diff(created.id, created.outs as ScheduleOutputs, oneTime)).replaces).toEqual([]);
    const switched = (await schedule.update(created.id, created.outs as ScheduleOutputs, oneTime)).outs as ScheduleOutputs;
    expect(switched).toMatchObject({ scheduleType: "one_time", frequency: "0 9 * * 1" });
    expect((await schedule.diff(created.id, switched, oneTime)).changes).toBe(false);
    const back = (await schedule.update(created.id, switched, base(orgId))).outs as ScheduleOutputs;
    expect(back).toMatchObject({ scheduleType: "recurring", frequency: "0 9 * * 1" });
  });
});

describe("Secret", () => {
  const VALUE = "s3cr3t-npm-token-value";

  it("creates with the value the emulator can confirm, replaces on any change (deleting first when the key stays), and finds it by list", async () => {
    const orgId = await newOrg();
    const inputs: SecretInputs = { orgId, key: "NPM_TOKEN", value: VALUE, type: "key-value", isSensitive: true };
    let m = await mark();
    const created = await secret.create(inputs);
    expect(await callsSince(emu(), m)).toEqual([`GET /organizations/${orgId}/secrets`, `POST /organizations/${orgId}/secrets`]);
    expect(await emu().secretValueMatches(created.id, VALUE)).toBe(true);
    const outs = created.outs as SecretOutputs;
    expect(outs).toMatchObject({ secretId: created.id, key: "NPM_TOKEN", value: VALUE, type: "key-value", isSensitive: true, note: null });

    expect(await secret.diff(created.id, outs, inputs)).toMatchObject({ changes: false });
    expect(await secret.diff(created.id, outs, { ...inputs, value: "rotated-value" })).toEqual({
      changes: true,
      replaces: ["value"],
      deleteBeforeReplace: true,
    });
    expect(await secret.diff(created.id, outs, { ...inputs, key: "NPM_TOKEN_2" })).toEqual({
      changes: true,
      replaces: ["key"],
      deleteBeforeReplace: false,
    });

    m = await mark();
    const read = await secret.read(created.id, outs);
    expect(await callsSince(emu(), m)).toEqual([`GET /organizations/${orgId}/secrets`]);
    expect(read.inputs).toEqual({ orgId, key: "NPM_TOKEN", value: VALUE, type: "key-value", isSensitive: true });

    m = await mark();
    await secret.delete(created.id, outs);
    expect(await callsSince(emu(), m)).toEqual([
      `GET /organizations/${orgId}/secrets`,
      `DELETE /organizations/${orgId}/secrets/${created.id}`,
    ]);
    // Gone: read drops it, and delete does not send the DELETE that would answer 403.
    expect(await secret.read(created.id, outs)).toEqual({});
    m = await mark();
    await secret.delete(created.id, outs);
    expect(await writes(m)).toEqual([]);
  });

  it("refuses a key already taken in the org, with no POST, and checks the key and value at preview without quoting the value", async () => {
    const orgId = await newOrg();
    await emu().call("POST", `/v3/organizations/${orgId}/secrets`, { type: "key-value", key: "API_KEY", value: "other" });
    const m = await mark();
    const err = (await secret
      .create({ orgId, key: "API_KEY", value: VALUE, type: "key-value", isSensitive: true })
      .catch((e: Error) => e)) as Error;
    expect(err.message).toContain(`a secret with the key 'API_KEY' in ${orgId} already exists`);
    expect(await writes(m)).toEqual([]);
    const res = await secret.check({}, { orgId, key: "1-bad key", value: "", type: "password" as never });
    expect(res.failures?.map((f) => f.property)).toEqual(["key", "value", "type"]);
    expect(JSON.stringify(res)).not.toContain(VALUE);
  });

  it("never puts the value in an error message, even when the server echoes it", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ detail: `value '${VALUE}' is not allowed for a totp secret` }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      configureFor({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: emu().token });
      const err = (await secret
        .create({ orgId: "org-1", key: "OTP", value: VALUE, type: "totp", isSensitive: true })
        .catch((e: Error) => e)) as Error;
      expect(err.message).toContain("value '[secret]' is not allowed");
      expect(err.message).not.toContain(VALUE);
    } finally {
      server.close();
    }
  });
});

describe("GitPermission", () => {
  it("needs exactly one path, and a group prefix without a trailing slash, at preview", async () => {
    const m = await mark();
    const ids = { orgId: "org-1", gitConnectionId: "git-connection-1" };
    const failuresOf = async (news: object) =>
      // Ids the state holds already are not read again: these are the input rules alone.
      ((await gitPermission.check(ids, { ...ids, ...news })).failures ?? []).map((f) => f.property);
    expect(await failuresOf({})).toEqual(["repoPath"]);
    expect(await failuresOf({ repoPath: "acme/web", prefixPath: "github.com/acme" })).toEqual(["prefixPath"]);
    expect(await failuresOf({ groupPrefix: "acme/frontend/" })).toEqual(["groupPrefix"]);
    expect(await failuresOf({ repoPath: UNKNOWN })).toEqual([]);
    expect(await callsSince(emu(), m)).toEqual([]);
  });

  it("adds one permission, changes readOnly in place, replaces on a new path, and finds it by list", async () => {
    const orgId = await newOrg();
    const [connection] = await getGitConnections(lookup());
    const gitConnectionId = connection.gitConnectionId;
    expect((await getGitRepositories({ gitConnectionId }, lookup())).map((r) => r.repoPath)).toContain("example-org/web-app");
    const inputs = { orgId, gitConnectionId, groupPrefix: "example-org", readOnly: false };
    let m = await mark();
    const created = await gitPermission.create(inputs);
    expect(await callsSince(emu(), m)).toEqual([
      `GET /enterprise/organizations/${orgId}/git-providers/permissions`,
      `POST /enterprise/organizations/${orgId}/git-providers/permissions`,
    ]);
    const outs = created.outs as GitPermissionOutputs;
    expect(outs).toMatchObject({
      gitPermissionId: created.id,
      groupPrefix: "example-org",
      repoPath: null,
      prefixPath: null,
      readOnly: false,
    });
    expect((await gitPermission.diff(created.id, outs, inputs)).changes).toBe(false);
    expect((await gitPermission.diff(created.id, outs, { ...inputs, groupPrefix: "example-org/infra" })).replaces).toEqual(["groupPrefix"]);

    m = await mark();
    const updated = (await gitPermission.update(created.id, outs, { ...inputs, readOnly: true })).outs as GitPermissionOutputs;
    expect(await writes(m)).toEqual([`PATCH /enterprise/organizations/${orgId}/git-providers/permissions/${created.id}`]);
    expect(updated.readOnly).toBe(true);
    expect((await getGitPermissions({ orgId }, lookup()))[0]).toMatchObject({ gitPermissionId: created.id, readOnly: true });

    // A second program's permission on the same path is refused before any POST.
    m = await mark();
    const err = (await gitPermission.create(inputs).catch((e: Error) => e)) as Error;
    expect(err.message).toContain(`already exists (${created.id})`);
    expect(await writes(m)).toEqual([]);

    // Removed in the app: refresh drops it.
    await emu().call("DELETE", `/v3/enterprise/organizations/${orgId}/git-providers/permissions/${created.id}`);
    expect(await gitPermission.read(created.id, updated)).toEqual({});
    await expect(gitPermission.delete(created.id, updated)).resolves.toBeUndefined();
  });
});

describe("values not known until apply", () => {
  it("pass every type's check at preview, whatever the rule on their form", async () => {
    const m = await mark();
    const cases: [string, { check: (o: object, n: object) => Promise<{ failures?: unknown[] }> }, object][] = [
      ["Playbook", playbook, { orgId: UNKNOWN, title: UNKNOWN, body: UNKNOWN, macro: UNKNOWN, structuredOutputSchema: UNKNOWN }],
      ["EnterprisePlaybook", enterprisePlaybook, { title: UNKNOWN, body: UNKNOWN, macro: UNKNOWN }],
      [
        "KnowledgeNote",
        knowledgeNote,
        { orgId: UNKNOWN, name: UNKNOWN, body: UNKNOWN, trigger: UNKNOWN, folderId: UNKNOWN, pinnedRepo: UNKNOWN, isEnabled: UNKNOWN },
      ],
      ["EnterpriseKnowledgeNote", enterpriseKnowledgeNote, { name: UNKNOWN, body: UNKNOWN, trigger: UNKNOWN, pinnedRepo: UNKNOWN }],
      [
        "Schedule",
        schedule,
        {
          orgId: UNKNOWN,
          name: UNKNOWN,
          prompt: UNKNOWN,
          frequency: UNKNOWN,
          playbookId: UNKNOWN,
          tags: [UNKNOWN],
          intervalCount: UNKNOWN,
          agent: UNKNOWN,
        },
      ],
      ["one-time Schedule", schedule, { orgId: UNKNOWN, name: UNKNOWN, prompt: UNKNOWN, scheduleType: "one_time", scheduledAt: UNKNOWN }],
      ["Secret", secret, { orgId: UNKNOWN, key: UNKNOWN, value: UNKNOWN, type: UNKNOWN, isSensitive: UNKNOWN, note: UNKNOWN }],
      ["GitPermission", gitPermission, { orgId: UNKNOWN, gitConnectionId: UNKNOWN, groupPrefix: UNKNOWN, readOnly: UNKNOWN }],
    ];
    for (const [type, lifecycle, news] of cases) expect([type, (await lifecycle.check({}, news)).failures]).toEqual([type, []]);
    expect(await callsSince(emu(), m)).toEqual([]);
  });
});

describe("Secrets in lookups", () => {
  it("getSecrets shows keys and metadata, never a value", async () => {
    const orgId = await newOrg();
    await secret.create({ orgId, key: "DB_URL", value: "postgres://u:p@db/x", type: "key-value", isSensitive: true, note: "prod" });
    const found = await getSecrets({ orgId }, lookup());
    expect(found).toEqual([expect.objectContaining({ key: "DB_URL", note: "prod", type: "key-value", isSensitive: true })]);
    expect(JSON.stringify(found)).not.toContain("postgres://");
  });
});
