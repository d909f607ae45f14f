import { describe, expect, it } from "vitest";
import type { TestEmulator } from "../support/emulator";
import { useStack, writesSince, type Spec } from "../support/pulumi";

/**
 * Who can do what, through the real CLI: one stack holds every access resource type, through create, a no-op second
 * up, an in-place update, changes made outside Pulumi that refresh sees, and destroy.
 */

const { emu, stack } = useStack();

type Roles = { role_assignments: { role: { role_id: string }; org_id: string | null }[] };
const roleAt = (body: Roles, orgId: string | null) => body.role_assignments.find((a) => a.org_id === orgId)?.role.role_id;

async function seededUser(api: TestEmulator): Promise<string> {
  return (await api.call<{ items: { user_id: string }[] }>("GET", "/v3/enterprise/members/users?first=1")).body.items[0].user_id;
}

function accessSpec(userId: string, changed = false): Spec {
  return {
    orgs: [
      { key: "eng", name: "Engineering" },
      { key: "data", name: "Data" },
    ],
    serviceUsers: [{ key: "ci", org: "eng", name: "ci", role: "Member" }],
    resources: [
      { key: "group", type: "IdpGroup", args: { name: "eng/platform" } },
      { key: "groupRole", type: "EnterpriseIdpGroupRole", args: { idpGroupName: "$group.name", role: "Member" } },
      {
        key: "groupInEng",
        type: "OrgIdpGroupRole",
        args: { orgId: "$eng.orgId", idpGroupName: "$group.name", role: changed ? "Member" : "Admin" },
        dependsOn: ["groupRole"],
      },
      { key: "userInEng", type: "OrgUserRole", args: { orgId: "$eng.orgId", userId, role: changed ? "Admin" : "Member" } },
      { key: "userEnterprise", type: "EnterpriseUserRole", args: { userId, role: "Member" } },
      {
        key: "ciAdmin",
        type: "EnterpriseServiceUserRole",
        args: { serviceUserId: "$ci.serviceUserId", role: changed ? "Member" : "Admin" },
      },
      { key: "ciInData", type: "OrgServiceUserRole", args: { orgId: "$data.orgId", serviceUserId: "$ci.serviceUserId", role: "Member" } },
      { key: "ips", type: "IpAccessList", args: { ipRanges: changed ? ["127.0.0.1/32", "10.0.0.0/8"] : ["127.0.0.1", "203.0.113.7/24"] } },
      {
        key: "limits",
        type: "OrgGroupLimits",
        args: { groups: [{ name: "all", orgIds: ["$eng.orgId", "$data.orgId"], maxCycleAcus: changed ? 8000 : 5000 }] },
      },
      {
        key: "tags",
        type: "OrgTags",
        args: { orgId: "$eng.orgId", tags: changed ? ["bugfix", "feature", "migration"] : ["feature", "bugfix"], defaultTag: "feature" },
      },
    ],
  };
}

