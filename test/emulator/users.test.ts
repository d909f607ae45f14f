import { describe, expect, it } from "vitest";
import { expectEach, ROLES, useTestEmulator, type Page, type Problem, type SeededUser } from "../support/emulator";

const emu = useTestEmulator();

type User = Omit<SeededUser, "idp_role_assignments">;
type IdpUser = Omit<SeededUser, "role_assignments">;

const { accountAdmin: ACCOUNT_ADMIN, accountMember: ACCOUNT_MEMBER, orgAdmin: ORG_ADMIN, orgMember: ORG_MEMBER } = ROLES;
const USERS = "/v3/enterprise/members/users";
const newOrg = (name?: string) => emu().newOrg(name);
const invite = async (emails: string[], role = "account_member") => emu().call<User[]>("POST", USERS, { emails, enterprise_role_id: role });

/** Registers an IdP group and maps it to an enterprise role, and optionally to an org role. */
async function mapGroup(name: string, enterpriseRole: string, org?: { orgId: string; roleId: string }) {
  await emu().call("POST", "/v3/enterprise/idp-groups", { idp_group_names: [name] });
  await emu().call("POST", `/v3/enterprise/members/idp-groups/${encodeURIComponent(name)}`, { role_id: enterpriseRole });
  if (org) {
    await emu().call("POST", `/v3/enterprise/organizations/${org.orgId}/members/idp-groups/${encodeURIComponent(name)}`, {
      role_id: org.roleId,
    });
  }
}

