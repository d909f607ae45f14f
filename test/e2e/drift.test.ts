import { describe, expect, it } from "vitest";
import { useStack, type Spec } from "../support/pulumi";

const SPEC: Spec = {
  orgs: [{ key: "eng", name: "Engineering", acuLimit: 100 }],
  serviceUsers: [{ key: "ci", org: "eng", name: "ci", role: "Member" }],
};

const { emu, stack } = useStack(SPEC, { up: true });

const orgs = async () =>
  (
    await emu().call<{ items: { org_id: string; name: string; max_cycle_acu_limit: number | null }[] }>(
      "GET",
      "/v3/enterprise/organizations",
    )
  ).body.items;

describe("drift made behind the stack's back", () => {
  it("refresh detects a changed limit and role, and the next up restores the declared values", async () => {
    const [org] = await orgs();
    const { serviceUserIds } = await stack().outputs();
    await emu().call("PATCH", `/v3/enterprise/organizations/${org.org_id}`, { max_cycle_acu_limit: 9999 });
    await emu().call("PATCH", `/v3/enterprise/organizations/${org.org_id}/members/service-users/${serviceUserIds.ci}`, {
      role_id: "org_admin",
    });

    const refresh = await stack().ok(["refresh", "--yes"]);
    expect(refresh.stdout).toMatch(/2 updated/);
    const preview = await stack().run(["preview", "--expect-no-changes", "--diff"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toMatch(/acuLimit\s*: 9999 => 100/);

    const up = await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/2 updated/);
    expect((await orgs())[0].max_cycle_acu_limit).toBe(100);
    const su = await emu().call<{ role_assignments: { role: { role_id: string } }[] }>(
      "GET",
      `/v3/enterprise/members/service-users/${serviceUserIds.ci}`,
    );
    expect(su.body.role_assignments[0].role.role_id).toBe("org_member");
    await stack().ok(["preview", "--expect-no-changes"]);
  });

  it("refresh drops an org and service user deleted behind the stack's back, and up creates them again", async () => {
    const [org] = await orgs();
    await emu().call("DELETE", `/v3/enterprise/organizations/${org.org_id}`);

    const refresh = await stack().ok(["refresh", "--yes"]);
    expect(refresh.stdout).toMatch(/2 deleted/);
    const up = await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/2 created/);
    const again = await orgs();
    expect(again.map((o) => o.name)).toEqual(["Engineering"]);
    expect(again[0].org_id).not.toBe(org.org_id);
    const { apiKeys } = await stack().outputs(true);
    expect((await emu().call("GET", "/v3/self", undefined, apiKeys.ci)).status).toBe(200);
  });
});
