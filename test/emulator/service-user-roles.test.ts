import { describe, expect, it } from "vitest";
import { ROLES, useTestEmulator, type Problem } from "../support/emulator";

const emu = useTestEmulator();

type SU = {
  service_user_id: string;
  role_assignments: { role: { role_id: string; role_name: string; role_type: string }; org_id: string | null }[];
};
const ACCOUNT_ADMIN = ROLES.accountAdmin;
const member = (id: string) => `/v3/enterprise/members/service-users/${id}`;

describe("enterprise Admin for existing service users", () => {
  it("is refused at provisioning (403, naming ManageAccountServiceUsers) in both path generations", async () => {
    for (const prefix of ["/v3beta1", "/v3"]) {
      const res = await emu().call<Problem>("POST", `${prefix}/enterprise/service-users`, {
        name: "x",
        role_id: "account_admin",
        ttl_seconds: 60,
      });
      expect(res.status, prefix).toBe(403);
      expect(res.body.detail).toContain("ManageAccountServiceUsers");
    }
  });

  it("is granted to an existing enterprise service user by PATCH, and the new role takes effect", async () => {
    const su = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    const id = su.service_user.service_user_id;
    expect((await emu().call("POST", "/v3/enterprise/organizations", { name: "before" }, su.token)).status).toBe(403);

    const res = await emu().call<SU>("PATCH", member(id), { role_id: "account_admin" });
    expect(res.status).toBe(200);
    expect(res.body.role_assignments).toEqual([{ role: ACCOUNT_ADMIN, org_id: null }]);
    expect((await emu().call<SU>("GET", member(id))).body.role_assignments).toEqual([{ role: ACCOUNT_ADMIN, org_id: null }]);
    expect((await emu().call("POST", "/v3/enterprise/organizations", { name: "after" }, su.token)).status).toBe(200);

    const [log] = await emu().auditLog("assign_service_user_role");
    expect(log.data).toMatchObject({ target_service_user_id: id, role_id: "account_admin" });
  });

  it("is granted to an org-scoped service user by POST (it has no enterprise role yet); a second POST is 409", async () => {
    const orgId = await emu().newOrg();
    const su = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_member");
    const id = su.service_user.service_user_id;
    const res = await emu().call<SU>("POST", member(id), { role_id: "account_admin" });
    expect(res.status).toBe(200);
    expect(res.body.role_assignments).toEqual([
      { role: ACCOUNT_ADMIN, org_id: null },
      { role: ROLES.orgMember, org_id: orgId },
    ]);
    expect((await emu().call("POST", member(id), { role_id: "account_member" })).status).toBe(409);
    // Its credential now reaches the enterprise endpoints.
    expect((await emu().call("GET", "/v3/enterprise/organizations", undefined, su.token)).status).toBe(200);
    expect((await emu().call("GET", "/v3/self", undefined, su.token)).body).toMatchObject({ org_id: null });
  });

  it("still needs a caller holding every permission of the role, and ManageAccountMembership to call at all", async () => {
    const memberSu = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    const target = await emu().provision("/v3beta1/enterprise/service-users", "account_member", "target");
    const res = await emu().call<Problem>(
      "PATCH",
      member(target.service_user.service_user_id),
      { role_id: "account_admin" },
      memberSu.token,
    );
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain("ManageAccountMembership");
    expect((await emu().call("PATCH", member(target.service_user.service_user_id), { role_id: "account_admin" }, null)).status).toBe(401);
  });
});