describe("enterprise users", () => {
  it("seeds one direct Member, owner@example.com, also after a reset", async () => {
    const page = await emu().call<Page<User>>("GET", `${USERS}?first=1`);
    expect(page.status).toBe(200);
    expect(page.body.items).toEqual([
      {
        user_id: expect.stringMatching(/^user-[0-9a-f]{32}$/),
        email: "owner@example.com",
        name: "Enterprise Owner",
        role_assignments: [{ role: ACCOUNT_MEMBER, org_id: null }],
      },
    ]);
    expect(page.body).toMatchObject({ end_cursor: null, has_next_page: false, total: 1 });
  });

  it("invites in bulk: a bare array of new users with name null and the given enterprise role", async () => {
    const res = await invite(["a@example.com", "B@Example.com"]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        user_id: expect.stringMatching(/^user-[0-9a-f]{32}$/),
        email: "a@example.com",
        name: null,
        role_assignments: [{ role: ACCOUNT_MEMBER, org_id: null }],
      },
      {
        user_id: expect.stringMatching(/^user-[0-9a-f]{32}$/),
        email: "B@Example.com",
        name: null,
        role_assignments: [{ role: ACCOUNT_MEMBER, org_id: null }],
      },
    ]);
    // Members already there (in any case) are skipped, not answered again.
    const again = await invite(["A@EXAMPLE.COM", "c@example.com"]);
    expect(again.body.map((u) => u.email)).toEqual(["c@example.com"]);
    expect((await invite([])).body).toEqual([]);

    const added = await emu().auditLog("add_enterprise_member");
    expect(added.map((l) => l.data.email)).toEqual(["a@example.com", "B@Example.com", "c@example.com"]);
    expect((await emu().call<Page<User>>("GET", USERS)).body.total).toBe(4);
  });

  it("filters the list by email, exactly and without regard to case", async () => {
    await invite(["dev@example.com", "developer@example.com"]);
    const one = await emu().call<Page<User>>("GET", `${USERS}?email=DEV@example.com`);
    expect(one.body.items.map((u) => u.email)).toEqual(["dev@example.com"]);
    const none = await emu().call<Page<User>>("GET", `${USERS}?email=nobody@example.com`);
    expect(none.status).toBe(200);
    expect(none.body.items).toEqual([]);
  });

  it("gets a user with direct and IdP-derived roles; changes its enterprise role; deletes it", async () => {
    const orgId = await newOrg();
    await mapGroup("eng", "account_member", { orgId, roleId: "org_member" });
    const [user] = (await invite(["both@example.com"], "account_member")).body;
    await emu().seed({ idpUsers: [{ email: "both@example.com", groups: ["eng"] }] });

    const got = await emu().call<SeededUser>("GET", `${USERS}/${user.user_id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      user_id: user.user_id,
      email: "both@example.com",
      name: null,
      role_assignments: [{ role: ACCOUNT_MEMBER, org_id: null }],
      idp_role_assignments: [
        { role: ACCOUNT_MEMBER, idp_group_name: "eng", org_id: null },
        { role: ORG_MEMBER, idp_group_name: "eng", org_id: orgId },
      ],
    });

    const patched = await emu().call<User>("PATCH", `${USERS}/${user.user_id}`, { role_id: "account_admin" });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({
      user_id: user.user_id,
      email: "both@example.com",
      name: null,
      role_assignments: [{ role: ACCOUNT_ADMIN, org_id: null }],
    });

    const deleted = await emu().call<User>("DELETE", `${USERS}/${user.user_id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.role_assignments).toEqual([{ role: ACCOUNT_ADMIN, org_id: null }]);
    // Still a member through its IdP group, so it moves to the IdP-derived list.
    expect((await emu().call<Page<User>>("GET", `${USERS}?email=both@example.com`)).body.items).toEqual([]);
    const idp = await emu().call<Page<IdpUser>>("GET", "/v3/enterprise/members/idp-users?email=both@example.com");
    expect(idp.body.items.map((u) => u.user_id)).toEqual([user.user_id]);

    const actions = (await emu().auditLog()).map((l) => l.action);
    expect(actions).toContain("assign_roles");
    expect(actions).toContain("delete_member");
  });

  it("deletes a direct-only user for good: 404 afterwards", async () => {
    const [user] = (await invite(["gone@example.com"])).body;
    expect((await emu().call("DELETE", `${USERS}/${user.user_id}`)).status).toBe(200);
    expect((await emu().call("GET", `${USERS}/${user.user_id}`)).status).toBe(404);
    expect((await emu().call("DELETE", `${USERS}/${user.user_id}`)).status).toBe(404);
    expect((await emu().call("PATCH", `${USERS}/${user.user_id}`, { role_id: "account_member" })).status).toBe(404);
  });

  it("refuses to change or remove an IdP-derived user through the user endpoints (400, pointing at the mapping)", async () => {
    await mapGroup("sso", "account_member");
    const { idpUsers } = await emu().seed({ idpUsers: [{ email: "sso@example.com", name: "Sso", groups: ["sso"] }] });
    const id = (idpUsers as SeededUser[])[0].user_id;
    for (const [method, body] of [
      ["PATCH", { role_id: "account_admin" }],
      ["DELETE", undefined],
    ] as const) {
      const res = await emu().call<Problem>(method, `${USERS}/${id}`, body);
      expect(res.status, method).toBe(400);
      expect(res.body.detail).toContain("IdP group mapping");
      expect(res.body.detail).toContain("'sso'");
    }
    expect((await emu().call<SeededUser>("GET", `${USERS}/${id}`)).body.role_assignments).toEqual([]);
  });

  it("lists IdP-derived users only, with their inherited roles, and filters them by email", async () => {
    await mapGroup("eng/platform", "account_member");
    await emu().seed({
      idpUsers: [
        { email: "p1@example.com", groups: ["eng/platform"] },
        { email: "nothing@example.com", groups: ["unmapped"] },
      ],
    });
    const res = await emu().call<Page<IdpUser>>("GET", "/v3/enterprise/members/idp-users");
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        user_id: expect.stringMatching(/^user-/),
        email: "p1@example.com",
        name: null,
        idp_role_assignments: [{ role: ACCOUNT_MEMBER, idp_group_name: "eng/platform", org_id: null }],
      },
    ]);
    expect((await emu().call<Page<IdpUser>>("GET", "/v3/enterprise/members/idp-users?email=P1@EXAMPLE.COM")).body.total).toBe(1);
    // Direct members are not IdP-derived.
    expect((await emu().call<Page<IdpUser>>("GET", "/v3/enterprise/members/idp-users?email=owner@example.com")).body.total).toBe(0);
  });
});

