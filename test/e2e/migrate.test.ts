import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestEmulator } from "../support/emulator";
import { ROOT } from "../support/host";
import { startScannedEmulator, TestStack, writesSince } from "../support/pulumi";

/**
 * A TypeScript stack made with the dynamic resources moves to the provider plugin with `pulumi stack export |
 * pulumi-devin migrate | pulumi stack import` and a one-line change of its import: nothing is recreated, nothing is
 * written to the API, and the one-time keys in the state still work.
 */

const program = (module: string) => `import * as pulumi from "@pulumi/pulumi";
import * as devin from "${module}";

class Team extends pulumi.ComponentResource {
  constructor(name: string) {
    super("acme:index:Team", name);
  }
}
const acuLimit = new pulumi.Config().getNumber("acuLimit") ?? 100;
const team = new Team("platform");
const eng = new devin.Organization("eng", { name: "migrate-eng", acuLimit }, { parent: team, protect: true });
const ci = new devin.ServiceUser("ci", { orgId: eng.orgId, name: "migrate-ci", role: "Member" }, { parent: eng });
const deployKey = new devin.ApiKey("deploy-key", { serviceUserId: ci.serviceUserId, name: "deploy" }, { deletedWith: ci });
new devin.Playbook("deploy", { orgId: eng.orgId, title: "Deploy", body: "Ship it." }, { dependsOn: [ci] });

export const orgId = eng.orgId;
export const apiKey = ci.apiKey;
export const deployToken = deployKey.key;
`;
const PROJECT = "devin-e2e-migrate";
// The plugin's folder as a user names it: in the project's node_modules (here the repository's, where pulumi-devin
// links to the repository itself), relative to Pulumi.yaml.
const pulumiYaml = (plugin: boolean) =>
  `name: ${PROJECT}\nmain: index.ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n` +
  (plugin ? `plugins:\n  providers:\n    - name: devin\n      path: ${relative(dir, join(ROOT, "node_modules/pulumi-devin/bin"))}\n` : "");

interface StateResource {
  urn: string;
  type: string;
  id?: string;
  provider?: string;
  parent?: string;
  deletedWith?: string;
  dependencies?: string[];
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}
type Export = { deployment: { resources: StateResource[] } };

let emu: TestEmulator;
let stack: TestStack;
let dir: string;

beforeEach(async () => {
  const started = await startScannedEmulator();
  emu = started.emu;
  dir = join(ROOT, "test/e2e/.work", randomUUID());
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Pulumi.yaml"), pulumiYaml(false));
  writeFileSync(join(dir, "index.ts"), program("pulumi-devin"));
  stack = await TestStack.forProject(emu, dir, undefined, dir);
  stack.scanDirs.push(started.stateDir);
});

afterEach(async () => {
  await emu.close();
  await stack.finish();
});

const selfStatus = async (token: string) => (await emu.call("GET", "/v3/self", undefined, token)).status;

