import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultProviderName, migrate, summary, type StackExport, type StateResource } from "../../provider/cli/migrate";
import { ROOT } from "../support/host";

/**
 * The rules of `pulumi-devin migrate` on states shaped like the engine's (see test/e2e/migrate.test.ts for the real
 * stack): what it leaves alone, what it refuses, and that running it twice changes nothing.
 */

const SIG = "4dabf18193072939515e22adb298388d";
const secret = (ciphertext: string) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext });
const urn = (type: string, name: string) => `urn:pulumi:dev::proj::${type}::${name}`;
const STACK = urn("pulumi:pulumi:Stack", "proj-dev");
const NODEJS = urn("pulumi:providers:pulumi-nodejs", "default");
const NODEJS_REF = `${NODEJS}::c6048e92-9081-4b4d-b1f7-209e08d27e3b`;

const nodejsProvider: StateResource = {
  urn: NODEJS,
  custom: true,
  id: "c6048e92-9081-4b4d-b1f7-209e08d27e3b",
  type: "pulumi:providers:pulumi-nodejs",
  inputs: { "devin:apiUrl": "http://127.0.0.1:1/v3", "devin:token": secret("v1:token"), "other:setting": "x" },
  outputs: { "devin:apiUrl": "http://127.0.0.1:1/v3", "devin:token": secret("v1:token"), "other:setting": "x" },
};
const dynamic = (kind: string, name: string, props: Record<string, unknown>, extra: Partial<StateResource> = {}): StateResource => ({
  urn: urn(`pulumi-nodejs:dynamic/devin:${kind}`, name),
  custom: true,
  id: `${kind.toLowerCase()}-${name}`,
  type: `pulumi-nodejs:dynamic/devin:${kind}`,
  inputs: { __kind: kind, __provider: "exports.handler = __f0;", ...props },
  outputs: { __kind: kind, __provider: "exports.handler = __f0;", ...props, schemaVersion: 2 },
  parent: STACK,
  provider: NODEJS_REF,
  propertyDependencies: { __kind: [], __provider: [], ...Object.fromEntries(Object.keys(props).map((k) => [k, []])) },
  ...extra,
});
const state = (resources: StateResource[], extra: Record<string, unknown> = {}): StackExport => ({
  version: 3,
  deployment: { manifest: { version: "v3.248.0" }, secrets_providers: { type: "passphrase" }, resources, ...extra },
});
const stackResource: StateResource = { urn: STACK, custom: false, type: "pulumi:pulumi:Stack" };
const run = (s: StackExport) => migrate(s, { version: "0.1.0", providerId: "new-id", now: new Date(0) });