describe("org membership of users", () => {
  it("assigns (409 twice), changes (404 without one) and removes an org role; lists an org's direct members", async () => {
    const orgId = await newOrg();
    const [user] = (await invite(["member@example.com"])).body;
    const path = `/v3/enterprise/organizations/${orgId}/members/users/${user.user_id}`;

    expect((await emu().call("PATCH", path, { role_id: "org_admin" })).status).toBe(404);
    expect((await emu().call("DELETE", path)).status).toBe(404);
    const added = await emu().call<User>("POST", path, { role_id: "org_member" });
    expect(added.status).toBe(200);
    expect(added.body.role_assignments).toEqual([
      { role: ACCOUNT_MEMBER, org_id: null },
      { role: ORG_MEMBER, org_id: orgId },
    ]);
    const twice = await emu().call<Problem>("POST", path, { role_id: "org_member" });
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toContain("PATCH");

    const listed = await emu().call<Page<User>>("GET", `/v3/enterprise/organizations/${orgId}/members/users`);
    expect(listed.body.items.map((u) => u.user_id)).toEqual([user.user_id]);

    const changed = await emu().call<User>("PATCH", path, { role_id: "org_admin" });
    expect(changed.body.role_assignments).toContainEqual({ role: ORG_ADMIN, org_id: orgId });
    // U3 lists every direct assignment: that is how an org role is read back.
    const read = await emu().call<SeededUser>("GET", `${USERS}/${user.user_id}`);
    expect(read.body.role_assignments).toEqual([
      { role: ACCOUNT_MEMBER, org_id: null },
      { role: ORG_ADMIN, org_id: orgId },
    ]);

    const removed = await emu().call<User>("DELETE", path);
    expect(removed.status).toBe(200);
    expect(removed.body.role_assignments).toEqual([{ role: ACCOUNT_MEMBER, org_id: null }]);
    expect((await emu().call<Page<User>>("GET", `/v3/enterprise/organizations/${orgId}/members/users`)).body.items).toEqual([]);

    const orgActions = (await emu().auditLog()).filter((l) => l.org_id === orgId && l.action !== "create_org").map((l) => l.action);
    expect(orgActions).toEqual(["add_member", "assign_roles", "delete_member"]);
  });

  it("validates the role (422), the org and user (404), and deletes memberships with the org", async () => {
    const orgId = await newOrg();
    const [user] = (await invite(["v@example.com"])).body;
    const path = `/v3/enterprise/organizations/${orgId}/members/users/${user.user_id}`;
    const wrongType = await emu().call<Problem>("POST", path, { role_id: "account_member" });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.errors?.[0].loc).toEqual(["body", "role_id"]);
    expect((await emu().call<Problem>("POST", path, {})).body.errors?.[0].loc).toEqual(["body", "role_id"]);
    expect(
      (await emu().call("POST", `/v3/enterprise/organizations/org-missing/members/users/${user.user_id}`, { role_id: "org_member" }))
        .status,
    ).toBe(404);
    expect(
      (await emu().call("POST", `/v3/enterprise/organizations/${orgId}/members/users/user-missing`, { role_id: "org_member" })).status,
    ).toBe(404);
    expect((await emu().call("GET", "/v3/enterprise/organizations/org-missing/members/users")).status).toBe(404);

    await emu().call("POST", path, { role_id: "org_member" });
    await emu().call("DELETE", `/v3/enterprise/organizations/${orgId}`);
    expect((await emu().call<SeededUser>("GET", `${USERS}/${user.user_id}`)).body.role_assignments).toEqual([
      { role: ACCOUNT_MEMBER, org_id: null },
    ]);
  });

  it("lists an org's IdP-derived members, also through the org-scoped path for an org token", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    await mapGroup("eng", "account_member", { orgId, roleId: "org_admin" });
    const { idpUsers } = await emu().seed({ idpUsers: [{ email: "i@example.com", groups: ["eng"] }] });
    const id = (idpUsers as SeededUser[])[0].user_id;

    const ent = await emu().call<Page<IdpUser>>("GET", `/v3/enterprise/organizations/${orgId}/members/idp-users`);
    expect(ent.status).toBe(200);
    expect(ent.body.items.map((u) => u.user_id)).toEqual([id]);
    expect((await emu().call<Page<IdpUser>>("GET", `/v3/enterprise/organizations/${other}/members/idp-users`)).body.items).toEqual([]);

    const orgAdmin = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_admin");
    for (const path of [`/v3beta1/organizations/${orgId}/members/idp-users`, "/v3beta1/organizations/members/idp-users"]) {
      const res = await emu().call<Page<IdpUser>>("GET", path, undefined, orgAdmin.token);
      expect(res.status, path).toBe(200);
      expect(res.body.items.map((u) => u.user_id)).toEqual([id]);
    }
    // ViewOrgMembership is an org permission: not in another org.
    const elsewhere = await emu().call<Problem>("GET", `/v3beta1/organizations/${other}/members/idp-users`, undefined, orgAdmin.token);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.detail).toContain("ViewOrgMembership");

    // The role in that org comes from the IdP: the org endpoints point at the mapping too.
    const path = `/v3/enterprise/organizations/${orgId}/members/users/${id}`;
    expect((await emu().call<Problem>("PATCH", path, { role_id: "org_member" })).status).toBe(400);
    expect((await emu().call<Problem>("DELETE", path)).status).toBe(400);
    // But a direct org role can be added on top, which makes the user a direct member of that org.
    expect((await emu().call<User>("POST", path, { role_id: "org_member" })).status).toBe(200);
    expect((await emu().call<Page<IdpUser>>("GET", `/v3/enterprise/organizations/${orgId}/members/idp-users`)).body.items).toEqual([]);
  });

  it("refuses an org role for a user who is not a member of the enterprise (400)", async () => {
    const orgId = await newOrg();
    const { idpUsers } = await emu().seed({ idpUsers: [{ email: "unmapped@example.com", groups: ["nobody-maps-this"] }] });
    const id = (idpUsers as SeededUser[])[0].user_id;
    const res = await emu().call<Problem>("POST", `/v3/enterprise/organizations/${orgId}/members/users/${id}`, { role_id: "org_member" });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain("not a member of the enterprise");
  });
});

