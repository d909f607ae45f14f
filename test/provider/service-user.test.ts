import { describe, expect, it } from "vitest";
import { organization } from "../../provider/impl/organization";
import { clearRoleCache } from "../../provider/impl/roles";
import { serviceUser } from "../../provider/impl/serviceUser";
import { UNKNOWN } from "../../provider/impl/values";
import type { ServiceUserOutputs } from "../../provider/impl/serviceUser";
import { callsSince, configureFor, useEmulator } from "../support/provider";

const { emu } = useEmulator();
const mark = async () => (await emu().requests()).length;
const newOrg = async (name = "eng") => (await organization.create({ name })).id;

describe("ServiceUser check", () => {
  it("defaults ttlSeconds to 365 days and accepts a role name in any case", async () => {
    const res = await serviceUser.check({}, { name: "ci", role: "member" });
    expect(res.failures).toEqual([]);
    expect(res.inputs).toEqual({ name: "ci", role: "member", ttlSeconds: 31_536_000 });
  });

  it.each([
    [{ name: "", role: "Member" }, "name", /non-empty/],
    [{ name: "x".repeat(257), role: "Member" }, "name", /257 characters.*at most 256/],
    [{ name: "ci", role: "" }, "role", /role name such as 'Member'/],
    [{ name: "ci", role: "Member", ttlSeconds: 0 }, "ttlSeconds", /1 to 31536000/],
    [{ name: "ci", role: "Member", ttlSeconds: 31_536_001 }, "ttlSeconds", /1 to 31536000/],
    [{ name: "ci", role: "Member", orgId: "Engineering" }, "orgId", /orgId output, not its name/],
  ])("rejects %j on %s before any API call", async (news, property, reason) => {
    const m = await mark();
    const res = await serviceUser.check({}, news as never);
    expect(res.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
    expect(await callsSince(emu(), m)).toEqual([]);
  });

  it("rejects the seed's role 'developer' with the valid names, reading only the role list", async () => {
    const m = await mark();
    const res = await serviceUser.check({}, { orgId: UNKNOWN, name: "ci", role: "developer" });
    expect(res.failures).toEqual([
      {
        property: "role",
        reason:
          "role 'developer' is not an org-level role (the service user has an orgId) of this Devin enterprise. Valid org-level roles: Admin, Member (ids: org_admin, org_member).",
      },
    ]);
    expect((await callsSince(emu(), m)).every((c) => c.startsWith("GET "))).toBe(true);
  });

  it("refuses the enterprise Admin role for an enterprise service user: the API never provisions it", async () => {
    const res = await serviceUser.check({}, { name: "ops", role: "admin" });
    expect(res.failures).toEqual([
      { property: "role", reason: expect.stringContaining("is the enterprise Admin role, which holds ManageAccountServiceUsers") },
    ]);
    // An org's Admin role is fine for an org service user.
    const orgId = await emu().newOrg();
    expect((await serviceUser.check({}, { orgId, name: "ops", role: "Admin" })).failures).toEqual([]);
  });

  it("reports a missing token as a failure of the setting, before any API call", async () => {
    configureFor({ url: emu().url, token: "" }, { "devin:token": undefined });
    const saved = { DEVIN_TOKEN: process.env.DEVIN_TOKEN, DEVIN_SERVICE_USER_TOKEN: process.env.DEVIN_SERVICE_USER_TOKEN };
    delete process.env.DEVIN_TOKEN;
    delete process.env.DEVIN_SERVICE_USER_TOKEN;
    try {
      const m = await mark();
      const res = await serviceUser.check({}, { name: "ci", role: "Member" });
      expect(res.failures).toEqual([{ property: "", reason: expect.stringContaining("No Devin API token") }]);
      expect(await callsSince(emu(), m)).toEqual([]);
    } finally {
      Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)));
    }
  });

  it("skips the role lookup while the role is unknown", async () => {
    expect((await serviceUser.check({}, { name: "ci", role: UNKNOWN })).failures).toEqual([]);
  });

  it("reads nothing for a role the state holds already, and looks up a changed role or scope", async () => {
    clearRoleCache();
    const olds = { orgId: "org-1", name: "ci", role: "Member", ttlSeconds: 3600 };
    let m = await mark();
    expect((await serviceUser.check(olds, { ...olds })).failures).toEqual([]);
    expect(await callsSince(emu(), m)).toEqual([]);

    m = await mark();
    expect((await serviceUser.check(olds, { ...olds, role: "developer" })).failures).toEqual([
      { property: "role", reason: expect.stringContaining("role 'developer' is not an org-level role") },
    ]);
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/roles"]);

    // The same name in the other scope is another role: the enterprise Admin cannot be provisioned.
    const { orgId: _, ...enterprise } = { ...olds, role: "Admin" };
    expect((await serviceUser.check({ ...olds, role: "Admin" }, enterprise)).failures).toEqual([
      { property: "role", reason: expect.stringContaining("is the enterprise Admin role") },
    ]);
  });
});

