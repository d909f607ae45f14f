import { describe, expect, it } from "vitest";
import { expectEach, useTestEmulator, type Problem } from "../support/emulator";

const emu = useTestEmulator();

type Groups = { groups: Record<string, { org_ids: string[]; max_cycle_acus: number | null }> };

const LIMITS = "/v3/enterprise/org-group-limits";
const newOrg = (name?: string) => emu().newOrg(name);

describe("org group limits", () => {
  it("starts empty; PUT replaces the whole configuration (absent groups are deleted)", async () => {
    const [a, b, c] = [await newOrg("a"), await newOrg("b"), await newOrg("c")];
    expect((await emu().call<Groups>("GET", LIMITS)).body).toEqual({ groups: {} });

    const first = await emu().call<Groups>("PUT", LIMITS, {
      groups: { research: { org_ids: [a, b], max_cycle_acus: 5000 }, sales: { org_ids: [c] } },
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      groups: { research: { org_ids: [a, b], max_cycle_acus: 5000 }, sales: { org_ids: [c], max_cycle_acus: null } },
    });
    expect((await emu().call<Groups>("GET", LIMITS)).body).toEqual(first.body);

    const second = await emu().call<Groups>("PUT", LIMITS, { groups: { research: { org_ids: [a], max_cycle_acus: 8000 } } });
    expect(second.body).toEqual({ groups: { research: { org_ids: [a], max_cycle_acus: 8000 } } });
    expect((await emu().call<Groups>("GET", "/v3beta1/enterprise/org-group-limits")).body).toEqual(second.body);

    expect((await emu().call<Groups>("PUT", LIMITS, { groups: {} })).body).toEqual({ groups: {} });
    const logs = await emu().auditLog("set_org_group_limits");
    expect(logs.map((l) => Object.keys((l.data as Groups).groups))).toEqual([["research", "sales"], ["research"], []]);
  });

  it("lets an org belong to one group only (422 naming the org), and refuses unknown orgs (422)", async () => {
    const a = await newOrg("a");
    const twice = await emu().call<Problem>("PUT", LIMITS, { groups: { one: { org_ids: [a] }, two: { org_ids: [a] } } });
    expect(twice.status).toBe(422);
    expect(twice.body.errors?.[0].loc).toEqual(["body", "groups", "two", "org_ids", 0]);
    expect(twice.body.detail).toContain(a);
    expect(twice.body.detail).toContain("'one'");

    const unknown = await emu().call<Problem>("PUT", LIMITS, { groups: { one: { org_ids: [a, "org-missing"] } } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors?.[0].loc).toEqual(["body", "groups", "one", "org_ids", 1]);
    expect(unknown.body.detail).toContain("org-missing");
    expect((await emu().call<Groups>("GET", LIMITS)).body).toEqual({ groups: {} });
  });

  it.each([
    [{}, "body.groups"],
    [{ groups: { g: {} } }, "body.groups.g.org_ids"],
    [{ groups: { g: { org_ids: ["x", "x"] } } }, "body.groups.g.org_ids"],
    [{ groups: { g: { org_ids: [], max_cycle_acus: -1 } } }, "body.groups.g.max_cycle_acus"],
    [{ groups: { g: { org_ids: [], max_cycle_acus: 1.5 } } }, "body.groups.g.max_cycle_acus"],
    [{ groups: { g: { org_ids: [], max_cycle_acus: "5" } } }, "body.groups.g.max_cycle_acus"],
    [{ groups: [] }, "body.groups"],
  ])("rejects %j with a 422 on %s", async (body, field) => {
    const res = await emu().call<Problem>("PUT", LIMITS, body);
    expect(res.status).toBe(422);
    expect(res.body.errors?.map((e) => e.loc.join("."))).toContain(field);
  });

  it("forgets a deleted org", async () => {
    const [a, b] = [await newOrg("a"), await newOrg("b")];
    await emu().call("PUT", LIMITS, { groups: { g: { org_ids: [a, b], max_cycle_acus: 0 } } });
    await emu().call("DELETE", `/v3/enterprise/organizations/${a}`);
    expect((await emu().call<Groups>("GET", LIMITS)).body).toEqual({ groups: { g: { org_ids: [b], max_cycle_acus: 0 } } });
  });

  it("answers 404 on both verbs while the feature is off, even for a bad body", async () => {
    await emu().features({ orgGroupLimits: false });
    expect((await emu().call("GET", LIMITS)).status).toBe(404);
    expect((await emu().call("PUT", LIMITS, { groups: {} })).status).toBe(404);
    expect((await emu().call("PUT", LIMITS, { nonsense: true })).status).toBe(404);
    // Authentication and permission still come first.
    expect((await emu().call("GET", LIMITS, undefined, null)).status).toBe(401);
    await emu().features({ orgGroupLimits: true });
    expect((await emu().call("GET", LIMITS)).status).toBe(200);
  });

  it("needs ManageOrganizations (403 for an enterprise Member) and a token (401)", async () => {
    const member = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    const calls = [
      ["GET", LIMITS],
      ["PUT", LIMITS, { groups: {} }],
    ] as const;
    await expectEach(emu(), calls, member.token, 403, "ManageOrganizations");
    await expectEach(emu(), calls, null, 401);
  });
});

describe("org tags and the default tag", () => {
  const tags = (orgId: string) => `/v3/enterprise/organizations/${orgId}/tags`;

  it("stores tags as a sorted set: POST appends, PUT replaces, DELETE clears", async () => {
    const orgId = await newOrg();
    expect((await emu().call("GET", tags(orgId))).body).toEqual({ tags: [] });
    const added = await emu().call("POST", tags(orgId), { tags: ["zeta", "alpha", "Beta", "alpha"] });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ tags: ["Beta", "alpha", "zeta"] });
    expect((await emu().call("POST", tags(orgId), { tags: ["mid", "zeta"] })).body).toEqual({ tags: ["Beta", "alpha", "mid", "zeta"] });
    expect((await emu().call("PUT", tags(orgId), { tags: ["b", "a"] })).body).toEqual({ tags: ["a", "b"] });
    expect((await emu().call("GET", tags(orgId))).body).toEqual({ tags: ["a", "b"] });
    expect((await emu().call("DELETE", tags(orgId))).body).toEqual({ tags: [] });

    const logs = await emu().auditLog("update_org_settings");
    expect(logs).toHaveLength(4);
    expect(logs.every((l) => l.org_id === orgId)).toBe(true);
    expect(logs[0].data).toMatchObject({ setting: "session_tags", tags: ["Beta", "alpha", "zeta"], default_tag: null });
  });

  it("keeps the default among the allowed tags: 400 otherwise; PUT, DELETE-all and deleting the tag clear it", async () => {
    const orgId = await newOrg();
    const def = `${tags(orgId)}/default`;
    expect((await emu().call("GET", def)).body).toEqual({ default_tag: null });
    const notAllowed = await emu().call<Problem>("PUT", def, { tag: "prod" });
    expect(notAllowed.status).toBe(400);
    expect(notAllowed.body.detail).toContain("'prod'");

    await emu().call("POST", tags(orgId), { tags: ["prod", "dev"] });
    expect((await emu().call("PUT", def, { tag: "prod" })).body).toEqual({ default_tag: "prod" });
    expect((await emu().call("GET", def)).body).toEqual({ default_tag: "prod" });

    // A PUT that keeps the tag keeps the default; one that drops it clears the default.
    await emu().call("PUT", tags(orgId), { tags: ["prod", "qa"] });
    expect((await emu().call("GET", def)).body).toEqual({ default_tag: "prod" });
    await emu().call("PUT", tags(orgId), { tags: ["qa"] });
    expect((await emu().call("GET", def)).body).toEqual({ default_tag: null });

    await emu().call("PUT", def, { tag: "qa" });
    await emu().call("DELETE", tags(orgId));
    expect((await emu().call("GET", def)).body).toEqual({ default_tag: null });

    await emu().call("PUT", tags(orgId), { tags: ["a", "b"] });
    await emu().call("PUT", def, { tag: "a" });
    expect((await emu().call("DELETE", `${tags(orgId)}/a`)).body).toEqual({ tags: ["b"] });
    expect((await emu().call("GET", def)).body).toEqual({ default_tag: null });

    await emu().call("PUT", def, { tag: "b" });
    expect((await emu().call("DELETE", def)).body).toEqual({ default_tag: null });
    expect((await emu().call("DELETE", def)).status).toBe(200);
    expect((await emu().call("GET", tags(orgId))).body).toEqual({ tags: ["b"] });
  });

  it("removes one tag by name, '/' included (404 when it is not there)", async () => {
    const orgId = await newOrg();
    await emu().call("PUT", tags(orgId), { tags: ["team/a", "team/b", "x y"] });
    expect((await emu().call("DELETE", `${tags(orgId)}/${encodeURIComponent("team/a")}`)).body).toEqual({ tags: ["team/b", "x y"] });
    expect((await emu().call("DELETE", `${tags(orgId)}/${encodeURIComponent("x y")}`)).body).toEqual({ tags: ["team/b"] });
    expect((await emu().call("DELETE", `${tags(orgId)}/missing`)).status).toBe(404);
  });

  it("validates bodies (422), the org (404), and forgets the tags of a deleted org", async () => {
    const orgId = await newOrg();
    for (const body of [{}, { tags: "a" }, { tags: [""] }, { tags: [1] }]) {
      expect((await emu().call("POST", tags(orgId), body)).status, JSON.stringify(body)).toBe(422);
    }
    expect((await emu().call("PUT", `${tags(orgId)}/default`, {})).status).toBe(422);
    expect((await emu().call("GET", tags("org-missing"))).status).toBe(404);
    expect((await emu().call("PUT", tags("org-missing"), { tags: ["a"] })).status).toBe(404);
    await emu().call("PUT", tags(orgId), { tags: ["a"] });
    await emu().call("DELETE", `/v3/enterprise/organizations/${orgId}`);
    expect((await emu().call("GET", tags(orgId))).status).toBe(404);
  });

  it("answers 403 on every tag call while the session-tags feature is off", async () => {
    const orgId = await newOrg();
    await emu().features({ sessionTags: false });
    const calls = [
      ["GET", tags(orgId)],
      ["POST", tags(orgId), { tags: ["a"] }],
      ["PUT", tags(orgId), { tags: "not even valid" }],
      ["DELETE", tags(orgId)],
      ["DELETE", `${tags(orgId)}/a`],
      ["GET", `${tags(orgId)}/default`],
      ["PUT", `${tags(orgId)}/default`, { tag: "a" }],
      ["DELETE", `${tags(orgId)}/default`],
    ] as const;
    await expectEach(emu(), calls, emu().token, 403, "session tags");
    // The flag is per enterprise and independent of the other one.
    expect((await emu().call("GET", LIMITS)).status).toBe(200);
    await emu().features({ sessionTags: true });
    expect((await emu().call("GET", tags(orgId))).status).toBe(200);
  });

  it("needs ManageEnterpriseSettings (403) and a token (401)", async () => {
    const orgId = await newOrg();
    const member = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    const orgAdmin = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_admin");
    const calls = [
      ["GET", tags(orgId)],
      ["PUT", `${tags(orgId)}/default`, { tag: "a" }],
    ] as const;
    for (const token of [member.token, orgAdmin.token]) await expectEach(emu(), calls, token, 403, "ManageEnterpriseSettings");
    await expectEach(emu(), calls, null, 401);
  });
});

describe("feature flags", () => {
  it("are both on by default and come back on after a reset", async () => {
    const read = async () => (await emu().call("GET", "/_emulator/features", undefined, null)).body;
    expect(await read()).toEqual({ orgGroupLimits: true, sessionTags: true });
    await emu().features({ orgGroupLimits: false, sessionTags: false });
    expect(await read()).toEqual({ orgGroupLimits: false, sessionTags: false });
    await emu().reset();
    expect(await read()).toEqual({ orgGroupLimits: true, sessionTags: true });
    expect((await emu().call("PUT", "/_emulator/features", { sessionTags: "no" }, null)).status).toBe(422);
  });
});
