import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { DynamicHost, rpcSecret, serializedShims } from "../support/host";

const ORG_URN = "urn:pulumi:dev::devin-host-test::pulumi-nodejs:dynamic/devin:Organization::eng";
const SU_URN = "urn:pulumi:dev::devin-host-test::pulumi-nodejs:dynamic/devin:ServiceUser::ci";

let emu: TestEmulator;
let host: DynamicHost;
const shims = serializedShims();

beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu?.close();
});
// Each test gets its own host, configured as the engine configures it: the host configures a provider once, when it
// first loads it, so a shared host would make each test depend on the ones before it.
beforeEach(async () => {
  host = await DynamicHost.start();
  const res = await host.configure({ "devin:token": rpcSecret(emu.token), "devin:apiUrl": `${emu.url}/v3beta1`, "other:key": "x" });
  expect(res).toEqual({ acceptSecrets: false, supportsPreview: false });
});
afterEach(() => {
  host?.stop();
});

// Each resource class sends its type as `__kind`, on which the one serialized provider dispatches.
describe("the compiled package through the real dynamic-provider host over gRPC", () => {
  it("turns a rejected token into the provider's message, once, without the token or a stack trace", async () => {
    host.stop();
    host = await DynamicHost.start();
    const wrong = `cog_${"r".repeat(52)}`;
    await host.configure({ "devin:token": rpcSecret(wrong), "devin:apiUrl": emu.url });
    const mark = (await emu.requests()).length;
    // read is echoed by the host on failure; the provider drops that echo.
    const readErr = (await host
      .read(ORG_URN, "org-00000000000000000000000000000000", { name: "eng", __provider: shims.organization.text, __kind: "Organization" })
      .catch((e: Error) => e)) as Error;
    expect(readErr.message).toContain("rejected the token (401)");
    expect(readErr.message).toContain("If this command ran without --run-program");
    // The same cause again in this run: one short line pointing at the first error.
    const err = (await host
      .create(ORG_URN, { name: "eng", __provider: shims.organization.text, __kind: "Organization" })
      .catch((e: Error) => e)) as Error;
    expect(err.message).toContain(
      "create organization 'eng' failed: the Devin API rejected the token (401): the same settings problem as the first error of this run",
    );
    expect(err.message).not.toContain(wrong);
    expect((await emu.requests()).slice(mark).filter((r) => r.method !== "GET")).toEqual([]);
    // A failure that is not ours is echoed by the host; once that echo has arrived, ours would have too.
    const sentinel = "exports.handler = () => { throw new Error('sentinel-echo'); };";
    await host.read(ORG_URN, "x", { __provider: sentinel }).catch(() => undefined);
    while (!host.output.join("").includes("sentinel-echo")) await new Promise((r) => setTimeout(r, 10));
    const echoed = host.output.join("");
    expect(echoed).not.toContain("rejected the token");
    expect(echoed).not.toContain(wrong);
  });

  it("runs check, diff, create, read, update and delete for an Organization", async () => {
    const __provider = shims.organization.text;
    const bad = await host.check(ORG_URN, {}, { __provider, __kind: "Organization", name: "eng", acuLimit: -1 });
    expect(bad.failures).toEqual([{ property: "acuLimit", reason: expect.stringContaining("from 0 to") }]);

    const checked = await host.check(ORG_URN, {}, { __provider, __kind: "Organization", name: "eng", acuLimit: 100 });
    expect(checked.failures).toEqual([]);
    const created = await host.create(ORG_URN, { ...checked.inputs, __provider, __kind: "Organization" });
    expect(created.id).toMatch(/^org-/);
    expect(created.properties).toMatchObject({
      orgId: created.id,
      name: "eng",
      acuLimit: 100,
      schemaVersion: 2,
      __provider,
      __kind: "Organization",
    });

    const same = await host.diff(ORG_URN, created.id, created.properties, {
      name: "eng",
      acuLimit: 100,
      __provider: `${__provider}\n// rebuilt by a newer pulumi-devin`,
      __kind: "Organization",
    });
    expect(same.changes).toBe(1); // DIFF_NONE
    const changed = await host.diff(ORG_URN, created.id, created.properties, {
      name: "eng",
      acuLimit: 5,
      __provider,
      __kind: "Organization",
    });
    expect(changed).toEqual({ changes: 2, replaces: [] }); // DIFF_SOME, in place

    await emu.call("PATCH", `/v3/enterprise/organizations/${created.id}`, { max_cycle_acu_limit: 1 });
    const read = await host.read(ORG_URN, created.id, created.properties);
    expect(read.properties).toMatchObject({ acuLimit: 1 });
    expect(read.inputs).toMatchObject({ name: "eng", acuLimit: 1 });

    const updated = await host.update(ORG_URN, created.id, read.properties, {
      name: "eng",
      acuLimit: 100,
      __provider,
      __kind: "Organization",
    });
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
    const org = await host.create(ORG_URN, { name: "eng2", __provider: orgShim, __kind: "Organization" });
    const __provider = shims.serviceUser.text;
    const developer = await host.check(SU_URN, {}, { __provider, __kind: "ServiceUser", orgId: org.id, name: "ci", role: "developer" });
    expect(developer.failures[0].reason).toContain("Valid org-level roles: Admin, Member");

    const checked = await host.check(SU_URN, {}, { __provider, __kind: "ServiceUser", orgId: org.id, name: "ci", role: "Member" });
    const created = await host.create(SU_URN, { ...checked.inputs, __provider, __kind: "ServiceUser" });
    expect(created.properties).toMatchObject({ serviceUserId: created.id, roleId: "org_member", ttlSeconds: 31_536_000 });
    expect(String(created.properties.apiKey)).toMatch(/^cog_/);

    const read = await host.read(SU_URN, created.id, created.properties);
    expect(read.properties.apiKey).toBe(created.properties.apiKey);
    expect(JSON.stringify(read.inputs)).not.toContain("cog_");

    const rename = await host.diff(SU_URN, created.id, created.properties, {
      ...checked.inputs,
      name: "ci-2",
      __provider,
      __kind: "ServiceUser",
    });
    expect(rename.replaces).toEqual(["name"]);
    const updated = await host.update(SU_URN, created.id, created.properties, {
      ...checked.inputs,
      role: "Admin",
      __provider,
      __kind: "ServiceUser",
    });
    expect(updated.properties).toMatchObject({ roleId: "org_admin", apiKey: created.properties.apiKey });
    await host.delete(SU_URN, created.id, updated.properties);
    await host.delete(ORG_URN, org.id, org.properties);
    expect(host.output.join("")).not.toContain(String(created.properties.apiKey));
    expect(host.output.join("")).not.toContain(emu.token);
  });
});