describe("ServiceUser diff", () => {
  const olds: ServiceUserOutputs = {
    schemaVersion: 1,
    serviceUserId: "service-user-1",
    orgId: "org-1",
    name: "ci",
    role: "Member",
    roleId: "org_member",
    roleName: "Member",
    ttlSeconds: 3600,
    expiresAt: 1,
    apiKey: "cog_x",
  };
  it.each([
    [{ orgId: "org-1", name: "ci", role: "Member", ttlSeconds: 3600 }, false, []],
    [{ orgId: "org-1", name: "ci", role: "member", ttlSeconds: 3600 }, false, []],
    [{ orgId: "org-1", name: "ci", role: "org_member", ttlSeconds: 3600 }, false, []],
    [{ orgId: "org-1", name: "ci", role: "Admin", ttlSeconds: 3600 }, true, []],
    [{ orgId: "org-1", name: "ci2", role: "Member", ttlSeconds: 3600 }, true, ["name"]],
    [{ orgId: "org-2", name: "ci", role: "Member", ttlSeconds: 3600 }, true, ["orgId"]],
    [{ name: "ci", role: "Member", ttlSeconds: 3600 }, true, ["orgId"]],
    [{ orgId: "org-1", name: "ci", role: "Member", ttlSeconds: 60 }, true, ["ttlSeconds"]],
    [{ orgId: UNKNOWN, name: "ci", role: "Member", ttlSeconds: 3600 }, true, ["orgId"]],
  ])("%j → changes %s, replaces %j", async (news, changes, replaces) => {
    expect(await serviceUser.diff("service-user-1", olds, news)).toEqual({ changes, replaces, deleteBeforeReplace: false });
  });
});

