import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, useEmulatorsPerTest, type Page } from "../support/emulator";

const start = useEmulatorsPerTest();

type User = { user_id: string; email: string };

describe("enterprise administration state", () => {
  it("survives a restart: users, IdP groups and mappings, IP list, group limits, tags and feature flags", async () => {
    const stateDir = tempDir();
    const first = await start({ stateDir });
    const orgId = (await first.call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "kept" })).body.org_id;
    const [invited] = (
      await first.call<User[]>("POST", "/v3/enterprise/members/users", {
        emails: ["kept@example.com"],
        enterprise_role_id: "account_member",
      })
    ).body;
    await first.call("POST", "/v3/enterprise/idp-groups", { idp_group_names: ["eng/platform"] });
    await first.call("POST", `/v3/enterprise/members/idp-groups/${encodeURIComponent("eng/platform")}`, { role_id: "account_member" });
    await first.call("POST", `/v3/enterprise/organizations/${orgId}/members/idp-groups/${encodeURIComponent("eng/platform")}`, {
      role_id: "org_admin",
    });
    await first.seed({ idpUsers: [{ email: "sso@example.com", groups: ["eng/platform"] }] });
    await first.call("PUT", "/v3/enterprise/ip-access-list", { ip_ranges: ["127.0.0.1", "203.0.113.0/24"] });
    await first.call("PUT", "/v3/enterprise/org-group-limits", { groups: { g: { org_ids: [orgId], max_cycle_acus: 7 } } });
    await first.call("PUT", `/v3/enterprise/organizations/${orgId}/tags`, { tags: ["b", "a"] });
    await first.call("PUT", `/v3/enterprise/organizations/${orgId}/tags/default`, { tag: "a" });
    await first.features({ orgGroupLimits: false });
    await first.close();

    const second = await start({ stateDir, token: first.token });
    const users = await second.call<Page<User>>("GET", "/v3/enterprise/members/users");
    // The seeded owner is not seeded twice.
    expect(users.body.items.map((u) => u.email)).toEqual(["owner@example.com", "kept@example.com"]);
    expect(users.body.items[1].user_id).toBe(invited.user_id);
    expect((await second.call("GET", `/v3/enterprise/members/idp-groups/${encodeURIComponent("eng/platform")}`)).body).toMatchObject({
      role_assignments: [{ org_id: null }, { org_id: orgId }],
    });
    expect((await second.call<Page<User>>("GET", "/v3/enterprise/members/idp-users")).body.items.map((u) => u.email)).toEqual([
      "sso@example.com",
    ]);
    expect((await second.call("GET", "/v3/enterprise/ip-access-list")).body).toEqual({ ip_ranges: ["127.0.0.1/32", "203.0.113.0/24"] });
    expect((await second.callFrom("198.51.100.1", "GET", "/v3/self")).status).toBe(401);
    expect((await second.call("GET", "/v3/enterprise/org-group-limits")).status).toBe(404);
    await second.features({ orgGroupLimits: true });
    expect((await second.call("GET", "/v3/enterprise/org-group-limits")).body).toEqual({
      groups: { g: { org_ids: [orgId], max_cycle_acus: 7 } },
    });
    expect((await second.call("GET", `/v3/enterprise/organizations/${orgId}/tags`)).body).toEqual({ tags: ["a", "b"] });
    expect((await second.call("GET", `/v3/enterprise/organizations/${orgId}/tags/default`)).body).toEqual({ default_tag: "a" });
  });

  it("loads a state file written before these collections existed", async () => {
    const stateDir = tempDir();
    const old = await start({ stateDir });
    const orgId = (await old.call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "old" })).body.org_id;
    await old.close();
    // Strip the file down to what the first release wrote.
    const file = join(stateDir, "state.json");
    const state = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const firstRelease = ["version", "seq", "orgs", "serviceUsers", "apiKeys", "auditLogs", "consumption"];
    writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(state).filter(([k]) => firstRelease.includes(k)))));

    const emu = await start({ stateDir, token: old.token });
    expect((await emu.call("GET", `/v3/enterprise/organizations/${orgId}`)).status).toBe(200);
    expect((await emu.call<Page<User>>("GET", "/v3/enterprise/members/users")).body.items.map((u) => u.email)).toEqual([
      "owner@example.com",
    ]);
    expect((await emu.call("GET", "/v3/enterprise/ip-access-list")).body).toEqual({ ip_ranges: [] });
    expect((await emu.call("GET", "/v3/enterprise/org-group-limits")).body).toEqual({ groups: {} });
    expect((await emu.call("GET", `/v3/enterprise/organizations/${orgId}/tags`)).body).toEqual({ tags: [] });
    expect((await emu.call("POST", "/v3/enterprise/idp-groups", { idp_group_names: ["new"] })).status).toBe(200);
  });
});