describe("access resources through the real CLI", () => {
  it("create, a no-op second up, an in-place update, drift seen by refresh, and destroy", async () => {
    const userId = await seededUser(emu());
    await stack().setSpec(accessSpec(userId));
    await stack().ok(["up", "--yes", "--skip-preview"]);
    const { orgIds, serviceUserIds } = await stack().outputs();
    const [eng, data, ci] = [orgIds.eng, orgIds.data, serviceUserIds.ci];
    const group = encodeURIComponent("eng/platform");
    const api = emu();
    const get = async <T>(path: string) => (await api.call<T>("GET", path)).body;

    expect(roleAt(await get<Roles>(`/v3/enterprise/members/idp-groups/${group}`), null)).toBe("account_member");
    expect(roleAt(await get<Roles>(`/v3/enterprise/organizations/${eng}/members/idp-groups/${group}`), eng)).toBe("org_admin");
    expect(roleAt(await get<Roles>(`/v3/enterprise/members/users/${userId}`), eng)).toBe("org_member");
    const ciRoles = await get<Roles>(`/v3/enterprise/members/service-users/${ci}`);
    expect([roleAt(ciRoles, null), roleAt(ciRoles, eng), roleAt(ciRoles, data)]).toEqual(["account_admin", "org_member", "org_member"]);
    expect(await get("/v3/enterprise/ip-access-list")).toEqual({ ip_ranges: ["127.0.0.1/32", "203.0.113.0/24"] });
    expect(await get("/v3/enterprise/org-group-limits")).toEqual({
      groups: { all: { org_ids: [eng, data].sort(), max_cycle_acus: 5000 } },
    });
    expect(await get(`/v3/enterprise/organizations/${eng}/tags`)).toEqual({ tags: ["bugfix", "feature"] });
    expect(await get(`/v3/enterprise/organizations/${eng}/tags/default`)).toEqual({ default_tag: "feature" });

    // A second up changes nothing and writes nothing.
    let mark = (await api.requests()).length;
    await stack().ok(["preview", "--expect-no-changes"]);
    const again = await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(again.stdout).not.toMatch(/created|updated|deleted|replaced/);
    expect(await writesSince(api, mark)).toEqual([]);

    // In place: roles, ranges, the group cap and the tags change without replacing anything.
    await stack().setSpec(accessSpec(userId, true));
    mark = (await api.requests()).length;
    const update = await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(update.stdout).toMatch(/6 updated/);
    expect(update.stdout).not.toMatch(/replaced|created|deleted/);
    expect(await writesSince(api, mark)).toEqual(
      expect.arrayContaining([
        `PATCH /enterprise/organizations/${eng}/members/idp-groups/${group}`,
        `PATCH /enterprise/organizations/${eng}/members/users/${userId}`,
        `PATCH /enterprise/members/service-users/${ci}`,
        "PUT /enterprise/ip-access-list",
        "PUT /enterprise/org-group-limits",
        `PUT /enterprise/organizations/${eng}/tags`,
      ]),
    );
    expect((await writesSince(api, mark)).length).toBe(6);

    // Outside Pulumi: a role changed, a range added, a tag removed. Refresh sees each; up restores them.
    await api.call("PATCH", `/v3/enterprise/organizations/${eng}/members/users/${userId}`, { role_id: "org_member" });
    await api.call("POST", "/v3/enterprise/ip-access-list", { ip_ranges: ["198.51.100.0/24"] });
    await api.call("DELETE", `/v3/enterprise/organizations/${eng}/tags/migration`);
    await stack().ok(["refresh", "--yes", "--skip-preview"]);
    const drifted = await stack().run(["preview", "--expect-no-changes"]);
    expect(drifted.code).not.toBe(0);
    const restored = await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(restored.stdout).toMatch(/3 updated/);
    expect(roleAt(await get<Roles>(`/v3/enterprise/members/users/${userId}`), eng)).toBe("org_admin");
    expect(await get("/v3/enterprise/ip-access-list")).toEqual({ ip_ranges: ["127.0.0.1/32", "10.0.0.0/8"] });
    await stack().ok(["preview", "--expect-no-changes"]);

    // Destroy takes away what the API can take away; the enterprise roles of a member and a service user stay.
    await stack().ok(["destroy", "--yes", "--skip-preview"]);
    expect(await get("/v3/enterprise/ip-access-list")).toEqual({ ip_ranges: [] });
    expect(await get("/v3/enterprise/org-group-limits")).toEqual({ groups: {} });
    expect((await get<{ items: unknown[] }>("/v3/enterprise/idp-groups")).items).toEqual([]);
    expect(roleAt(await get<Roles>(`/v3/enterprise/members/users/${userId}`), null)).toBe("account_member");
    expect(stack().transcript).not.toContain(api.token);
  });

  it("a list that would lock the provider out fails at preview, with no request to change it", async () => {
    await stack().setSpec({
      orgs: [],
      serviceUsers: [],
      resources: [{ key: "ips", type: "IpAccessList", args: { ipRanges: ["203.0.113.0/24"] } }],
    });
    const mark = (await emu().requests()).length;
    const preview = await stack().run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain("would lock out pulumi-devin itself: it calls the API from 127.0.0.1");
    expect(await writesSince(emu(), mark)).toEqual([]);
  });
});