describe("pulumi-devin migrate", () => {
  it("moves pulumi-devin's dynamic resources and leaves everything else as it was", () => {
    const org = dynamic("Organization", "eng", { name: "Eng" });
    const su = dynamic(
      "ServiceUser",
      "ci",
      { name: "ci", apiKey: secret("v1:one-time-key") },
      { dependencies: [org.urn], aliases: [urn("pulumi-nodejs:dynamic/devin:ServiceUser", "old-ci")] },
    );
    const ownDynamic: StateResource = {
      urn: urn("pulumi-nodejs:dynamic:Resource", "mine"),
      custom: true,
      id: "m",
      type: "pulumi-nodejs:dynamic:Resource",
      provider: NODEJS_REF,
      parent: STACK,
      inputs: { __provider: "x", a: 1 },
    };
    const bucket: StateResource = {
      urn: urn("aws:s3/bucket:Bucket", "b"),
      custom: true,
      id: "b",
      type: "aws:s3/bucket:Bucket",
      parent: STACK,
      dependencies: [org.urn],
      inputs: { tags: { org: "x" } },
    };
    const input = state([stackResource, nodejsProvider, org, su, ownDynamic, bucket]);
    const before = JSON.stringify(input);
    const result = run(input);
    expect(JSON.stringify(input)).toBe(before); // the input is not modified

    const [stackOut, nodejsOut, provider, orgOut, suOut, ownOut, bucketOut] = result.state.deployment.resources ?? [];
    expect(stackOut).toEqual(stackResource);
    // Another dynamic resource still uses the pulumi-nodejs provider, so it stays.
    expect(nodejsOut).toEqual(nodejsProvider);
    expect(ownOut).toEqual(ownDynamic);
    expect(result.removed).toEqual([]);
    // The engine's shape for a default provider, with the stack's devin config as the old provider held it.
    expect(provider).toEqual({
      urn: urn("pulumi:providers:devin", "default_0_1_0"),
      custom: true,
      id: "new-id",
      type: "pulumi:providers:devin",
      inputs: { __internal: {}, apiUrl: "http://127.0.0.1:1/v3", token: secret("v1:token"), version: "0.1.0" },
      outputs: { apiUrl: "http://127.0.0.1:1/v3", token: secret("v1:token"), version: "0.1.0" },
      created: "1970-01-01T00:00:00.000Z",
      modified: "1970-01-01T00:00:00.000Z",
    });
    const orgUrn = urn("devin:index:Organization", "eng");
    expect(orgOut).toEqual({
      urn: orgUrn,
      custom: true,
      id: "organization-eng",
      type: "devin:index:Organization",
      inputs: { name: "Eng" },
      outputs: { name: "Eng", schemaVersion: 2 },
      parent: STACK,
      provider: `${provider.urn}::new-id`,
      propertyDependencies: { name: [] },
    });
    expect(suOut).toMatchObject({ dependencies: [orgUrn], aliases: [urn("devin:index:ServiceUser", "old-ci")] });
    // The secret is the same object: its ciphertext is never opened.
    expect(suOut.outputs?.apiKey).toBe(su.outputs?.apiKey);
    // Only the reference to the moved organization changes.
    expect(bucketOut).toEqual({ ...bucket, dependencies: [orgUrn] });
    expect(summary(result)).toEqual([
      "moved 2 resources to the plugin: 1 Organization, 1 ServiceUser (type devin:index:<Kind>).",
      "provider: default_0_1_0 (pulumi:providers:devin), added.",
    ]);
  });

  it("changes nothing when run again, and reuses the plugin's provider already in the state", () => {
    const first = run(state([stackResource, nodejsProvider, dynamic("Organization", "eng", { name: "Eng" })]));
    expect(first.removed).toEqual([NODEJS]);
    const again = run(JSON.parse(JSON.stringify(first.state)) as StackExport);
    expect(again.state).toEqual(first.state);
    expect(summary(again)).toEqual([expect.stringMatching(/^no pulumi-devin dynamic resources in this state .*nothing to move/)]);

    // A stack that has plugin resources already and one dynamic resource left: that one joins the existing provider.
    const mixed = JSON.parse(JSON.stringify(first.state)) as StackExport;
    mixed.deployment.resources?.push(nodejsProvider, dynamic("Playbook", "deploy", { title: "Deploy" }));
    const joined = run(mixed);
    expect(joined.provider).toEqual({ urn: urn("pulumi:providers:devin", "default_0_1_0"), added: false });
    const providers = joined.state.deployment.resources?.filter((r) => r.type.startsWith("pulumi:providers:"));
    expect(providers?.map((p) => p.id)).toEqual(["new-id"]);
    expect(joined.state.deployment.resources?.at(-1)?.provider).toBe(`${urn("pulumi:providers:devin", "default_0_1_0")}::new-id`);
  });

  it("rewrites the types of ancestors in the URNs of children, moved or not", () => {
    const org = dynamic("Organization", "eng", { name: "Eng" });
    const childType = "pulumi-nodejs:dynamic/devin:Organization$pulumi-nodejs:dynamic/devin:ServiceUser";
    const su = dynamic("ServiceUser", "ci", { name: "ci" }, { urn: urn(childType, "ci::with::colons"), parent: org.urn });
    const component: StateResource = {
      urn: urn("pulumi-nodejs:dynamic/devin:Organization$acme:index:Team", "t"),
      custom: false,
      type: "acme:index:Team",
      parent: org.urn,
    };
    const result = run(state([stackResource, nodejsProvider, org, su, component]));
    const [, , , suOut, componentOut] = result.state.deployment.resources ?? [];
    expect(suOut.urn).toBe(urn("devin:index:Organization$devin:index:ServiceUser", "ci::with::colons"));
    expect(suOut.parent).toBe(urn("devin:index:Organization", "eng"));
    expect(componentOut).toEqual({
      ...component,
      urn: urn("devin:index:Organization$acme:index:Team", "t"),
      parent: urn("devin:index:Organization", "eng"),
    });
    expect(result.renamed).toBe(1);
  });

  it("names the default provider as the engine does, prereleases included", () => {
    expect(defaultProviderName("0.1.0")).toBe("default_0_1_0");
    expect(defaultProviderName("1.12.3-alpha.1+build.5")).toBe("default_1_12_3_alpha_1_build_5");
  });

  it("refuses what it cannot move safely, and names why", () => {
    const org = dynamic("Organization", "eng", { name: "Eng" });
    expect(() => run(state([nodejsProvider, dynamic("Gadget", "g", {})]))).toThrow(
      /resource of type pulumi-nodejs:dynamic\/devin:Gadget, a kind this version of pulumi-devin does not know/,
    );
    expect(() => run(state([nodejsProvider, { ...org, inputs: { name: "x" }, outputs: { name: "x" } }]))).toThrow(
      /has type pulumi-nodejs:dynamic\/devin:Organization but its __kind is undefined; it was not written by pulumi-devin/,
    );
    const plugin: StateResource = { urn: urn("devin:index:Organization", "eng"), custom: true, type: "devin:index:Organization", id: "o" };
    expect(() => run(state([nodejsProvider, plugin, org]))).toThrow(/two resources would have the URN .*devin:index:Organization::eng/);
  });
});

