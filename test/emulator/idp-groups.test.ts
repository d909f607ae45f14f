import { describe, expect, it } from "vitest";
import { expectEach, ROLES, useTestEmulator, type Page, type Problem, type SeededUser } from "../support/emulator";

const emu = useTestEmulator();

type Group = { idp_group_name: string; role_assignments: SeededUser["role_assignments"] };

const { accountAdmin: ACCOUNT_ADMIN, accountMember: ACCOUNT_MEMBER, orgAdmin: ORG_ADMIN, orgMember: ORG_MEMBER } = ROLES;
const REGISTRY = "/v3/enterprise/idp-groups";
const MAPPINGS = "/v3/enterprise/members/idp-groups";
const enc = encodeURIComponent;
const newOrg = (name?: string) => emu().newOrg(name);
const register = (...names: string[]) => emu().call<{ idp_group_name: string }[]>("POST", REGISTRY, { idp_group_names: names });
const orgMappings = (orgId: string) => `/v3/enterprise/organizations/${orgId}/members/idp-groups`;

describe("IdP group registration", () => {
  it("registers in bulk (existing names ignored, every requested name answered), lists and unregisters", async () => {
    const first = await register("engineering", "design");
    expect(first.status).toBe(200);
    expect(first.body).toEqual([{ idp_group_name: "engineering" }, { idp_group_name: "design" }]);
    const again = await register("design", "ops", "ops");
    expect(again.body).toEqual([{ idp_group_name: "design" }, { idp_group_name: "ops" }]);

    const list = await emu().call<Page<{ idp_group_name: string }>>("GET", REGISTRY);
    expect(list.body).toEqual({
      items: [{ idp_group_name: "engineering" }, { idp_group_name: "design" }, { idp_group_name: "ops" }],
      end_cursor: null,
      has_next_page: false,
      total: 3,
    });
    const paged = await emu().call<Page<unknown>>("GET", `${REGISTRY}?first=2`);
    expect(paged.body).toMatchObject({ has_next_page: true, end_cursor: expect.any(String) });

    const removed = await emu().call("DELETE", `${REGISTRY}/design`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ idp_group_name: "design" });
    expect((await emu().call("DELETE", `${REGISTRY}/design`)).status).toBe(404);

    const actions = (await emu().auditLog()).map((l) => `${l.action}:${String(l.data.idp_group_name)}`);
    expect(actions).toEqual(["create_idp_group:engineering", "create_idp_group:design", "create_idp_group:ops", "delete_idp_group:design"]);
  });

  it.each([
    [{}, "body.idp_group_names"],
    [{ idp_group_names: [] }, "body.idp_group_names"],
    [{ idp_group_names: [""] }, "body.idp_group_names.0"],
    [{ idp_group_names: Array.from({ length: 101 }, (_, i) => `g${i}`) }, "body.idp_group_names"],
    [{ idp_group_names: "eng" }, "body.idp_group_names"],
  ])("rejects %j with a 422 on %s", async (body, field) => {
    const res = await emu().call<Problem>("POST", REGISTRY, body);
    expect(res.status).toBe(422);
    expect(res.body.errors?.map((e) => e.loc.join("."))).toContain(field);
  });

  it("unregistering drops every mapping, so the group's users inherit nothing", async () => {
    const orgId = await newOrg();
    await register("eng");
    await emu().call("POST", `${MAPPINGS}/eng`, { role_id: "account_member" });
    await emu().call("POST", `${orgMappings(orgId)}/eng`, { role_id: "org_member" });
    const { idpUsers } = await emu().seed({ idpUsers: [{ email: "e@example.com", groups: ["eng"] }] });
    const userPath = `/v3/enterprise/members/users/${(idpUsers as SeededUser[])[0].user_id}`;
    expect((await emu().call<SeededUser>("GET", userPath)).body.idp_role_assignments).toHaveLength(2);

    await emu().call("DELETE", `${REGISTRY}/eng`);
    expect((await emu().call("GET", `${MAPPINGS}/eng`)).status).toBe(404);
    expect((await emu().call<Page<Group>>("GET", orgMappings(orgId))).body.items).toEqual([]);
    expect((await emu().call<SeededUser>("GET", userPath)).body.idp_role_assignments).toEqual([]);
    // Registering the name again starts from no mappings.
    await register("eng");
    expect((await emu().call<Group>("GET", `${MAPPINGS}/eng`)).body).toEqual({ idp_group_name: "eng", role_assignments: [] });
  });
});

