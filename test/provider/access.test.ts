import { describe, expect, it } from "vitest";
import type { AssignmentOutputs } from "../../provider/impl/roleAssignment";
import { enterpriseIdpGroupRole } from "../../provider/impl/enterpriseIdpGroupRole";
import { enterpriseServiceUserRole } from "../../provider/impl/enterpriseServiceUserRole";
import { enterpriseUserRole } from "../../provider/impl/enterpriseUserRole";
import { idpGroup } from "../../provider/impl/idpGroup";
import { ipAccessList, type IpAccessListOutputs } from "../../provider/impl/ipAccessList";
import { organization } from "../../provider/impl/organization";
import { orgGroupLimits, type OrgGroupLimitsOutputs } from "../../provider/impl/orgGroupLimits";
import { orgIdpGroupRole } from "../../provider/impl/orgIdpGroupRole";
import { orgServiceUserRole } from "../../provider/impl/orgServiceUserRole";
import { orgTags, type OrgTagsOutputs } from "../../provider/impl/orgTags";
import { orgUserRole } from "../../provider/impl/orgUserRole";
import { clearRoleCache } from "../../provider/impl/roles";
import { serviceUser } from "../../provider/impl/serviceUser";
import { UNKNOWN } from "../../provider/impl/values";
import { callsSince, useEmulator } from "../support/provider";

/** Who can do what: each access resource against the emulator, with the requests each step makes. */

const { emu } = useEmulator();
const mark = async () => (await emu().requests()).length;
const newOrg = async (name = "eng") => (await organization.create({ name })).id;
const seededUser = async () =>
  (await emu().call<{ items: { user_id: string }[] }>("GET", "/v3/enterprise/members/users?first=1")).body.items[0].user_id;
const inviteUser = async (email: string) =>
  (
    await emu().call<{ user_id: string }[]>("POST", "/v3/enterprise/members/users", {
      emails: [email],
      enterprise_role_id: "account_member",
    })
  ).body[0].user_id;
const writes = async (m: number) => (await callsSince(emu(), m)).filter((c) => !c.startsWith("GET"));

describe("OrgUserRole", () => {
  it("assigns with one POST, changes with one PATCH, removes with one DELETE, and reads drift from the user", async () => {
    const orgId = await newOrg();
    const userId = await inviteUser("alice@example.com");
    const id = `${orgId}/${userId}`;
    let m = await mark();
    const created = await orgUserRole.create({ orgId, userId, role: "member" });
    expect(created.id).toBe(id);
    expect(await callsSince(emu(), m)).toEqual([
      "GET /enterprise/roles",
      `GET /enterprise/members/users/${userId}`,
      `POST /enterprise/organizations/${orgId}/members/users/${userId}`,
    ]);
    const outs = created.outs as AssignmentOutputs;
    expect(outs).toMatchObject({ orgId, userId, role: "member", roleId: "org_member", roleName: "Member" });

    // Changed outside Pulumi: refresh sees it from the stale state the engine passes.
    await emu().call("PATCH", `/v3/enterprise/organizations/${orgId}/members/users/${userId}`, { role_id: "org_admin" });
    const read = await orgUserRole.read(id, outs);
    expect(read.inputs).toEqual({ orgId, userId, role: "Admin" });
    expect((await orgUserRole.diff(id, read.props as AssignmentOutputs, { orgId, userId, role: "member" })).changes).toBe(true);

    m = await mark();
    const updated = await orgUserRole.update(id, read.props as AssignmentOutputs, { orgId, userId, role: "member" });
    expect(await writes(m)).toEqual([`PATCH /enterprise/organizations/${orgId}/members/users/${userId}`]);
    expect(updated.outs).toMatchObject({ roleId: "org_member" });

    m = await mark();
    await orgUserRole.delete(id, updated.outs as AssignmentOutputs);
    expect(await writes(m)).toEqual([`DELETE /enterprise/organizations/${orgId}/members/users/${userId}`]);
    expect(await orgUserRole.read(id, updated.outs as AssignmentOutputs)).toEqual({});
    await expect(orgUserRole.delete(id, updated.outs as AssignmentOutputs)).resolves.toBeUndefined();
  });

  it("refuses a role the user already holds there, set outside the stack, and adopts it when told", async () => {
    const orgId = await newOrg();
    const userId = await inviteUser("bob@example.com");
    await emu().call("POST", `/v3/enterprise/organizations/${orgId}/members/users/${userId}`, { role_id: "org_member" });
    const m = await mark();
    const err = (await orgUserRole.create({ orgId, userId, role: "Admin" }).catch((e: Error) => e)) as Error;
    expect(err.message).toContain(`is already 'Member', set outside this resource`);
    expect(err.message).toContain(`'adoptId: "${orgId}/${userId}"'`);
    expect(await writes(m)).toEqual([]);
    const adopted = await orgUserRole.create({ orgId, userId, role: "Admin", adoptId: `${orgId}/${userId}` });
    expect(adopted.outs).toMatchObject({ roleId: "org_admin" });
  });

  it("rejects an enterprise role for an org assignment at preview, naming the valid ones", async () => {
    const res = await orgUserRole.check({}, { orgId: "org-1", userId: "user-1", role: "account_admin" });
    expect(res.failures).toEqual([{ property: "role", reason: expect.stringContaining("Valid org-level roles: Admin, Member") }]);
    expect((await orgUserRole.check({}, { orgId: "Engineering", userId: "user-1", role: "Member" })).failures?.[0].property).toBe("orgId");
  });

  it("reads nothing at preview for the role the state holds, and checks a changed one", async () => {
    clearRoleCache();
    const olds = { orgId: "org-1", userId: "user-1", role: "Member" };
    let m = await mark();
    expect((await orgUserRole.check(olds, { ...olds })).failures).toEqual([]);
    expect(await callsSince(emu(), m)).toEqual([]);
    m = await mark();
    expect((await orgUserRole.check(olds, { ...olds, role: "account_admin" })).failures?.[0].property).toBe("role");
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/roles"]);
  });
});

