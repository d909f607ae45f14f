import { describe, expect, it } from "vitest";
import { useStack, writesSince, type Spec } from "../support/pulumi";

const SPEC: Spec = {
  orgs: [
    { key: "platform", name: "Platform", acuLimit: 500 },
    { key: "research", name: "Research", acuLimit: 200 },
  ],
  serviceUsers: [
    { key: "platform-ci", org: "platform", name: "platform-ci", role: "Member" },
    { key: "research-ci", org: "research", name: "research-ci", role: "member" },
  ],
};

const { emu, stack } = useStack(SPEC);

type Org = { org_id: string; name: string; max_cycle_acu_limit: number | null };
type SU = { service_user_id: string; name: string; role_assignments: { role: { role_id: string }; org_id: string | null }[] };
const liveOrgs = async () => (await emu().call<{ items: Org[] }>("GET", "/v3/enterprise/organizations")).body.items;
const liveServiceUsers = async () =>
  (await emu().call<{ items: SU[] }>("GET", "/v3/enterprise/members/service-users")).body.items.filter((s) => s.name !== "emulator-admin");

/** The service users' keys in the exported state are ciphertext, and no secret appears in it or in any CLI output. */
async function expectKeysEncrypted(count: number, secrets: string[]): Promise<void> {
  const exported = (await stack().ok(["stack", "export"])).stdout;
  const state = JSON.parse(exported) as { deployment: { resources: { type: string; outputs?: Record<string, unknown> }[] } };
  const serviceUsers = state.deployment.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/devin:ServiceUser");
  expect(serviceUsers).toHaveLength(count);
  for (const r of serviceUsers) {
    expect(r.outputs?.apiKey).toMatchObject({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      ciphertext: expect.any(String),
    });
  }
  for (const secret of secrets) {
    expect(exported).not.toContain(secret);
    expect(stack().transcript).not.toContain(secret);
  }
}

describe("pulumi up / preview / destroy with the real CLI", () => {
  it("creates exactly the declared objects, previews clean with zero writes, keeps keys secret, and destroys everything", async () => {
    await stack().up();
    const orgs = await liveOrgs();
    expect(orgs.map((o) => [o.name, o.max_cycle_acu_limit]).sort()).toEqual([
      ["Platform", 500],
      ["Research", 200],
    ]);
    const sus = await liveServiceUsers();
    expect(sus.map((s) => s.name).sort()).toEqual(["platform-ci", "research-ci"]);
    const outputs = await stack().outputs();
    for (const su of sus) {
      const orgId = su.role_assignments[0].org_id;
      expect(orgs.map((o) => o.org_id)).toContain(orgId);
      expect(su.role_assignments[0].role.role_id).toBe("org_member");
    }
    expect(Object.values(outputs.orgIds).sort()).toEqual(orgs.map((o) => o.org_id).sort());

    // Right after up, a preview shows nothing to do and writes nothing.
    const mark = (await emu().requests()).length;
    const preview = await stack().ok(["preview", "--expect-no-changes"]);
    expect(preview.stdout).toMatch(/5 unchanged/); // the stack and its four resources
    expect(await writesSince(emu(), mark)).toEqual([]);

    // Secrets: the keys work, are secret in the state and the outputs, and never printed.
    const keys = Object.values((await stack().outputs(true)).apiKeys);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect((await emu().call("GET", "/v3/self", undefined, key)).status).toBe(200);
    await expectKeysEncrypted(2, [...keys, emu().token]);

    // Every later step that rewrites the state keeps the keys encrypted: a refresh, and an in-place role change.
    await stack().ok(["refresh", "--yes", "--skip-preview"]);
    await expectKeysEncrypted(2, [...keys, emu().token]);
    await stack().setSpec({ ...SPEC, serviceUsers: [{ ...SPEC.serviceUsers[0], role: "Admin" }, SPEC.serviceUsers[1]] });
    const roleUpdate = await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(roleUpdate.stdout).toMatch(/1 updated/);
    await expectKeysEncrypted(2, [...keys, emu().token]);
    expect(Object.values((await stack().outputs(true)).apiKeys).sort()).toEqual([...keys].sort());
    expect(JSON.stringify(outputs)).not.toMatch(/cog_/);

    await stack().ok(["destroy", "--yes", "--skip-preview"]);
    expect(await liveOrgs()).toEqual([]);
    expect(await liveServiceUsers()).toEqual([]);
    const admins = (await emu().call<{ items: SU[] }>("GET", "/v3/enterprise/members/service-users")).body.items;
    expect(admins.map((s) => s.name)).toEqual(["emulator-admin"]);
  });

  it("updates acuLimit in place with one PATCH, and replaces a renamed service user", async () => {
    await stack().up();
    const before = await liveServiceUsers();

    await stack().setSpec({ ...SPEC, orgs: [{ ...SPEC.orgs[0], acuLimit: 750 }, SPEC.orgs[1]] });
    let mark = (await emu().requests()).length;
    const update = await stack().ok(["up", "--yes"]);
    expect(update.stdout).toMatch(/1 updated/);
    const platform = (await liveOrgs()).find((o) => o.name === "Platform");
    expect(await writesSince(emu(), mark)).toEqual([`PATCH /enterprise/organizations/${platform?.org_id}`]);
    expect(platform?.max_cycle_acu_limit).toBe(750);

    await stack().setSpec({
      ...SPEC,
      orgs: [{ ...SPEC.orgs[0], acuLimit: 750 }, SPEC.orgs[1]],
      serviceUsers: [{ ...SPEC.serviceUsers[0], name: "platform-deployer" }, SPEC.serviceUsers[1]],
    });
    mark = (await emu().requests()).length;
    const replace = await stack().ok(["up", "--yes"]);
    expect(replace.stdout).toMatch(/1 replaced/);
    const old = before.find((s) => s.name === "platform-ci");
    expect(await writesSince(emu(), mark)).toEqual([
      `POST /organizations/${platform?.org_id}/service-users`,
      `DELETE /enterprise/members/service-users/${old?.service_user_id}`,
    ]);
    expect((await liveServiceUsers()).map((s) => s.name).sort()).toEqual(["platform-deployer", "research-ci"]);
  });
});