describe("users: authentication, permissions, validation", () => {
  it("answers 401 without a token or with an unknown one", async () => {
    const calls = [
      ["GET", USERS],
      ["POST", USERS, { emails: [], enterprise_role_id: "account_member" }],
      ["GET", "/v3/enterprise/members/idp-users"],
    ] as const;
    for (const token of [null, `cog_${"a".repeat(52)}`]) await expectEach(emu(), calls, token, 401);
  });

  it("lets an enterprise Member read but not manage users (403 naming the permission)", async () => {
    const member = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    const [user] = (await invite(["x@example.com"])).body;
    expect((await emu().call("GET", USERS, undefined, member.token)).status).toBe(200);
    expect((await emu().call("GET", `${USERS}/${user.user_id}`, undefined, member.token)).status).toBe(200);
    expect((await emu().call("GET", "/v3/enterprise/members/idp-users", undefined, member.token)).status).toBe(200);
    const calls = [
      ["POST", USERS, { emails: ["y@example.com"], enterprise_role_id: "account_member" }],
      ["PATCH", `${USERS}/${user.user_id}`, { role_id: "account_member" }],
      ["DELETE", `${USERS}/${user.user_id}`],
    ] as const;
    await expectEach(emu(), calls, member.token, 403, "ManageAccountMembership");
  });

  it("gives an org-scoped service user 403 on the enterprise user lists", async () => {
    const orgId = await newOrg();
    const orgAdmin = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_admin");
    const res = await emu().call<Problem>("GET", USERS, undefined, orgAdmin.token);
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain("ViewAccountMembership");
    expect((await emu().call("GET", `/v3/enterprise/organizations/${orgId}/members/users`, undefined, orgAdmin.token)).status).toBe(403);
  });

  it.each([
    [{ emails: ["not-an-email"], enterprise_role_id: "account_member" }, "body.emails.0"],
    [{ emails: Array.from({ length: 101 }, (_, i) => `u${i}@example.com`), enterprise_role_id: "account_member" }, "body.emails"],
    [{ emails: ["a@example.com"] }, "body.enterprise_role_id"],
    [{ emails: ["a@example.com"], enterprise_role_id: "org_member" }, "body.enterprise_role_id"],
    [{ emails: ["a@example.com"], enterprise_role_id: "developer" }, "body.enterprise_role_id"],
    [{ enterprise_role_id: "account_member" }, "body.emails"],
  ])("rejects the invite %j with a 422 on %s", async (body, field) => {
    const res = await emu().call<Problem>("POST", USERS, body);
    expect(res.status).toBe(422);
    expect(res.body.errors?.map((e) => e.loc.join("."))).toContain(field);
  });

  it("lets a service user promoted to enterprise Admin by assignment invite admins", async () => {
    const su = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    const path = `/v3/enterprise/members/service-users/${su.service_user.service_user_id}`;
    expect((await emu().call("PATCH", path, { role_id: "account_admin" })).status).toBe(200);
    const res = await emu().call<User[]>("POST", USERS, { emails: ["boss@example.com"], enterprise_role_id: "account_admin" }, su.token);
    expect(res.status).toBe(200);
    expect(res.body[0].role_assignments).toEqual([{ role: ACCOUNT_ADMIN, org_id: null }]);
  });
});

