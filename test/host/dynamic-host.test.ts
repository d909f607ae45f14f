import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { DynamicHost, rpcSecret, serializedShims } from "../support/host";

const ORG_URN = "urn:pulumi:dev::devin-host-test::pulumi-nodejs:dynamic/devin:Organization::eng";
const SU_URN = "urn:pulumi:dev::devin-host-test::pulumi-nodejs:dynamic/devin:ServiceUser::ci";

let emu: TestEmulator;
let host: DynamicHost;
const shims = serializedShims();

beforeAll(async () => {
  emu = await startTestEmulator();
  host = await DynamicHost.start();
});
afterAll(async () => {
  host?.stop();
  await emu?.close();
});

describe("the compiled package through the real dynamic-provider host over gRPC", () => {
  it("configures from stack config, unwrapping the secret token", async () => {
    const res = await host.configure({ "devin:token": rpcSecret(emu.token), "devin:apiUrl": `${emu.url}/v3beta1`, "other:key": "x" });
    expect(res).toEqual({ acceptSecrets: false, supportsPreview: false });
  });

  it("runs check, diff, create, read, update and delete for an Organization", async () => {
    const __provider = shims.organization.text;
    const bad = await host.check(ORG_URN, {}, { __provider, name: "eng", acuLimit: -1 });
    expect(bad.failures).toEqual([{ property: "acuLimit", reason: expect.stringContaining("from 0 to") }]);

    const checked = await host.check(ORG_URN, {}, { __provider, name: "eng", acuLimit: 100 });
    expect(checked.failures).toEqual([]);
    const created = await host.create(ORG_URN, { ...checked.inputs, __provider });
    expect(created.id).toMatch(/^org-/);
    expect(created.properties).toMatchObject({ orgId: created.id, name: "eng", acuLimit: 100, schemaVersion: 2, __provider });

    const same = await host.diff(ORG_URN, created.id, created.properties, { name: "eng", acuLimit: 100, __provider: `${__provider}\n// rebuilt by a newer pulumi-devin` });
    expect(same.changes).toBe(1); // DIFF_NONE
    const changed = await host.diff(ORG_URN, created.id, created.properties, { name: "eng", acuLimit: 5, __provider });
    expect(changed).toEqual({ changes: 2, replaces: [] }); // DIFF_SOME, in place

    await emu.call("PATCH", `/v3/enterprise/organizations/${created.id}`, { max_cycle_acu_limit: 1 });
    const read = await host.read(ORG_URN, created.id, created.properties);
    expect(read.properties).toMatchObject({ acuLimit: 1 });
    expect(read.inputs).toMatchObject({ name: "eng", acuLimit: 1 });

    const updated = await host.update(ORG_URN, created.id, read.properties, { name: "eng", acuLimit: 100, __provider });
    expect(updated.properties).toMatchObject({ acuLimit: 100 });

    await host.delete(ORG_URN, created.id, updated.properties);
    const version = (await import("../../package.json")).version;
    // Every request but the test's own (fetch sends "node") came from the provider, named with its version.
    const agents = new Set((await emu.requests()).map((r) => r.userAgent).filter((ua) => ua !== "node"));
    expect(agents).toEqual(new Set([`pulumi-devin/${version}`]));
    const gone = await host.read(ORG_URN, created.id, updated.properties);
    expect(gone.id).toBe("");
  });

  it("runs a ServiceUser through the host, returning the key for the engine to mark secret", async () => {
    const orgShim = shims.organization.text;
    const org = await host.create(ORG_URN, { name: "eng2", __provider: orgShim });
    const __provider = shims.serviceUser.text;
    const developer = await host.check(SU_URN, {}, { __provider, orgId: org.id, name: "ci", role: "developer" });
    expect(developer.failures[0].reason).toContain("Valid org-level roles: Admin, Member");

    const checked = await host.check(SU_URN, {}, { __provider, orgId: org.id, name: "ci", role: "Member" });
    const created = await host.create(SU_URN, { ...checked.inputs, __provider });
    expect(created.properties).toMatchObject({ serviceUserId: created.id, roleId: "org_member", ttlSeconds: 31_536_000 });
    expect(String(created.properties.apiKey)).toMatch(/^cog_/);

    const read = await host.read(SU_URN, created.id, created.properties);
    expect(read.properties.apiKey).toBe(created.properties.apiKey);
    expect(JSON.stringify(read.inputs)).not.toContain("cog_");

    const rename = await host.diff(SU_URN, created.id, created.properties, { ...checked.inputs, name: "ci-2", __provider });
    expect(rename.replaces).toEqual(["name"]);
    const updated = await host.update(SU_URN, created.id, created.properties, { ...checked.inputs, role: "Admin", __provider });
    expect(updated.properties).toMatchObject({ roleId: "org_admin", apiKey: created.properties.apiKey });
    await host.delete(SU_URN, created.id, updated.properties);
    await host.delete(ORG_URN, org.id, org.properties);
    expect(host.output.join("")).not.toContain(String(created.properties.apiKey));
    expect(host.output.join("")).not.toContain(emu.token);
  });
});