describe("IdP group role mappings", () => {
  it("assigns an enterprise role (404 unregistered, 409 twice), changes it (404 without one) and removes it", async () => {
    const path = `${MAPPINGS}/eng`;
    expect((await emu().call<Problem>("POST", path, { role_id: "account_member" })).status).toBe(404);
    await register("eng");
    // A registered group has no role on its own.
    expect((await emu().call<Group>("GET", path)).body).toEqual({ idp_group_name: "eng", role_assignments: [] });
    expect((await emu().call("PATCH", path, { role_id: "account_admin" })).status).toBe(404);
    expect((await emu().call("DELETE", path)).status).toBe(404);

    const assigned = await emu().call<Group>("POST", path, { role_id: "account_member" });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toEqual({ idp_group_name: "eng", role_assignments: [{ role: ACCOUNT_MEMBER, org_id: null }] });
    const twice = await emu().call<Problem>("POST", path, { role_id: "account_member" });
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toContain("PATCH");

    const changed = await emu().call<Group>("PATCH", path, { role_id: "account_admin" });
    expect(changed.body.role_assignments).toEqual([{ role: ACCOUNT_ADMIN, org_id: null }]);
    expect((await emu().call<Page<Group>>("GET", MAPPINGS)).body.items).toEqual([changed.body]);

    const removed = await emu().call<Group>("DELETE", path);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ idp_group_name: "eng", role_assignments: [] });
    expect((await emu().call<Page<Group>>("GET", MAPPINGS)).body.items).toEqual([]);

    const actions = (await emu().auditLog()).filter((l) => l.data.idp_group_name === "eng").map((l) => l.action);
    expect(actions).toEqual(["create_idp_group", "add_enterprise_member", "assign_roles", "delete_member"]);
  });

  it("assigns org roles only after an enterprise role (400), 409 twice, and keeps them when the enterprise role goes", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    await register("eng");
    const path = `${orgMappings(orgId)}/eng`;

    const early = await emu().call<Problem>("POST", path, { role_id: "org_member" });
    expect(early.status).toBe(400);
    expect(early.body.detail).toContain("enterprise role");

    await emu().call("POST", `${MAPPINGS}/eng`, { role_id: "account_member" });
    const assigned = await emu().call<Group>("POST", path, { role_id: "org_member" });
    expect(assigned.status).toBe(200);
    expect(assigned.body.role_assignments).toEqual([
      { role: ACCOUNT_MEMBER, org_id: null },
      { role: ORG_MEMBER, org_id: orgId },
    ]);
    expect((await emu().call("POST", path, { role_id: "org_member" })).status).toBe(409);
    expect((await emu().call<Group>("GET", path)).body).toEqual(assigned.body);
    expect((await emu().call("GET", `${orgMappings(other)}/eng`)).status).toBe(404);
    expect((await emu().call<Page<Group>>("GET", orgMappings(orgId))).body.items.map((g) => g.idp_group_name)).toEqual(["eng"]);
    expect((await emu().call<Page<Group>>("GET", orgMappings(other))).body.items).toEqual([]);

    const changed = await emu().call<Group>("PATCH", path, { role_id: "org_admin" });
    expect(changed.body.role_assignments).toContainEqual({ role: ORG_ADMIN, org_id: orgId });
    expect((await emu().call("PATCH", `${orgMappings(other)}/eng`, { role_id: "org_admin" })).status).toBe(404);

    // Removing the enterprise mapping leaves the org mapping alone.
    await emu().call("DELETE", `${MAPPINGS}/eng`);
    expect((await emu().call<Group>("GET", `${MAPPINGS}/eng`)).body.role_assignments).toEqual([{ role: ORG_ADMIN, org_id: orgId }]);

    const removed = await emu().call<Group>("DELETE", path);
    expect(removed.body.role_assignments).toEqual([]);
    expect((await emu().call("DELETE", path)).status).toBe(404);
    const orgActions = (await emu().auditLog()).filter((l) => l.org_id === orgId && l.action !== "create_org").map((l) => l.action);
    expect(orgActions).toEqual(["add_member", "assign_roles", "delete_member"]);
  });

  it("validates the role type and the org, and drops org mappings with a deleted org", async () => {
    const orgId = await newOrg();
    await register("eng");
    const wrong = await emu().call<Problem>("POST", `${MAPPINGS}/eng`, { role_id: "org_member" });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors?.[0].loc).toEqual(["body", "role_id"]);
    expect((await emu().call<Problem>("POST", `${MAPPINGS}/eng`, { role_id: 5 })).status).toBe(422);
    await emu().call("POST", `${MAPPINGS}/eng`, { role_id: "account_member" });
    expect((await emu().call("POST", `${orgMappings(orgId)}/eng`, { role_id: "account_member" })).status).toBe(422);
    expect((await emu().call("POST", `${orgMappings("org-missing")}/eng`, { role_id: "org_member" })).status).toBe(404);
    expect((await emu().call("GET", orgMappings("org-missing"))).status).toBe(404);

    await emu().call("POST", `${orgMappings(orgId)}/eng`, { role_id: "org_member" });
    await emu().call("DELETE", `/v3/enterprise/organizations/${orgId}`);
    expect((await emu().call<Group>("GET", `${MAPPINGS}/eng`)).body.role_assignments).toEqual([{ role: ACCOUNT_MEMBER, org_id: null }]);
  });

  it("carries names with '/' and other reserved characters percent-encoded in one path segment", async () => {
    const orgId = await newOrg();
    for (const name of ["eng/platform", "a b?c#d%e", "constructor"]) {
      expect((await register(name)).body, name).toEqual([{ idp_group_name: name }]);
      const assigned = await emu().call<Group>("POST", `${MAPPINGS}/${enc(name)}`, { role_id: "account_member" });
      expect(assigned.status, name).toBe(200);
      expect(assigned.body.idp_group_name).toBe(name);
      expect((await emu().call<Group>("GET", `${MAPPINGS}/${enc(name)}`)).body.idp_group_name).toBe(name);
      const org = await emu().call<Group>("POST", `${orgMappings(orgId)}/${enc(name)}`, { role_id: "org_member" });
      expect(org.status, name).toBe(200);
      expect((await emu().call<Group>("GET", `${orgMappings(orgId)}/${enc(name)}`)).body.idp_group_name).toBe(name);
      expect((await emu().call("DELETE", `${orgMappings(orgId)}/${enc(name)}`)).status, name).toBe(200);
      expect((await emu().call("DELETE", `${MAPPINGS}/${enc(name)}`)).status, name).toBe(200);
      expect((await emu().call("DELETE", `${REGISTRY}/${enc(name)}`)).status, name).toBe(200);
    }
    // Unencoded, the '/' splits the path: that is another (unknown) endpoint.
    await register("eng/platform");
    expect((await emu().call("GET", `${MAPPINGS}/eng/platform`)).status).toBe(404);
    expect((await emu().call<Page<{ idp_group_name: string }>>("GET", REGISTRY)).body.items).toEqual([{ idp_group_name: "eng/platform" }]);
    // Names that are properties of every JS object are still just names.
    expect((await emu().call("GET", `${MAPPINGS}/toString`)).status).toBe(404);
  });
});