describe("the migrate command", () => {
  const cli = (args: string[], input: string) => {
    const res = spawnSync(process.execPath, [join(ROOT, "dist/provider/cli/main.js"), "migrate", ...args], { input, encoding: "utf8" });
    return { code: res.status, stdout: res.stdout, stderr: res.stderr };
  };

  it("refuses a state with pending operations, or input that is not a stack export, in one line and writing nothing", () => {
    const pending = state([stackResource, nodejsProvider, dynamic("Organization", "eng", { name: "Eng" })], {
      pending_operations: [{ type: "creating", resource: { urn: urn("pulumi-nodejs:dynamic/devin:ServiceUser", "ci") } }],
    });
    expect(cli([], JSON.stringify(pending))).toEqual({
      code: 1,
      stdout: "",
      stderr: `pulumi-devin: migrate: the state has 1 pending operation (creating of ${urn("pulumi-nodejs:dynamic/devin:ServiceUser", "ci")}): an update was interrupted, and the engine does not know how it ended. Resolve it first ('pulumi refresh' asks about each; 'pulumi refresh --clear-pending-creates' drops pending creates), then export again.\n`,
    });
    expect(cli([], "")).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "pulumi-devin: migrate: the input is not the output of 'pulumi stack export' (got nothing); make it with 'pulumi stack export' (or 'pulumi stack export --file state.json').\n",
    });
    expect(cli(["--file", "missing.json"], "").stderr).toBe("pulumi-devin: migrate: cannot read 'missing.json' (no such file).\n");
  });

  it("passes secrets through as they came, and warns when the export showed them in clear", () => {
    const org = dynamic("Organization", "eng", { name: "Eng" });
    // In its inputs and its outputs: two values in clear.
    const su = dynamic("ServiceUser", "ci", { name: "ci", apiKey: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: '"cog_x"' } });
    const { code, stdout, stderr } = cli([], JSON.stringify(state([stackResource, nodejsProvider, org, su])));
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as StackExport;
    expect(out.deployment.resources?.find((r) => r.type === "devin:index:ServiceUser")?.outputs?.apiKey).toEqual(su.outputs?.apiKey);
    expect(out.deployment.resources?.find((r) => r.type === "pulumi:providers:devin")?.inputs?.token).toEqual(secret("v1:token"));
    expect(stderr).toMatch(/^pulumi-devin migrate: warning: 2 secrets were in clear in the input \(exported with --show-secrets\)/m);
  });
});