describe("seeding users through the control plane", () => {
  it("creates direct and IdP-derived users, answering UserWithIdpRoles, and keeps them all-or-nothing", async () => {
    const orgId = await newOrg();
    await mapGroup("eng", "account_member", { orgId, roleId: "org_member" });
    const res = await emu().seed({
      users: [{ email: "d@example.com", name: "D", enterpriseRoleId: "account_admin", orgRoles: [{ orgId, roleId: "org_admin" }] }],
      idpUsers: [{ email: "s@example.com", groups: ["eng"] }],
    });
    expect(res.users).toEqual([
      {
        user_id: expect.stringMatching(/^user-[0-9a-f]{32}$/),
        email: "d@example.com",
        name: "D",
        role_assignments: [
          { role: ACCOUNT_ADMIN, org_id: null },
          { role: ORG_ADMIN, org_id: orgId },
        ],
        idp_role_assignments: [],
      },
    ]);
    expect(res.idpUsers).toEqual([
      {
        user_id: expect.stringMatching(/^user-[0-9a-f]{32}$/),
        email: "s@example.com",
        name: null,
        role_assignments: [],
        idp_role_assignments: [
          { role: ACCOUNT_MEMBER, idp_group_name: "eng", org_id: null },
          { role: ORG_MEMBER, idp_group_name: "eng", org_id: orgId },
        ],
      },
    ]);
    // A direct user's enterprise role defaults to Member.
    const plain = await emu().seed({ users: [{ email: "plain@example.com" }] });
    expect(plain.users?.[0].role_assignments).toEqual([{ role: ACCOUNT_MEMBER, org_id: null }]);

    const bad = await emu().call<Problem>(
      "POST",
      "/_emulator/seed",
      { users: [{ email: "x@example.com", orgRoles: [{ orgId: "org-missing", roleId: "account_member" }] }], widgets: [] },
      null,
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.map((e) => e.loc.join("."))).toEqual([
      "body.widgets",
      "body.users.0.orgRoles.0.orgId",
      "body.users.0.orgRoles.0.roleId",
    ]);
    expect((await emu().call<Page<User>>("GET", `${USERS}?email=x@example.com`)).body.total).toBe(0);
  });
});