describe("ServiceUser lifecycle against the emulator", () => {
  it("provisions an org service user with one roles lookup per process and one POST, keeping the key", async () => {
    const orgId = await newOrg();
    clearRoleCache();
    const m = await mark();
    const created = await serviceUser.create({ orgId, name: "ci", role: "Member", ttlSeconds: 3600 });
    // The org was created in this run, so nothing in it predates the run: the guard needs no list.
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/roles", `POST /organizations/${orgId}/service-users`]);
    // In an org that existed before the run, the guard lists its service users first.
    configureFor(emu());
    const m2 = await mark();
    await serviceUser.create({ orgId, name: "deployer", role: "Member", ttlSeconds: 3600 });
    expect(await callsSince(emu(), m2)).toEqual([
      `GET /enterprise/organizations/${orgId}/members/service-users`,
      `POST /organizations/${orgId}/service-users`,
    ]);
    const outs = created.outs as ServiceUserOutputs;
    expect(outs).toMatchObject({
      serviceUserId: created.id,
      orgId,
      name: "ci",
      role: "Member",
      roleId: "org_member",
      roleName: "Member",
      ttlSeconds: 3600,
    });
    expect(outs.apiKey).toMatch(/^cog_/);
    expect(Object.values(outs)).not.toContain(undefined);
    // The key works against the API.
    expect((await emu().call("GET", "/v3/self", undefined, outs.apiKey)).status).toBe(200);

    const second = await mark();
    const again = await serviceUser.create({ orgId, name: "ci2", role: "member" });
    expect((again.outs as ServiceUserOutputs).ttlSeconds).toBe(31_536_000);
    // The roles are read once per process.
    expect(await callsSince(emu(), second)).toEqual([
      `GET /enterprise/organizations/${orgId}/members/service-users`,
      `POST /organizations/${orgId}/service-users`,
    ]);
  });

  it("provisions an enterprise service user when orgId is absent", async () => {
    const created = await serviceUser.create({ name: "auditor", role: "Member" });
    expect(created.outs as ServiceUserOutputs).toMatchObject({ orgId: null, roleId: "account_member" });
  });

  it("reads with the apiKey carried over, updates the role in place and deletes", async () => {
    const orgId = await newOrg();
    const created = await serviceUser.create({ orgId, name: "ci", role: "Member", ttlSeconds: 3600 });
    const outs = created.outs as ServiceUserOutputs;

    let m = await mark();
    const read = await serviceUser.read(created.id, outs);
    expect(await callsSince(emu(), m)).toEqual([`GET /enterprise/members/service-users/${created.id}`]);
    expect(read.props).toEqual(outs);
    expect(read.inputs).toEqual({ orgId, name: "ci", role: "Member", ttlSeconds: 3600 });
    expect(JSON.stringify(read.inputs)).not.toContain("cog_");

    m = await mark();
    const updated = await serviceUser.update(created.id, outs, { orgId, name: "ci", role: "Admin", ttlSeconds: 3600 });
    expect(await callsSince(emu(), m)).toEqual([`PATCH /enterprise/organizations/${orgId}/members/service-users/${created.id}`]);
    expect(updated.outs).toMatchObject({ role: "Admin", roleId: "org_admin", apiKey: outs.apiKey });

    m = await mark();
    await serviceUser.delete(created.id);
    expect(await callsSince(emu(), m)).toEqual([`DELETE /enterprise/members/service-users/${created.id}`]);
    expect(await serviceUser.read(created.id, outs)).toEqual({});
    await expect(serviceUser.delete(created.id)).resolves.toBeUndefined();
  });

  it("refresh shows a role changed behind the stack's back as drift, and update restores it", async () => {
    const orgId = await newOrg();
    const created = await serviceUser.create({ orgId, name: "ci", role: "member" });
    await emu().call("PATCH", `/v3/enterprise/organizations/${orgId}/members/service-users/${created.id}`, { role_id: "org_admin" });
    const read = await serviceUser.read(created.id, created.outs as ServiceUserOutputs);
    expect(read.inputs).toMatchObject({ role: "Admin" });
    const diff = await serviceUser.diff(created.id, read.props as ServiceUserOutputs, {
      orgId,
      name: "ci",
      role: "member",
      ttlSeconds: 31_536_000,
    });
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const fixed = await serviceUser.update(created.id, read.props as ServiceUserOutputs, { orgId, name: "ci", role: "member" });
    expect(fixed.outs?.roleId).toBe("org_member");
  });

  it("reassigns a role removed behind the stack's back", async () => {
    const orgId = await newOrg();
    const created = await serviceUser.create({ orgId, name: "ci", role: "Member" });
    await emu().call("DELETE", `/v3/enterprise/organizations/${orgId}/members/service-users/${created.id}`);
    const read = await serviceUser.read(created.id, created.outs as ServiceUserOutputs);
    expect(read.props?.roleId).toBeNull();
    const fixed = await serviceUser.update(created.id, read.props as ServiceUserOutputs, { orgId, name: "ci", role: "Member" });
    expect(fixed.outs?.roleId).toBe("org_member");
  });

  it("counts an expired service user as gone", async () => {
    // Made an hour ago by the emulator's clock, with ten minutes to live.
    await emu().advanceClock(-3600);
    const created = await serviceUser.create({ name: "short", role: "Member", ttlSeconds: 600 });
    await emu().advanceClock(3600);
    expect(await serviceUser.read(created.id, created.outs as ServiceUserOutputs)).toEqual({});
  });

  it("fails an unknown role at create with the valid names and no POST", async () => {
    const m = await mark();
    await expect(serviceUser.create({ name: "x", role: "developer" })).rejects.toThrow(/Valid enterprise-level roles: Admin, Member/);
    expect((await callsSince(emu(), m)).some((c) => c.startsWith("POST"))).toBe(false);
  });

  it("turns a 403 into a message naming the missing permission, without the token", async () => {
    const orgId = await newOrg();
    const member = await serviceUser.create({ orgId, name: "weak", role: "Member" });
    const token = (member.outs as ServiceUserOutputs).apiKey;
    configureFor({ url: emu().url, token });
    const err = (await organization.create({ name: "nope" }).catch((e: Error) => e)) as Error;
    // The provider's own words (the API's detail names the permission too, so that alone proves nothing).
    expect(err.message).toMatch(
      /^create organization 'nope' failed: the token's service user lacks the ManageOrganizations permission \(403\)\. Use a token whose role holds ManageOrganizations/,
    );
    expect(err.message).not.toContain(token);
  });
});