describe("EnterpriseUserRole", () => {
  it("manages the role a member has: one PATCH when it differs, none when it matches, and delete leaves it", async () => {
    const userId = await seededUser();
    let m = await mark();
    const same = await enterpriseUserRole.create({ userId, role: "Member" });
    expect(await writes(m)).toEqual([]);
    m = await mark();
    const admin = await enterpriseUserRole.update(same.id, same.outs as AssignmentOutputs, { userId, role: "Admin" });
    expect(await writes(m)).toEqual([`PATCH /enterprise/members/users/${userId}`]);
    m = await mark();
    await enterpriseUserRole.delete(same.id, admin.outs as AssignmentOutputs);
    expect(await writes(m)).toEqual([]);
    const user = await emu().call<{ role_assignments: { role: { role_id: string }; org_id: string | null }[] }>(
      "GET",
      `/v3/enterprise/members/users/${userId}`,
    );
    expect(user.body.role_assignments.find((a) => a.org_id === null)?.role.role_id).toBe("account_admin");
  });
});

describe("IdP groups and their roles", () => {
  const name = "eng/platform";

  it("registers a group (names may hold '/'), gives it an enterprise and an org role, and takes them away in order", async () => {
    const orgId = await newOrg();
    let m = await mark();
    const group = await idpGroup.create({ name });
    expect(group.id).toBe(name);
    expect(await writes(m)).toEqual(["POST /enterprise/idp-groups"]);

    m = await mark();
    const enterprise = await enterpriseIdpGroupRole.create({ idpGroupName: name, role: "Member" });
    expect(await writes(m)).toEqual([`POST /enterprise/members/idp-groups/${encodeURIComponent(name)}`]);
    m = await mark();
    const inOrg = await orgIdpGroupRole.create({ orgId, idpGroupName: name, role: "Admin" });
    expect(inOrg.id).toBe(`${orgId}/${name}`);
    expect(await writes(m)).toEqual([`POST /enterprise/organizations/${orgId}/members/idp-groups/${encodeURIComponent(name)}`]);
    // The id splits back on its first '/': the name keeps its own.
    expect(await orgIdpGroupRole.read(inOrg.id)).toMatchObject({ props: { orgId, idpGroupName: name, roleId: "org_admin" } });

    m = await mark();
    await orgIdpGroupRole.delete(inOrg.id, inOrg.outs as AssignmentOutputs);
    await enterpriseIdpGroupRole.delete(enterprise.id, enterprise.outs as AssignmentOutputs);
    await idpGroup.delete(group.id);
    expect(await writes(m)).toEqual([
      `DELETE /enterprise/organizations/${orgId}/members/idp-groups/${encodeURIComponent(name)}`,
      `DELETE /enterprise/members/idp-groups/${encodeURIComponent(name)}`,
      `DELETE /enterprise/idp-groups/${encodeURIComponent(name)}`,
    ]);
    expect(await idpGroup.read(group.id)).toEqual({});
  });

  it("refuses to register a group someone else registered: its destroy would unregister it", async () => {
    await emu().call("POST", "/v3/enterprise/idp-groups", { idp_group_names: ["sso-admins"] });
    const err = (await idpGroup.create({ name: "sso-admins" }).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("is already registered, outside this stack");
    expect((await idpGroup.create({ name: "sso-admins", adoptId: "sso-admins" })).id).toBe("sso-admins");
  });
});

describe("service users' roles", () => {
  it("gives an org service user an enterprise Admin role (which provisioning cannot), and an org role elsewhere", async () => {
    const eng = await newOrg("eng");
    const data = await newOrg("data");
    const ci = await serviceUser.create({ orgId: eng, name: "ci", role: "Member" });
    let m = await mark();
    const admin = await enterpriseServiceUserRole.create({ serviceUserId: ci.id, role: "Admin" });
    expect(await writes(m)).toEqual([`POST /enterprise/members/service-users/${ci.id}`]);
    expect(admin.outs).toMatchObject({ roleId: "account_admin" });

    m = await mark();
    const elsewhere = await orgServiceUserRole.create({ orgId: data, serviceUserId: ci.id, role: "Member" });
    expect(await writes(m)).toEqual([`POST /enterprise/organizations/${data}/members/service-users/${ci.id}`]);
    m = await mark();
    await orgServiceUserRole.delete(elsewhere.id, elsewhere.outs as AssignmentOutputs);
    await enterpriseServiceUserRole.delete(admin.id, admin.outs as AssignmentOutputs);
    // There is no endpoint that takes an enterprise role away: only the org role's DELETE is sent.
    expect(await writes(m)).toEqual([`DELETE /enterprise/organizations/${data}/members/service-users/${ci.id}`]);
  });
  it("an enterprise service user this stack provisioned as Member is granted Admin by its role resource, not refused", async () => {
    const ops = await serviceUser.create({ name: "ops", role: "Member" });
    let m = await mark();
    const admin = await enterpriseServiceUserRole.create({ serviceUserId: ops.id, role: "Admin" });
    expect(await writes(m)).toEqual([`PATCH /enterprise/members/service-users/${ops.id}`]);
    expect(admin.outs).toMatchObject({ roleId: "account_admin" });

    // The same for an org role: the role it was provisioned with in its own org is the stack's, not set outside.
    const eng = await newOrg("eng");
    const ci = await serviceUser.create({ orgId: eng, name: "ci", role: "Member" });
    m = await mark();
    const orgAdmin = await orgServiceUserRole.create({ orgId: eng, serviceUserId: ci.id, role: "Admin" });
    expect(await writes(m)).toEqual([`PATCH /enterprise/organizations/${eng}/members/service-users/${ci.id}`]);
    expect(orgAdmin.outs).toMatchObject({ roleId: "org_admin" });
  });

  it("a service user's role set outside the stack is still refused", async () => {
    const provisioned = await emu().call<{ service_user: { service_user_id: string } }>("POST", "/v3beta1/enterprise/service-users", {
      name: "theirs",
      role_id: "account_member",
      ttl_seconds: 600,
    });
    const id = provisioned.body.service_user.service_user_id;
    const m = await mark();
    const err = (await enterpriseServiceUserRole.create({ serviceUserId: id, role: "Admin" }).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("is already 'Member', set outside this resource");
    expect(await writes(m)).toEqual([]);
  });

  it("an unknown role for a human names the role's level, not a service user's orgId", async () => {
    const orgId = await newOrg();
    const userId = await inviteUser("carol@example.com");
    const m = await mark();
    const checked = await orgUserRole.check({}, { orgId, userId, role: "developer" });
    expect(checked.failures).toEqual([
      {
        property: "role",
        reason:
          "role 'developer' is not an org-level role of this Devin enterprise. Valid org-level roles: Admin, Member (ids: org_admin, org_member).",
      },
    ]);
    expect(await writes(m)).toEqual([]);
  });
});

describe("IpAccessList", () => {
  it("keeps ranges canonical at preview and refuses a list that would lock this provider out", async () => {
    const m = await mark();
    const ok = await ipAccessList.check({}, { ipRanges: ["127.0.0.1", "203.0.113.7/24", "2001:0db8::1/32", "203.0.113.0/24"] });
    expect(ok).toEqual({ inputs: { ipRanges: ["127.0.0.1/32", "203.0.113.0/24", "2001:db8::/32"] }, failures: [] });
    const locked = await ipAccessList.check({}, { ipRanges: ["203.0.113.0/24"] });
    expect(locked.failures).toEqual([
      { property: "ipRanges", reason: expect.stringContaining("would lock out pulumi-devin itself: it calls the API from 127.0.0.1") },
    ]);
    const bad = await ipAccessList.check({}, { ipRanges: ["10.0.0.0/33"] });
    expect(bad.failures).toEqual([
      { property: "ipRanges[0]", reason: expect.stringContaining("'10.0.0.0/33' is not an IPv4 or IPv6 address or CIDR range") },
    ]);
    expect((await ipAccessList.check({}, { ipRanges: [UNKNOWN] })).failures).toEqual([]);
    expect(await callsSince(emu(), m)).toEqual([]);
  });

  // RFC 5952, section 4: lower case, no leading zeros, "::" only for the longest run (the first of equals) of two or
  // more zero groups, never for a single one.
  it.each([
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1/128"],
    ["0:1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7/128"],
    ["1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0/128"],
    ["1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0/128"],
    ["2001:db8::1:1:1:1:1", "2001:db8:0:1:1:1:1:1/128"],
    ["2001:0DB8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1/128"],
    ["2001:0:0:1:0:0:0:1", "2001:0:0:1::1/128"],
    ["2001:db8::0:1", "2001:db8::1/128"],
    ["2001:db8:0:1::/64", "2001:db8:0:1::/64"],
    ["2001:db8:0:1:ffff::/48", "2001:db8::/48"],
    ["0:0:0:0:0:0:0:0/0", "::/0"],
    ["::1", "::1/128"],
    ["1::", "1::/128"],
  ])("writes %s as %s (RFC 5952)", async (declared, canonical) => {
    expect((await ipAccessList.check({}, { ipRanges: ["127.0.0.1/32", declared] })).inputs).toEqual({
      ipRanges: ["127.0.0.1/32", canonical],
    });
  });

  it("shows no drift on refresh for IPv6 ranges with a single zero group, in the form the API stores them", async () => {
    const declared = ["127.0.0.1/32", "2001:db8:0:1:1:1:1:1/128", "2001:0db8:0:0:1:0:0:1", "2001:db8:0:2::/64"];
    const { inputs } = await ipAccessList.check({}, { ipRanges: declared });
    const created = await ipAccessList.create(inputs as { ipRanges: string[] });
    const read = await ipAccessList.read(created.id, created.outs as IpAccessListOutputs);
    expect(read.inputs).toEqual(inputs);
    expect((await ipAccessList.diff(created.id, read.props as IpAccessListOutputs, inputs as { ipRanges: string[] })).changes).toBe(false);
    // The next preview checks the program again: the same form, no update.
    const again = await ipAccessList.check(read.inputs as IpAccessListOutputs, { ipRanges: declared });
    expect((await ipAccessList.diff(created.id, read.props as IpAccessListOutputs, again.inputs as { ipRanges: string[] })).changes).toBe(
      false,
    );
  });

  it("replaces the list with one PUT, reads drift, and clears it with one DELETE", async () => {
    let m = await mark();
    const created = await ipAccessList.create({ ipRanges: ["127.0.0.1/32", "203.0.113.0/24"] });
    expect(created.id).toBe("ip-access-list");
    expect(await writes(m)).toEqual(["PUT /enterprise/ip-access-list"]);
    await emu().call("POST", "/v3/enterprise/ip-access-list", { ip_ranges: ["198.51.100.0/24"] });
    const read = await ipAccessList.read(created.id, created.outs as IpAccessListOutputs);
    expect(read.inputs).toEqual({ ipRanges: ["127.0.0.1/32", "203.0.113.0/24", "198.51.100.0/24"] });
    m = await mark();
    await ipAccessList.update(created.id, read.props as IpAccessListOutputs, { ipRanges: ["127.0.0.1/32"] });
    await ipAccessList.delete(created.id);
    expect(await writes(m)).toEqual(["PUT /enterprise/ip-access-list", "DELETE /enterprise/ip-access-list"]);
    expect((await emu().call<{ ip_ranges: string[] }>("GET", "/v3/enterprise/ip-access-list")).body.ip_ranges).toEqual([]);
  });

  it("refuses to take over a list set outside the stack", async () => {
    await emu().call("PUT", "/v3/enterprise/ip-access-list", { ip_ranges: ["127.0.0.1/32"] });
    const err = (await ipAccessList.create({ ipRanges: ["127.0.0.1/32", "10.0.0.0/8"] }).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("the enterprise already has an IP access list (127.0.0.1/32), set outside this stack");
  });
});

describe("OrgGroupLimits", () => {
  it("refuses duplicate group names and an org in two groups at preview", async () => {
    const res = await orgGroupLimits.check(
      {},
      {
        groups: [
          { name: "research", orgIds: ["org-a"] },
          { name: "research", orgIds: ["org-b"] },
          { name: "ops", orgIds: ["org-a"] },
        ],
      },
    );
    expect(res.failures?.map((f) => f.property)).toEqual(["groups[1].name", "groups[2].orgIds[0]"]);
    expect(res.failures?.[0].reason).toContain("group name 'research' is also used by groups[0]");
  });

  it("replaces the whole configuration with one PUT, and empties it on delete", async () => {
    const a = await newOrg("a");
    const b = await newOrg("b");
    let m = await mark();
    const checked = await orgGroupLimits.check({}, { groups: [{ name: "research", orgIds: [b, a], maxCycleAcus: 5000 }] });
    const created = await orgGroupLimits.create(checked.inputs as never);
    expect(await writes(m)).toEqual(["PUT /enterprise/org-group-limits"]);
    expect((created.outs as OrgGroupLimitsOutputs).groups).toEqual([{ name: "research", orgIds: [a, b].sort(), maxCycleAcus: 5000 }]);
    m = await mark();
    await orgGroupLimits.delete(created.id);
    expect(await writes(m)).toEqual(["PUT /enterprise/org-group-limits"]);
    expect((await emu().call<{ groups: object }>("GET", "/v3/enterprise/org-group-limits")).body.groups).toEqual({});
  });

  it("adopts limits as they are with no write, whatever the order of each group's keys (the engine sorts them)", async () => {
    const a = await newOrg("a");
    const b = await newOrg("b");
    await emu().call("PUT", "/v3/enterprise/org-group-limits", { groups: { research: { org_ids: [a, b], max_cycle_acus: 900 } } });
    let m = await mark();
    // As the engine passes the checked inputs back: each object's keys sorted.
    const asIs = { adoptId: "org-group-limits", groups: [{ maxCycleAcus: 900, name: "research", orgIds: [a, b].sort() }] };
    await orgGroupLimits.create(asIs as never);
    expect(await writes(m)).toEqual([]);
    m = await mark();
    await orgGroupLimits.create({ ...asIs, groups: [{ ...asIs.groups[0], maxCycleAcus: 1000 }] } as never);
    expect(await writes(m)).toEqual(["PUT /enterprise/org-group-limits"]);
  });
});

describe("OrgTags", () => {
  it("sorts tags, checks the default at preview, and makes the fewest requests", async () => {
    const orgId = await newOrg();
    const bad = await orgTags.check({}, { orgId, tags: ["b", "a"], defaultTag: "c" });
    expect(bad.failures).toEqual([{ property: "defaultTag", reason: expect.stringContaining("defaultTag 'c' is not one of tags") }]);
    const checked = await orgTags.check({}, { orgId, tags: ["b", "a", "b"], defaultTag: "a" });
    expect(checked.inputs).toEqual({ orgId, tags: ["a", "b"], defaultTag: "a" });

    let m = await mark();
    const created = await orgTags.create(checked.inputs as never);
    expect(await writes(m)).toEqual([`PUT /enterprise/organizations/${orgId}/tags`, `PUT /enterprise/organizations/${orgId}/tags/default`]);
    const outs = created.outs as OrgTagsOutputs;
    expect(outs).toMatchObject({ tags: ["a", "b"], defaultTag: "a" });

    m = await mark();
    const updated = await orgTags.update(orgId, outs, { orgId, tags: ["a", "b", "c"], defaultTag: "a" });
    expect(await writes(m)).toEqual([`PUT /enterprise/organizations/${orgId}/tags`]);
    m = await mark();
    await orgTags.update(orgId, updated.outs as OrgTagsOutputs, { orgId, tags: ["a", "b", "c"] });
    expect(await writes(m)).toEqual([`DELETE /enterprise/organizations/${orgId}/tags/default`]);
    m = await mark();
    await orgTags.delete(orgId, outs);
    expect(await writes(m)).toEqual([`DELETE /enterprise/organizations/${orgId}/tags`]);
  });
});
