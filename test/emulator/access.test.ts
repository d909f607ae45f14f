import { describe, expect, it } from "vitest";
import { useTestEmulator } from "../support/emulator";

const emu = useTestEmulator();

type Provisioned = { service_user: { service_user_id: string }; token: string };
const newOrg = async (name: string) => (await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name })).body.org_id;
const provision = async (path: string, role_id: string, token?: string) =>
  (await emu().call<Provisioned>("POST", path, { name: `su-${role_id}`, role_id, ttl_seconds: 600 }, token)).body;

describe("authentication", () => {
  it.each([
    ["no header", null],
    ["not a cog_ token", "apk_user_abc"],
    ["an unknown cog_ token", `cog_${"a".repeat(52)}`],
  ])("answers 401 with a ProblemDetail for %s", async (_what, token) => {
    const res = await emu().call<{ status: number; title: string; detail: string }>(
      "GET",
      "/v3/enterprise/organizations",
      undefined,
      token,
    );
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ status: 401, title: "Unauthorized", detail: expect.any(String) });
  });

  it("authenticates before validating, so a bad body without a token is still a 401", async () => {
    expect((await emu().call("POST", "/v3/enterprise/organizations", { name: "" }, null)).status).toBe(401);
  });

  it("serves self on all three documented paths", async () => {
    for (const path of ["/v3/self", "/v3/enterprise/self", "/v3beta1/enterprise/self"]) {
      const res = await emu().call("GET", path);
      expect(res.status, path).toBe(200);
      expect(res.body).toMatchObject({ service_user_id: emu().adminServiceUserId, service_user_name: "emulator-admin", org_id: null });
    }
  });
});

describe("authorization", () => {
  it("gives an enterprise Member 403 naming the missing permission", async () => {
    const member = await provision("/v3beta1/enterprise/service-users", "account_member");
    const res = await emu().call<{ detail: string }>("POST", "/v3/enterprise/organizations", { name: "x" }, member.token);
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain("ManageOrganizations");
    expect((await emu().call("GET", "/v3/enterprise/roles", undefined, member.token)).status).toBe(200);
    expect((await emu().call("GET", "/v3/enterprise/audit-logs", undefined, member.token)).status).toBe(403);
    expect(
      (await emu().call("PUT", `/v3/enterprise/consumption/acu-limits/devin/organizations/org-x`, { cycle_acu_limit: 1 }, member.token))
        .status,
    ).toBe(403);
  });

  it("keeps an org-scoped service user inside its own org", async () => {
    const mine = await newOrg("mine");
    const other = await newOrg("other");
    const orgAdmin = await provision(`/v3beta1/organizations/${mine}/service-users`, "org_admin");

    // It may provision in its own org, also with the org id left out of the path.
    expect(
      (
        await emu().call(
          "POST",
          `/v3beta1/organizations/${mine}/service-users`,
          { name: "a", role_id: "org_member", ttl_seconds: 60 },
          orgAdmin.token,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await emu().call(
          "POST",
          "/v3beta1/organizations/service-users",
          { name: "b", role_id: "org_member", ttl_seconds: 60 },
          orgAdmin.token,
        )
      ).status,
    ).toBe(200);
    expect((await emu().call("GET", "/v3/organizations/consumption/daily", undefined, orgAdmin.token)).status).toBe(200);

    // Not in another org, and not at the enterprise level.
    const elsewhere = await emu().call<{ detail: string }>(
      "POST",
      `/v3beta1/organizations/${other}/service-users`,
      { name: "c", role_id: "org_member", ttl_seconds: 60 },
      orgAdmin.token,
    );
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.detail).toContain("ManageOrgServiceUsers");
    expect((await emu().call("GET", `/v3/organizations/${other}/consumption/daily`, undefined, orgAdmin.token)).status).toBe(403);
    expect((await emu().call("GET", "/v3/enterprise/organizations", undefined, orgAdmin.token)).status).toBe(403);
    expect(
      (
        await emu().call(
          "POST",
          "/v3beta1/enterprise/service-users",
          { name: "d", role_id: "account_member", ttl_seconds: 60 },
          orgAdmin.token,
        )
      ).status,
    ).toBe(403);
  });

  it("never lets a caller grant permissions it does not hold", async () => {
    const orgId = await newOrg("o");
    const orgMember = await provision(`/v3beta1/organizations/${orgId}/service-users`, "org_member");
    // An org Member lacks ManageOrgServiceUsers altogether.
    expect(
      (
        await emu().call(
          "POST",
          `/v3beta1/organizations/${orgId}/service-users`,
          { name: "x", role_id: "org_member", ttl_seconds: 60 },
          orgMember.token,
        )
      ).status,
    ).toBe(403);
    // The enterprise Admin role holds ManageAccountServiceUsers, which provisioning can never grant.
    const res = await emu().call<{ detail: string }>("POST", "/v3beta1/enterprise/service-users", {
      name: "x",
      role_id: "account_admin",
      ttl_seconds: 60,
    });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain("ManageAccountServiceUsers");
  });
});

describe("errors and conventions", () => {
  it("answers unknown paths with a 404 ProblemDetail and malformed JSON with a 422", async () => {
    const res = await emu().call<{ status: number }>("GET", "/v3/enterprise/nothing-here");
    expect(res.status).toBe(404);
    expect(res.body.status).toBe(404);
    const bad = await fetch(`${emu().url}/v3/enterprise/organizations`, {
      method: "POST",
      headers: { authorization: `Bearer ${emu().token}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(bad.status).toBe(422);
  });

  it.each(["0", "201", "abc"])("rejects first=%s with a 422 naming query.first", async (first) => {
    const res = await emu().call<{ errors: { loc: string[] }[] }>("GET", `/v3/enterprise/organizations?first=${first}`);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].loc).toEqual(["query", "first"]);
  });
});
