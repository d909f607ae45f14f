import { mkdirSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestEmulator } from "../support/emulator";
import { ROOT } from "../support/host";
import { expectPluginLifecycle } from "../support/plugin";
import { startScannedEmulator, TestStack, writesSince } from "../support/pulumi";

/**
 * A Pulumi YAML program through the provider plugin (bin/pulumi-resource-devin, named in Pulumi.yaml as a user would),
 * on the real CLI and YAML language host: what a YAML, Go, Python, C# or Java user gets.
 */

const program = (extra = "") => `name: devin-plugin-yaml
runtime: yaml
plugins:
  providers:
    - name: devin
      path: ${join(ROOT, "bin")}
config:
  acuLimit:
    type: integer
    default: 100
resources:
  eng:
    type: devin:index:Organization
    properties:
      name: yaml-eng
      acuLimit: \${acuLimit}
  ci:
    type: devin:index:ServiceUser
    properties:
      name: yaml-ci
      orgId: \${eng.orgId}
      role: Member
${extra}outputs:
  orgId: \${eng.orgId}
  serviceUserId: \${ci.serviceUserId}
  apiKey: \${ci.apiKey}
`;

type Org = { org_id: string; name: string; max_cycle_acu_limit: number | null };

let emu: TestEmulator;
let stack: TestStack;
let dir: string;

const write = (extra?: string) => writeFileSync(join(dir, "Pulumi.yaml"), program(extra));
const orgs = async () => (await emu.call<{ items: Org[] }>("GET", "/v3/enterprise/organizations")).body.items;

beforeEach(async () => {
  const started = await startScannedEmulator();
  emu = started.emu;
  dir = join(ROOT, "test/e2e/.work", randomUUID());
  mkdirSync(dir, { recursive: true });
  write();
  stack = await TestStack.forProject(emu, dir, undefined, dir);
  stack.scanDirs.push(started.stateDir);
});

afterEach(async () => {
  await emu.close();
  await stack.finish();
});

describe("a Pulumi YAML program through pulumi-resource-devin", () => {
  it("creates, previews a no-op with no request, previews an update exactly, sees drift on refresh, and destroys", async () => {
    await expectPluginLifecycle(stack, emu, "yaml-eng");
  });

  it("imports an org made outside Pulumi; then preview shows no change", async () => {
    await stack.ok(["up", "--yes", "--skip-preview"]);
    const legacy = await emu.newOrg("legacy");
    await emu.call("PATCH", `/v3/enterprise/organizations/${legacy}`, { max_cycle_acu_limit: 40 });

    const imported = await stack.ok(["import", "devin:index:Organization", "legacy", legacy, "--yes", "--generate-code=false"]);
    expect(imported.stdout).toMatch(/1 imported/);
    write(`  legacy:\n    type: devin:index:Organization\n    properties:\n      name: legacy\n      acuLimit: 40\n`);
    const mark = (await emu.requests()).length;
    await stack.ok(["preview", "--expect-no-changes"]);
    expect(await writesSince(emu, mark)).toEqual([]);

    // A type that lives in an org takes <orgId>/<id>.
    const playbook = await emu.call<{ playbook_id: string }>("POST", `/v3/organizations/${legacy}/playbooks`, {
      title: "Deploy",
      body: "Run the deploy.",
    });
    const pbId = playbook.body.playbook_id;
    expect(
      (await stack.ok(["import", "devin:index:Playbook", "deploy", `${legacy}/${pbId}`, "--yes", "--generate-code=false"])).stdout,
    ).toMatch(/1 imported/);
    write(
      `  legacy:\n    type: devin:index:Organization\n    properties:\n      name: legacy\n      acuLimit: 40\n` +
        `  deploy:\n    type: devin:index:Playbook\n    properties:\n      orgId: ${legacy}\n      title: Deploy\n      body: Run the deploy.\n`,
    );
    await stack.ok(["preview", "--expect-no-changes"]);

    // An id that names nothing fails the import and says so.
    const missing = await stack.run(["import", "devin:index:Organization", "ghost", "org-00000000000000000000000000000000", "--yes"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stdout + missing.stderr).toMatch(/does not exist/);
  });

  it("records a partial create: a service user whose key cannot be issued is kept, and the next up issues the key", async () => {
    // The provisioning answer (with the first key) is lost; the key that replaces it cannot be issued in this run.
    await emu.faults([
      { kind: "commit-then-drop", method: "POST", path: "/v3beta1/organizations/*/service-users", times: 1 },
      { kind: "server-error", method: "POST", path: "/v3beta1/enterprise/service-users/*/api-keys", status: 503 },
    ]);
    const first = await stack.run(["up", "--yes", "--skip-preview"], undefined, { DEVIN_RETRY_BUDGET_SECONDS: "1" });
    expect(first.code).not.toBe(0);
    expect(first.stdout + first.stderr).toContain("run 'pulumi up' again to finish (no second service user is made)");
    await emu.faults([]);

    const mark = (await emu.requests()).length;
    await stack.ok(["up", "--yes", "--skip-preview"]);
    const writes = (await emu.requests())
      .slice(mark)
      .filter((r) => r.method !== "GET")
      .map((r) => `${r.method} ${r.path.replace(/\/v3(beta1)?/, "").replace(/[0-9a-f]{32}/g, "…")}`);
    expect(writes).toEqual([
      "POST /enterprise/service-users/service-user-…/api-keys",
      "DELETE /enterprise/service-users/service-user-…/api-keys/api-key-…",
    ]);
    const serviceUsers = (await emu.call<{ items: { name: string }[] }>("GET", "/v3/enterprise/members/service-users")).body.items;
    expect(serviceUsers.filter((su) => su.name === "yaml-ci")).toHaveLength(1);
    const { apiKey } = (await stack.outputs(true)) as unknown as Record<string, string>;
    expect((await emu.call("GET", "/v3/self", undefined, apiKey)).status).toBe(200);
    await stack.ok(["preview", "--expect-no-changes"]);
  });

  it("reports bad input with the same message as the dynamic resources, and writes nothing", async () => {
    write(`  bad:\n    type: devin:index:Organization\n    properties:\n      name: bad\n      acuLimit: -5\n`);
    const mark = (await emu.requests()).length;
    const preview = await stack.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout).toContain(
      "acuLimit must be a whole number of ACUs from 0 to 9007199254740991 (got -5). Use 0 to block usage, or leave acuLimit out for no limit.",
    );
    expect(await writesSince(emu, mark)).toEqual([]);
  });

  it("calls a function", async () => {
    await emu.newOrg("existing");
    writeFileSync(
      join(dir, "Pulumi.yaml"),
      program(
        `variables:\n  found:\n    fn::invoke:\n      function: devin:index:getOrganization\n      arguments:\n        name: existing\n`,
      ).replace("outputs:\n", "outputs:\n  existingId: ${found.orgId}\n"),
    );
    await stack.ok(["up", "--yes", "--skip-preview"]);
    expect((await stack.outputs()).existingId).toMatch(/^org-/);
  });
});