describe("pulumi-devin migrate", () => {
  it("moves a dynamic stack to the plugin: no change, no write, the same working keys, then updates through the plugin", async () => {
    expect((await stack.up()).stdout).toMatch(/6 created/);
    const before = await stack.outputs(true);
    expect(await selfStatus(before.apiKey as unknown as string)).toBe(200);
    expect(await selfStatus(before.deployToken as unknown as string)).toBe(200);

    const exported = (await stack.ok(["stack", "export"])).stdout;
    const res = spawnSync(process.execPath, [join(ROOT, "dist/provider/cli/main.js"), "migrate"], { input: exported, encoding: "utf8" });
    stack.transcript += res.stdout + res.stderr; // the secrets scan reads what migrate printed, too
    expect(res.stderr).toBe(
      [
        "pulumi-devin migrate: moved 4 resources to the plugin: 1 ApiKey, 1 Organization, 1 Playbook, 1 ServiceUser (type devin:index:<Kind>).",
        "pulumi-devin migrate: provider: default_0_1_0 (pulumi:providers:devin), added.",
        "pulumi-devin migrate: removed the pulumi-nodejs default provider, which nothing uses any more.",
        "",
      ].join("\n"),
    );
    expect(res.status).toBe(0);

    const old = (JSON.parse(exported) as Export).deployment.resources;
    const moved = (JSON.parse(res.stdout) as Export).deployment.resources;
    const at = (resources: StateResource[], name: string) => resources.find((r) => r.urn.endsWith(`::${name}`)) as StateResource;
    const urn = (type: string) => `urn:pulumi:dev::${PROJECT}::${type}`;
    expect(moved.map((r) => r.type)).not.toContainEqual(expect.stringMatching(/pulumi-nodejs/));
    const provider = at(moved, "default_0_1_0");
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(provider).toMatchObject({
      urn: urn("pulumi:providers:devin::default_0_1_0"),
      type: "pulumi:providers:devin",
      inputs: { __internal: {}, apiUrl: `${emu.url}/v3beta1`, version },
      outputs: { apiUrl: `${emu.url}/v3beta1`, version },
    });
    // The stack's token, as the old provider held it: the same ciphertext.
    const nodejsProvider = old.find((r) => r.type === "pulumi:providers:pulumi-nodejs") as StateResource;
    expect(provider.inputs?.token).toEqual(nodejsProvider.inputs?.["devin:token"]);
    // URNs carry their ancestors' types; every reference follows.
    const org = urn("acme:index:Team$devin:index:Organization::eng");
    const ci = urn("acme:index:Team$devin:index:Organization$devin:index:ServiceUser::ci");
    expect(at(moved, "eng")).toMatchObject({ urn: org, type: "devin:index:Organization", parent: urn("acme:index:Team::platform") });
    expect(at(moved, "ci")).toMatchObject({ urn: ci, type: "devin:index:ServiceUser", parent: org });
    expect(at(moved, "deploy-key")).toMatchObject({ type: "devin:index:ApiKey", deletedWith: ci });
    expect(at(moved, "deploy").dependencies?.sort()).toEqual([ci, org].sort());
    for (const name of ["eng", "ci", "deploy-key", "deploy"]) {
      const r = at(moved, name);
      expect(r.provider).toBe(`${provider.urn}::${provider.id}`);
      expect(Object.keys({ ...r.inputs, ...r.outputs })).not.toContain("__provider");
      expect(Object.keys({ ...r.inputs, ...r.outputs })).not.toContain("__kind");
      expect(r.id).toBe(at(old, name).id);
    }
    // The one-time keys: the same ciphertexts, byte for byte.
    expect(at(moved, "ci").outputs?.apiKey).toEqual(at(old, "ci").outputs?.apiKey);
    expect(at(moved, "deploy-key").outputs?.key).toEqual(at(old, "deploy-key").outputs?.key);
    expect(res.stdout).toContain(JSON.stringify((at(old, "ci").outputs?.apiKey as { ciphertext: string }).ciphertext));

    await stack.ok(["stack", "import"], res.stdout);
    writeFileSync(join(dir, "index.ts"), program("pulumi-devin/plugin"));
    writeFileSync(join(dir, "Pulumi.yaml"), pulumiYaml(true));

    let mark = (await emu.requests()).length;
    const preview = await stack.ok(["preview", "--expect-no-changes"]);
    expect(preview.stdout).toMatch(/\b6 unchanged/);
    expect(preview.stdout).not.toMatch(/to create|to replace|to delete|to update/);
    expect((await emu.requests()).slice(mark)).toEqual([]); // not even a read
    // A refresh configures the provider from the state alone (the program does not run): the entry migrate added
    // must carry the stack's API URL and token.
    expect((await stack.ok(["refresh", "--yes", "--skip-preview"])).stdout).toMatch(/\b6 unchanged/);
    expect(await writesSince(emu, mark)).toEqual([]);

    const after = await stack.outputs(true);
    expect(after.apiKey).toBe(before.apiKey);
    expect(after.deployToken).toBe(before.deployToken);
    expect(await selfStatus(after.apiKey as unknown as string)).toBe(200);
    expect((await stack.outputs()).apiKey).toBe("[secret]");

    await stack.ok(["config", "set", "acuLimit", "250"]);
    mark = (await emu.requests()).length;
    expect((await stack.up()).stdout).toMatch(/1 updated/);
    expect(await writesSince(emu, mark)).toEqual([`PATCH /enterprise/organizations/${before.orgId}`]);
    const live = await emu.call<{ max_cycle_acu_limit: number }>("GET", `/v3/enterprise/organizations/${before.orgId}`);
    expect(live.body.max_cycle_acu_limit).toBe(250);
    expect(await selfStatus(after.apiKey as unknown as string)).toBe(200);
  });
});