describe("IdP groups: authentication and permissions", () => {
  it("answers 401 without a token", async () => {
    expect((await emu().call("GET", REGISTRY, undefined, null)).status).toBe(401);
    expect((await emu().call("POST", `${MAPPINGS}/eng`, { role_id: "account_member" }, null)).status).toBe(401);
  });

  it("lets an enterprise Member read mappings but not register or map (403 naming ManageAccountMembership)", async () => {
    await register("eng");
    const member = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    expect((await emu().call("GET", MAPPINGS, undefined, member.token)).status).toBe(200);
    expect((await emu().call("GET", `${MAPPINGS}/eng`, undefined, member.token)).status).toBe(200);
    const calls = [
      ["GET", REGISTRY],
      ["POST", REGISTRY, { idp_group_names: ["x"] }],
      ["DELETE", `${REGISTRY}/eng`],
      ["POST", `${MAPPINGS}/eng`, { role_id: "account_member" }],
      ["PATCH", `${MAPPINGS}/eng`, { role_id: "account_member" }],
      ["DELETE", `${MAPPINGS}/eng`],
    ] as const;
    await expectEach(emu(), calls, member.token, 403, "ManageAccountMembership");
  });

  it("gives an org-scoped service user 403 even on reads of its own org's groups", async () => {
    const orgId = await newOrg();
    const orgAdmin = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_admin");
    const res = await emu().call<Problem>("GET", orgMappings(orgId), undefined, orgAdmin.token);
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain("ViewAccountMembership");
  });
});
