import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import {
  getIdpGroups,
  getOrganization,
  getOrganizations,
  getRoles,
  getSelf,
  getServiceUser,
  getServiceUsers,
  getUsers,
} from "../../provider/lookups";
import { getRolesOutput } from "../../provider/lookupOutputs";
import { useEmulator } from "../support/provider";

const { emu } = useEmulator();
const opts = () => ({ token: emu().token, apiUrl: emu().url });

describe("lookups", () => {
  it("find organizations by id or by unique name, and refuse an ambiguous name", async () => {
    const { body } = await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", {
      name: "Legacy",
      max_cycle_acu_limit: 3,
    });
    const expected = {
      orgId: body.org_id,
      name: "Legacy",
      acuLimit: 3,
      maxSessionAcuLimit: 50,
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
    };
    expect(await getOrganization({ orgId: body.org_id }, opts())).toEqual(expected);
    expect(await getOrganization({ name: "Legacy" }, opts())).toEqual(expected);
    expect(await getOrganizations(opts())).toEqual([expected]);
    await expect(getOrganization({ name: "Nope" }, opts())).rejects.toThrow("no organization has this name");
    await emu().call("POST", "/v3/enterprise/organizations", { name: "Legacy" });
    await expect(getOrganization({ name: "Legacy" }, opts())).rejects.toThrow(/2 organizations have this name .*look it up by orgId/);
    await expect(getOrganization({ orgId: "org-missing" }, opts())).rejects.toThrow(
      /look up organization org-missing failed: not found \(404\)/,
    );
  });

  it("list roles and read a service user without its key", async () => {
    expect((await getRoles(opts())).map((r) => `${r.roleType}:${r.roleId}`)).toEqual([
      "enterprise:account_admin",
      "enterprise:account_member",
      "org:org_admin",
      "org:org_member",
    ]);
    const info = await getServiceUser({ serviceUserId: emu().adminServiceUserId }, opts());
    expect(info).toEqual({
      serviceUserId: emu().adminServiceUserId,
      name: "emulator-admin",
      expiresAt: null,
      roles: [{ roleId: "account_admin", roleName: "Admin", roleType: "enterprise", orgId: null }],
    });
  });

  it("list users (by email, in any case), IdP groups and service users, and say who the token is", async () => {
    await emu().call("POST", "/v3/enterprise/members/users", { emails: ["Alice@Example.com"], enterprise_role_id: "account_member" });
    await emu().call("POST", "/v3/enterprise/idp-groups", { idp_group_names: ["engineering"] });
    const [alice, ...others] = await getUsers({ email: "alice@example.com" }, opts());
    expect(others).toEqual([]);
    expect(alice).toEqual({
      userId: expect.stringMatching(/^user-[0-9a-f]{32}$/),
      email: "Alice@Example.com",
      name: null,
      roles: [{ roleId: "account_member", roleName: "Member", roleType: "enterprise", orgId: null }],
    });
    expect((await getUsers({}, opts())).length).toBeGreaterThanOrEqual(2);
    expect(await getIdpGroups(opts())).toEqual([{ name: "engineering" }]);
    expect((await getServiceUsers(opts())).map((s) => s.name)).toEqual(["emulator-admin"]);
    expect(await getSelf(opts())).toEqual({
      principalType: "service_user",
      serviceUserId: emu().adminServiceUserId,
      serviceUserName: "emulator-admin",
      orgId: null,
    });
  });
});

describe("audit and consumption lookups", () => {
  it("getAuditLogs lists what happened, oldest first, filtered by action, in windows of at most 100 days", async () => {
    const { getAuditLogs, getConsumption } = await import("../../provider/lookups");
    const now = Math.floor(Date.now() / 1000);
    await emu().call("POST", "/v3/enterprise/organizations", { name: "A" });
    const b = await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "B" });
    await emu().call("PATCH", `/v3/enterprise/organizations/${b.body.org_id}`, { max_cycle_acu_limit: 5 });
    const all = await getAuditLogs({ after: now - 10 }, opts());
    expect(all.map((e) => e.action)).toEqual(["create_org", "create_org", "update_org"]);
    expect(all[2]).toMatchObject({ orgId: b.body.org_id, serviceUserName: "emulator-admin" });
    expect((await getAuditLogs({ after: now - 10, action: "update_org", orgId: b.body.org_id }, opts())).length).toBe(1);

    const mark = (await emu().requests()).length;
    const long = await getAuditLogs({ after: now - 150 * 86_400, before: now + 60 }, opts());
    expect(long.map((e) => e.action)).toEqual(["create_org", "create_org", "update_org"]);
    expect((await emu().requests()).slice(mark).filter((r) => r.path.includes("audit-logs"))).toHaveLength(2);

    const consumption = await getConsumption({ from: now - 7 * 86_400, to: now }, opts());
    expect(consumption).toMatchObject({ totalAcus: expect.any(Number), days: expect.any(Array) });
    expect((await getConsumption({ orgId: b.body.org_id, from: now - 86_400, to: now }, opts())).totalAcus).toEqual(expect.any(Number));
  });
});

describe("a lookup that fails", () => {
  /** The error a lookup rejects with. */
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => expect.fail("the lookup succeeded"),
      (e: Error) => e,
    );

  it("is a pulumi.RunError of one line, with no stack, naming the token that was rejected and where it came from", async () => {
    const e = await failure(getRoles({ token: `cog_${"b".repeat(52)}`, apiUrl: emu().url }));
    expect(pulumi.RunError.isInstance(e)).toBe(true);
    expect(e.message).toBe(
      "list roles failed: the Devin API rejected the token from the lookup's `token` option (401): it is malformed, expired or revoked. " +
        "Pass a valid service-user token (cog_...) as the lookup's `token` option.",
    );
    expect(e.stack).toBe(e.message);
    vi.stubEnv("DEVIN_TOKEN", `cog_${"c".repeat(52)}`);
    try {
      expect((await failure(getRoles({ apiUrl: emu().url }))).message).toContain(
        "the token from the DEVIN_TOKEN environment variable (401)",
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("names the id a 404 did not find, and an Output form with no token throws at the call", async () => {
    const e = await failure(getServiceUser({ serviceUserId: "service-user-missing" }, opts()));
    expect(e.message).toMatch(
      /look up service user service-user-missing failed: not found \(404\)\..* Check the id given to getServiceUser\(\)/,
    );
    expect(e.stack).toBe(e.message);
    vi.stubEnv("DEVIN_TOKEN", "");
    try {
      expect(() => getRolesOutput({ apiUrl: emu().url })).toThrow(/^No Devin API token\. Run 'pulumi config set --secret devin:token/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
