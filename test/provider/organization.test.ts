import { describe, expect, it } from "vitest";
import { organization } from "../../provider/impl/organization";
import { serviceUser } from "../../provider/impl/serviceUser";
import { UNKNOWN } from "../../provider/impl/values";
import type { OrganizationOutputs } from "../../provider/impl/organization";
import { callsSince, configureFor, useEmulator } from "../support/provider";

const { emu } = useEmulator();
const mark = async () => (await emu().requests()).length;

describe("Organization check", () => {
  it("accepts good input and makes no API call", async () => {
    const m = await mark();
    const res = await organization.check({}, { name: "eng", acuLimit: 0, maxSessionAcuLimit: 10 });
    expect(res.failures).toEqual([]);
    expect(res.inputs).toEqual({ name: "eng", acuLimit: 0, maxSessionAcuLimit: 10 });
    expect(await callsSince(emu(), m)).toEqual([]);
  });

  it.each([
    [{ name: "" }, "name", /non-empty/],
    [{ name: "   " }, "name", /non-empty/],
    [{ name: "a", acuLimit: -1 }, "acuLimit", /whole number of ACUs from 0 to 9007199254740991 \(got -1\)/],
    [{ name: "a", acuLimit: 1.5 }, "acuLimit", /whole number/],
    [{ name: "a", acuLimit: 1e20 }, "acuLimit", /from 0 to 9007199254740991 \(got 100000000000000000000\)/],
    [{ name: "x".repeat(300) }, "name", /300 characters long; the Devin API allows at most 256/],
    [{ name: "a", maxSessionAcuLimit: -5 }, "maxSessionAcuLimit", /Leave maxSessionAcuLimit out to keep the server's default/],
    [{ name: "a", adoptId: "Engineering" }, "adoptId", /adoptId must be an id such as 'org-/],
    [{ name: "a", maxSessionAcuLimit: "10" }, "maxSessionAcuLimit", /got '10'/],
  ])("rejects %j on %s, saying how to fix it", async (news, property, reason) => {
    const res = await organization.check({}, news as never);
    expect(res.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  it("skips values unknown during preview", async () => {
    const res = await organization.check({}, { name: UNKNOWN, acuLimit: UNKNOWN as never });
    expect(res.failures).toEqual([]);
  });
});

describe("Organization diff", () => {
  const olds: OrganizationOutputs = {
    schemaVersion: 1,
    orgId: "org-1",
    name: "eng",
    acuLimit: 100,
    maxSessionAcuLimit: 50,
    createdAt: 1,
    updatedAt: 1,
  };
  it.each([
    [{ name: "eng", acuLimit: 100 }, false],
    [{ name: "eng", acuLimit: 100, maxSessionAcuLimit: 50 }, false],
    [{ name: "eng2", acuLimit: 100 }, true],
    [{ name: "eng", acuLimit: 200 }, true],
    [{ name: "eng" }, true],
    [{ name: "eng", acuLimit: 100, maxSessionAcuLimit: 5 }, true],
    [{ name: UNKNOWN, acuLimit: 100 }, true],
  ])("%j → changes %s, never a replace", async (news, changes) => {
    expect(await organization.diff("org-1", olds, news)).toEqual({ changes, replaces: [], deleteBeforeReplace: false });
  });

  it("ignores a change of __provider alone", async () => {
    const res = await organization.diff(
      "org-1",
      { ...olds, __provider: "old code" } as never,
      { name: "eng", acuLimit: 100, __provider: "new code" } as never,
    );
    expect(res.changes).toBe(false);
  });
});

describe("Organization lifecycle against the emulator", () => {
  it("creates with one list and one POST, reads, updates with one PATCH and deletes", async () => {
    let m = await mark();
    const created = await organization.create({ name: "eng", acuLimit: 100 });
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/organizations", "POST /enterprise/organizations"]);
    expect(created.id).toMatch(/^org-[0-9a-f]{32}$/);
    expect(created.outs).toEqual({
      schemaVersion: 2,
      unmanaged: ["maxSessionAcuLimit"],
      orgId: created.id,
      name: "eng",
      acuLimit: 100,
      maxSessionAcuLimit: 50,
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
    });
    expect(Object.values(created.outs as object)).not.toContain(undefined);

    m = await mark();
    const read = await organization.read(created.id, created.outs as OrganizationOutputs);
    expect(await callsSince(emu(), m)).toEqual([`GET /enterprise/organizations/${created.id}`]);
    expect(read.props).toEqual(created.outs);
    // maxSessionAcuLimit was not declared, so the server's value is an output, never an input that could show as drift.
    expect(read.inputs).toEqual({ name: "eng", acuLimit: 100 });

    m = await mark();
    const updated = await organization.update(created.id, created.outs as OrganizationOutputs, { name: "platform", acuLimit: 300 });
    expect(await callsSince(emu(), m)).toEqual([`PATCH /enterprise/organizations/${created.id}`]);
    expect(updated.outs).toMatchObject({ name: "platform", acuLimit: 300 });

    m = await mark();
    await organization.delete(created.id);
    // One read of the service users (they would go with the org; the run shares it among its deletes), then the DELETE.
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/members/service-users", `DELETE /enterprise/organizations/${created.id}`]);
    expect((await emu().call("GET", `/v3/enterprise/organizations/${created.id}`)).status).toBe(404);
  });

  it("removing acuLimit sends an explicit null, which clears the limit", async () => {
    const created = await organization.create({ name: "eng", acuLimit: 100 });
    const updated = await organization.update(created.id, created.outs as OrganizationOutputs, { name: "eng" });
    expect(updated.outs?.acuLimit).toBeNull();
    const live = await emu().call<{ max_cycle_acu_limit: number | null }>("GET", `/v3/enterprise/organizations/${created.id}`);
    expect(live.body.max_cycle_acu_limit).toBeNull();
  });

  it("refresh sees drift made behind the stack's back", async () => {
    const created = await organization.create({ name: "eng", acuLimit: 100 });
    await emu().call("PATCH", `/v3/enterprise/organizations/${created.id}`, { name: "renamed", max_cycle_acu_limit: 7 });
    // The engine passes the state it holds: a read that echoed it back would see nothing.
    const read = await organization.read(created.id, created.outs as OrganizationOutputs);
    expect(read.props).toMatchObject({ name: "renamed", acuLimit: 7 });
    expect(read.inputs).toEqual({ name: "renamed", acuLimit: 7 });
    const diff = await organization.diff(created.id, read.props as OrganizationOutputs, { name: "eng", acuLimit: 100 });
    expect(diff.changes).toBe(true);
  });

  it("treats 404 as gone on read and as success on delete", async () => {
    const created = await organization.create({ name: "eng" });
    await emu().call("DELETE", `/v3/enterprise/organizations/${created.id}`);
    expect(await organization.read(created.id, created.outs as OrganizationOutputs)).toEqual({});
    await expect(organization.delete(created.id)).resolves.toBeUndefined();
  });

  it("sends a token the API rejects through the client: the message says so, without the token, and nothing is written", async () => {
    const wrong = `cog_${"x".repeat(52)}`;
    configureFor(emu(), { "devin:token": wrong });
    const m = await mark();
    const err = (await organization.create({ name: "eng" }).catch((e: Error) => e)) as Error;
    expect(err.message).toBe(
      "create organization 'eng' failed: the Devin API rejected the token (401). It is malformed, expired or revoked. " +
        "Set a valid service-user token with 'pulumi config set --secret devin:token cog_...' or DEVIN_TOKEN.",
    );
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/organizations"]);
  });

  it("refuses to create a second org with a name already in use, naming it, and never advises deleting it", async () => {
    const stray = (await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "eng" })).body.org_id;
    const m = await mark();
    const err = await organization.create({ name: "eng" }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain(stray);
    expect(message).toContain("this resource does not manage it");
    // It may be an org this very stack manages under another resource name: deleting it would lose real data.
    expect(message).toContain("aliases");
    expect(message).not.toMatch(/DELETE|curl|delete it/i);
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/organizations"]);
  });

  it("finds a name match on any page of a large enterprise", async () => {
    for (let i = 0; i < 250; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => emu().call("POST", "/v3/enterprise/organizations", { name: `bulk-${i + j}` })),
      );
    }
    const err = await organization.create({ name: "bulk-249" }).catch((e: Error) => e);
    expect((err as Error).message).toContain("already exists");
  });

  it("refresh leaves an undeclared maxSessionAcuLimit out of the inputs, but keeps a declared one, even on old state", async () => {
    const unmanaged = await organization.create({ name: "u" });
    await emu().call("PATCH", `/v3/enterprise/organizations/${unmanaged.id}`, { max_session_acu_limit: 77 });
    const stale = unmanaged.outs as OrganizationOutputs;
    const read = await organization.read(unmanaged.id, stale);
    expect(read.props).toMatchObject({ maxSessionAcuLimit: 77, unmanaged: ["maxSessionAcuLimit"] });
    expect(read.inputs).toEqual({ name: "u" });
    // State written by schema 1 does not say which fields were declared: never invent drift from it.
    const { unmanaged: _u, ...schema1 } = { ...stale, schemaVersion: 1 };
    expect((await organization.read(unmanaged.id, schema1 as OrganizationOutputs)).inputs).toEqual({ name: "u" });

    const managed = await organization.create({ name: "m", maxSessionAcuLimit: 40 });
    await emu().call("PATCH", `/v3/enterprise/organizations/${managed.id}`, { max_session_acu_limit: 77 });
    const drifted = await organization.read(managed.id, managed.outs as OrganizationOutputs);
    expect(drifted.inputs).toEqual({ name: "m", maxSessionAcuLimit: 77 });
  });

  it("refuses to delete an org whose service users live on, naming them, and sends no DELETE", async () => {
    const org = await organization.create({ name: "home" });
    const su = await serviceUser.create({ orgId: org.id, name: "resident", role: "Member" });
    const m = await mark();
    const err = (await organization.delete(org.id).catch((e: Error) => e)) as Error;
    expect(err.message).toBe(
      `delete organization ${org.id} refused: service users still live in it: 'resident' (${su.id}). Deleting the org would delete them ` +
        "too, and a stack that still holds them would keep dead keys. Delete them first: remove their ServiceUser resources " +
        "(or run 'pulumi destroy --target' on them), then run this again. To have Pulumi order this for you, pass the " +
        "Organization's orgId output to each ServiceUser instead of a literal id.",
    );
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/members/service-users"]);
  });

  it("deletes an org whose service users this process is deleting at the same time (same run, no dependency)", async () => {
    const org = await organization.create({ name: "home" });
    const su = await serviceUser.create({ orgId: org.id, name: "resident", role: "Member" });
    // An enterprise service user with a role in the org lives on without it: it does not block the delete.
    const outsider = await serviceUser.create({ name: "outsider", role: "Member" });
    await emu().call("POST", `/v3/enterprise/organizations/${org.id}/members/service-users/${outsider.id}`, { role_id: "org_member" });
    await emu().faults([{ kind: "latency", method: "DELETE", path: "/v3/enterprise/members/service-users/*", latencyMs: 300 }]);
    await Promise.all([serviceUser.delete(su.id), organization.delete(org.id)]);
    expect((await emu().call("GET", `/v3/enterprise/organizations/${org.id}`)).status).toBe(404);
    expect((await emu().call("GET", `/v3/enterprise/members/service-users/${outsider.id}`)).status).toBe(200);
  });
});
