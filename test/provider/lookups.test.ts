import { describe, expect, it } from "vitest";
import { getOrganization, getOrganizations, getRoles, getServiceUser } from "../../provider/lookups";
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
      roles: [{ roleId: "account_admin", roleName: "Admin", orgId: null }],
    });
  });
});
