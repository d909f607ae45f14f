import { describe, expect, it } from "vitest";
import { useTestEmulator } from "../support/emulator";

const emu = useTestEmulator();

type SU = {
  service_user_id: string;
  name: string;
  expires_at: number | null;
  deleted_at: number | null;
  role_assignments: { role: { role_id: string }; org_id: string | null }[];
};
type Provisioned = { service_user: SU; token: string };

const newOrg = async (name = "eng") => (await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name })).body.org_id;

describe("service-user provisioning", () => {
  it("provisions an enterprise service user and shows the token once", async () => {
    const res = await emu().call<Provisioned>("POST", "/v3beta1/enterprise/service-users", {
      name: "ci",
      role_id: "account_member",
      ttl_seconds: 3600,
    });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^cog_[a-z2-7]{52}$/);
    expect(res.body.service_user.service_user_id).toMatch(/^service-user-[0-9a-f]{32}$/);
    expect(res.body.service_user.role_assignments).toEqual([
      { role: { role_id: "account_member", role_name: "Member", role_type: "enterprise" }, org_id: null },
    ]);
    const got = await emu().call<SU>("GET", `/v3/enterprise/members/service-users/${res.body.service_user.service_user_id}`);
    expect(got.body).toEqual(res.body.service_user);
    expect(JSON.stringify(got.body)).not.toContain(res.body.token);
    // The new token works.
    const self = await emu().call("GET", "/v3/self", undefined, res.body.token);
    expect(self.body).toMatchObject({ principal_type: "service_user", service_user_name: "ci", org_id: null });
  });

  it("provisions an org service user with an org role", async () => {
    const orgId = await newOrg();
    const res = await emu().call<Provisioned>("POST", `/v3beta1/organizations/${orgId}/service-users`, {
      name: "bot",
      role_id: "org_member",
      ttl_seconds: 60,
    });
    expect(res.status).toBe(200);
    expect(res.body.service_user.role_assignments).toEqual([
      { role: { role_id: "org_member", role_name: "Member", role_type: "org" }, org_id: orgId },
    ]);
    const members = await emu().call<{ items: SU[] }>("GET", `/v3/enterprise/organizations/${orgId}/members/service-users`);
    expect(members.body.items.map((s) => s.name)).toEqual(["bot"]);
    const self = await emu().call("GET", "/v3beta1/enterprise/self", undefined, res.body.token);
    expect(self.body).toEqual({ service_user_id: res.body.service_user.service_user_id, service_user_name: "bot", org_id: orgId });
  });

  it.each([
    [{ role_id: "account_member", ttl_seconds: 60 }, "body.name"],
    [{ name: "x".repeat(257), role_id: "account_member", ttl_seconds: 60 }, "body.name"],
    [{ name: "x", role_id: "developer", ttl_seconds: 60 }, "body.role_id"],
    [{ name: "x", role_id: "org_member", ttl_seconds: 60 }, "body.role_id"],
    [{ name: "x", role_id: "account_member", ttl_seconds: 31_536_001 }, "body.ttl_seconds"],
    [{ name: "x", role_id: "account_member", ttl_seconds: 0 }, "body.ttl_seconds"],
    [{ name: "x", role_id: "account_member" }, "body.ttl_seconds"],
  ])("rejects %j with a 422 on %s", async (body, field) => {
    const res = await emu().call<{ errors: { loc: string[] }[] }>("POST", "/v3beta1/enterprise/service-users", body);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e) => e.loc.join("."))).toContain(field);
  });

  it("enforces ttl_seconds: an expired service user loses access and leaves the default list", async () => {
    const { body } = await emu().call<Provisioned>("POST", "/v3beta1/enterprise/service-users", {
      name: "short",
      role_id: "account_member",
      ttl_seconds: 60,
    });
    expect((await emu().call("GET", "/v3/self", undefined, body.token)).status).toBe(200);
    await emu().advanceClock(61);
    expect((await emu().call("GET", "/v3/self", undefined, body.token)).status).toBe(401);
    const active = await emu().call<{ items: SU[] }>("GET", "/v3/enterprise/members/service-users");
    expect(active.body.items.map((s) => s.name)).not.toContain("short");
    const all = await emu().call<{ items: SU[] }>("GET", "/v3/enterprise/members/service-users?include_inactive=true");
    expect(all.body.items.map((s) => s.name)).toContain("short");
  });

  it("deletes a service user: 200 with deleted_at, then 404, and its token stops working", async () => {
    const { body } = await emu().call<Provisioned>("POST", "/v3beta1/enterprise/service-users", {
      name: "gone",
      role_id: "account_member",
      ttl_seconds: 600,
    });
    const path = `/v3/enterprise/members/service-users/${body.service_user.service_user_id}`;
    const del = await emu().call<SU>("DELETE", path);
    expect(del.status).toBe(200);
    expect(del.body.deleted_at).toEqual(expect.any(Number));
    expect((await emu().call("GET", path)).status).toBe(404);
    expect((await emu().call("DELETE", path)).status).toBe(404);
    expect((await emu().call("GET", "/v3/self", undefined, body.token)).status).toBe(401);
    const all = await emu().call<{ items: SU[] }>("GET", "/v3/enterprise/members/service-users?include_inactive=true");
    expect(all.body.items.find((s) => s.name === "gone")?.deleted_at).toEqual(expect.any(Number));
  });
});

describe("roles of service users", () => {
  it("lists the four built-in roles", async () => {
    const res = await emu().call<{ items: { role_id: string; role_name: string; role_type: string }[] }>("GET", "/v3/enterprise/roles");
    expect(res.body.items.map((r) => `${r.role_type}:${r.role_name}`).sort()).toEqual([
      "enterprise:Admin",
      "enterprise:Member",
      "org:Admin",
      "org:Member",
    ]);
  });

  it("assigns, updates and removes org roles; updates the enterprise role", async () => {
    const orgId = await newOrg();
    const { body } = await emu().call<Provisioned>("POST", "/v3beta1/enterprise/service-users", {
      name: "multi",
      role_id: "account_member",
      ttl_seconds: 600,
    });
    const id = body.service_user.service_user_id;
    const orgPath = `/v3/enterprise/organizations/${orgId}/members/service-users/${id}`;

    expect((await emu().call("PATCH", orgPath, { role_id: "org_admin" })).status).toBe(404);
    const assigned = await emu().call<SU>("POST", orgPath, { role_id: "org_member" });
    expect(assigned.body.role_assignments).toContainEqual({
      role: { role_id: "org_member", role_name: "Member", role_type: "org" },
      org_id: orgId,
    });
    expect((await emu().call("POST", orgPath, { role_id: "org_member" })).status).toBe(409);
    const updated = await emu().call<SU>("PATCH", orgPath, { role_id: "org_admin" });
    expect(updated.body.role_assignments.find((a) => a.org_id === orgId)?.role.role_id).toBe("org_admin");
    expect((await emu().call("PATCH", orgPath, { role_id: "account_member" })).status).toBe(422);
    const removed = await emu().call<SU>("DELETE", orgPath);
    expect(removed.body.role_assignments.some((a) => a.org_id === orgId)).toBe(false);
    expect((await emu().call("DELETE", orgPath)).status).toBe(404);

    // An org service user has no enterprise role until one is assigned.
    const orgBot = await emu().call<Provisioned>("POST", `/v3beta1/organizations/${orgId}/service-users`, {
      name: "org-bot",
      role_id: "org_member",
      ttl_seconds: 600,
    });
    const promoted = await emu().call<SU>("POST", `/v3/enterprise/members/service-users/${orgBot.body.service_user.service_user_id}`, {
      role_id: "account_member",
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.role_assignments).toContainEqual({
      role: { role_id: "account_member", role_name: "Member", role_type: "enterprise" },
      org_id: null,
    });

    const entPath = `/v3/enterprise/members/service-users/${id}`;
    expect((await emu().call("POST", entPath, { role_id: "account_member" })).status).toBe(409);
    // Assigning enterprise Admin to an existing service user is allowed (only provisioning refuses it).
    expect((await emu().call("PATCH", entPath, { role_id: "account_admin" })).status).toBe(200);
    const logs = await emu().call<{ items: { action: string }[] }>("GET", "/v3/enterprise/audit-logs?action=assign_service_user_role");
    expect(logs.body.items).toHaveLength(4);
  });
});

describe("service-user API keys", () => {
  it("need ManageAccountServiceUsers: a Member cannot mint, list, rotate or revoke an Admin's keys (403 naming it); an Admin can", async () => {
    // An Admin service user besides the seeded one: provisioned as Member, then made Admin (provisioning never grants Admin).
    const admin = await emu().provision("/v3beta1/enterprise/service-users", "account_member", "second-admin");
    const adminId = admin.service_user.service_user_id;
    expect((await emu().call("PATCH", `/v3/enterprise/members/service-users/${adminId}`, { role_id: "account_admin" })).status).toBe(200);
    const member = await emu().provision("/v3beta1/enterprise/service-users", "account_member", "member");
    const memberId = member.service_user.service_user_id;
    const orgId = await emu().newOrg("eng");
    // An org Admin manages its org's service users, but keys are an enterprise matter.
    const orgAdmin = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_admin", "org-admin");
    const inOrg = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_member", "in-org");

    const keys = (id: string) => `/v3beta1/enterprise/service-users/${id}/api-keys`;
    const adminKeys = async () =>
      (await emu().call<{ items: { api_key_id: string }[] }>("GET", `${keys(adminId)}?status=all`)).body.items.map((k) => k.api_key_id);
    const [adminKey] = await adminKeys();
    const refused = [
      ["POST", keys(adminId), { name: "stolen" }, member.token],
      ["GET", keys(adminId), undefined, member.token],
      ["POST", `${keys(adminId)}/${adminKey}/rotate`, {}, member.token],
      ["DELETE", `${keys(adminId)}/${adminKey}`, undefined, member.token],
      ["POST", keys(emu().adminServiceUserId), { name: "stolen" }, member.token],
      // Not even for itself: a key of its own is still a credential the enterprise hands out.
      ["POST", keys(memberId), { name: "mine" }, member.token],
      ["POST", keys(inOrg.service_user.service_user_id), { name: "org" }, orgAdmin.token],
    ] as const;
    for (const [method, path, body, token] of refused) {
      const res = await emu().call<{ detail: string }>(method, path, body, token);
      expect([method, path, res.status, res.body.detail]).toEqual([
        method,
        path,
        403,
        "Insufficient permissions: this call needs ManageAccountServiceUsers",
      ]);
    }
    expect(await adminKeys()).toEqual([adminKey]);
    expect(await emu().auditLog("create_service_user_api_key")).toEqual([]);
    expect((await emu().call("GET", "/v3/self", undefined, admin.token)).status).toBe(200);

    // Allowed: an Admin mints keys for another Admin, for itself and for a Member, and each key works.
    for (const [token, id] of [
      [admin.token, emu().adminServiceUserId],
      [emu().token, adminId],
      [admin.token, adminId],
      [admin.token, memberId],
      [emu().token, inOrg.service_user.service_user_id],
    ] as const) {
      const minted = await emu().call<{ token: string }>("POST", keys(id), { name: "ok" }, token);
      expect(minted.status).toBe(200);
      expect((await emu().call<{ service_user_id: string }>("GET", "/v3/self", undefined, minted.body.token)).body.service_user_id).toBe(
        id,
      );
    }
  });

  it("creates, lists, revokes (409 twice) and rotates (400 unless active)", async () => {
    const { body } = await emu().call<Provisioned>("POST", "/v3beta1/enterprise/service-users", {
      name: "keys",
      role_id: "account_member",
      ttl_seconds: 600,
    });
    const base = `/v3beta1/enterprise/service-users/${body.service_user.service_user_id}/api-keys`;
    const created = await emu().call<{ api_key_id: string; api_key_name: string; token: string }>("POST", base, { name: "deploy" });
    expect(created.status).toBe(200);
    expect(created.body.token).toMatch(/^cog_/);
    expect((await emu().call("GET", "/v3/self", undefined, created.body.token)).status).toBe(200);

    const list = await emu().call<{ items: { api_key_name: string; is_active: boolean }[] }>("GET", `${base}?status=active`);
    expect(list.body.items.map((k) => k.api_key_name)).toEqual(["initial", "deploy"]);
    expect(JSON.stringify(list.body)).not.toContain("cog_");

    const rotated = await emu().call<{ api_key_id: string; token: string }>("POST", `${base}/${created.body.api_key_id}/rotate`, {});
    expect(rotated.status).toBe(200);
    expect((await emu().call("GET", "/v3/self", undefined, created.body.token)).status).toBe(401);
    expect((await emu().call("GET", "/v3/self", undefined, rotated.body.token)).status).toBe(200);
    expect((await emu().call("POST", `${base}/${created.body.api_key_id}/rotate`, {})).status).toBe(400);

    const revoked = await emu().call<{ revoked_at: number; is_active: boolean }>("DELETE", `${base}/${rotated.body.api_key_id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.is_active).toBe(false);
    expect((await emu().call("DELETE", `${base}/${rotated.body.api_key_id}`)).status).toBe(409);
    expect((await emu().call("DELETE", `${base}/api-key-unknown`)).status).toBe(404);
    expect((await emu().call("GET", "/v3/self", undefined, rotated.body.token)).status).toBe(401);
    const revokedList = await emu().call<{ items: unknown[] }>("GET", `${base}?status=revoked`);
    expect(revokedList.body.items).toHaveLength(2);
    expect((await emu().call("POST", base, { name: "old", expires_at: 1 })).status).toBe(422);
  });

  it("rotation with revoke_current false keeps both keys; a key expires on the emulator's clock, which the Date header shows", async () => {
    const { body } = await emu().call<Provisioned>("POST", "/v3beta1/enterprise/service-users", {
      name: "clock",
      role_id: "account_member",
      ttl_seconds: 31_536_000,
    });
    const base = `/v3beta1/enterprise/service-users/${body.service_user.service_user_id}/api-keys`;
    const before = await emu().call("GET", "/v3/self");
    const now = Date.parse(before.headers.get("date") as string) / 1000;
    const created = await emu().call<{ api_key_id: string; token: string }>("POST", base, {
      name: "ci",
      expires_at: Math.floor(now) + 3600,
    });
    const rotated = await emu().call<{ api_key_id: string; token: string }>("POST", `${base}/${created.body.api_key_id}/rotate`, {
      revoke_current: false,
      new_key_expires_at: Math.floor(now) + 7200,
    });
    expect((await emu().call("GET", "/v3/self", undefined, created.body.token)).status).toBe(200);
    expect((await emu().call("GET", "/v3/self", undefined, rotated.body.token)).status).toBe(200);

    await emu().advanceClock(5400);
    const later = await emu().call("GET", "/v3/self");
    expect(Date.parse(later.headers.get("date") as string) / 1000 - now).toBeGreaterThanOrEqual(5400);
    expect((await emu().call("GET", "/v3/self", undefined, created.body.token)).status).toBe(401);
    expect((await emu().call("GET", "/v3/self", undefined, rotated.body.token)).status).toBe(200);
    const expired = await emu().call<{ items: { api_key_id: string; is_active: boolean }[] }>("GET", `${base}?status=expired`);
    expect(expired.body.items).toEqual([expect.objectContaining({ api_key_id: created.body.api_key_id, is_active: false })]);
    expect((await emu().call("POST", `${base}/${created.body.api_key_id}/rotate`, {})).status).toBe(400);
    // An expired key can still be revoked; only a revoked one answers 409.
    expect((await emu().call("DELETE", `${base}/${created.body.api_key_id}`)).status).toBe(200);
  });
});
