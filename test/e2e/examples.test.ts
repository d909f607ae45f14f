import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestEmulator } from "../support/emulator";
import { ROOT } from "../support/host";
import { startScannedEmulator, TestStack, writesSince } from "../support/pulumi";

let emu: TestEmulator;
let emulatorState: string;
let stack: TestStack | undefined;
beforeEach(async () => {
  ({ emu, stateDir: emulatorState } = await startScannedEmulator());
});
afterEach(async () => {
  await emu?.close();
  stack?.scanDirs.push(emulatorState);
  await stack?.finish();
  stack = undefined;
});

const counts = async () => ({
  orgs: (await emu.call<{ total: number }>("GET", "/v3/enterprise/organizations")).body.total,
  serviceUsers: (await emu.call<{ total: number }>("GET", "/v3/enterprise/members/service-users")).body.total - 1,
});

describe("the examples, run in place as a user would", () => {
  it.each([
    ["quickstart", { orgs: 2, serviceUsers: 2 }, "apiKeys"],
    ["multi-org", { orgs: 3, serviceUsers: 3 }, "botKeys"],
  ])("%s previews without writes, deploys what it declares and destroys cleanly", async (example, expected, keysOutput) => {
    stack = await TestStack.forProject(emu, join(ROOT, "examples", example));
    const preview = await stack.ok(["preview"]);
    expect(preview.stdout).toMatch(new RegExp(`\\+ ${expected.orgs + expected.serviceUsers + 1} to create`));
    expect(await writesSince(emu, 0)).toEqual([]);

    await stack.ok(["up", "--yes", "--skip-preview"]);
    expect(await counts()).toEqual(expected);
    const keys = Object.values((await stack.outputs(true))[keysOutput]);
    expect(keys).toHaveLength(expected.serviceUsers);
    for (const key of keys) expect(stack.transcript).not.toContain(key);

    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await counts()).toEqual({ orgs: 0, serviceUsers: 0 });
  });

  it("access previews without writes, grants what it declares, and takes it away on destroy", async () => {
    stack = await TestStack.forProject(emu, join(ROOT, "examples", "access"));
    await stack.ok(["preview"]);
    expect(await writesSince(emu, 0)).toEqual([]);
    await stack.ok(["up", "--yes", "--skip-preview"]);
    const { orgIds, leadUserId } = (await stack.outputs()) as unknown as { orgIds: Record<string, string>; leadUserId: string };
    const group = await emu.call<{ role_assignments: { org_id: string | null; role: { role_id: string } }[] }>(
      "GET",
      "/v3/enterprise/members/idp-groups/engineering",
    );
    expect(group.body.role_assignments.map((a) => [a.org_id, a.role.role_id]).sort()).toEqual(
      [
        [null, "account_member"],
        [orgIds.platform, "org_admin"],
      ].sort(),
    );
    const lead = await emu.call<{ role_assignments: { org_id: string | null; role: { role_id: string } }[] }>(
      "GET",
      `/v3/enterprise/members/users/${leadUserId}`,
    );
    expect(lead.body.role_assignments.find((a) => a.org_id === orgIds.research)?.role.role_id).toBe("org_admin");
    expect((await emu.call("GET", "/v3/enterprise/ip-access-list")).body).toEqual({ ip_ranges: ["127.0.0.1/32", "203.0.113.0/24"] });
    await stack.ok(["preview", "--expect-no-changes"]);
    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await counts()).toEqual({ orgs: 0, serviceUsers: 0 });
    expect((await emu.call("GET", "/v3/enterprise/ip-access-list")).body).toEqual({ ip_ranges: [] });
  });

  it("org-content previews without writes, deploys its texts from the Markdown files, keeps the secret secret, and destroys cleanly", async () => {
    const project = join(ROOT, "examples", "org-content");
    stack = await TestStack.forProject(emu, project);
    await stack.ok(["config", "set", "--secret", "npmToken"], "npm_example_token_5e1f9a");
    await stack.ok(["preview"]);
    expect(await writesSince(emu, 0)).toEqual([]);
    await stack.ok(["up", "--yes", "--skip-preview"]);
    const { orgId, playbookId } = (await stack.outputs()) as unknown as Record<string, string>;
    const playbook = await emu.call<{ body: string; macro: string }>("GET", `/v3/organizations/${orgId}/playbooks/${playbookId}`);
    expect(playbook.body.body).toBe(readFileSync(join(project, "playbooks/dependency-upgrades.md"), "utf8"));
    const schedules = await emu.call<{ items: { frequency: string; playbook: { playbook_id: string } }[] }>(
      "GET",
      `/v3/organizations/${orgId}/schedules`,
    );
    expect(schedules.body.items).toEqual([
      expect.objectContaining({ frequency: "0 9 * * 1", playbook: expect.objectContaining({ playbook_id: playbookId }) }),
    ]);
    const secrets = await emu.call<{ items: { secret_id: string; key: string }[] }>("GET", `/v3/organizations/${orgId}/secrets`);
    expect(secrets.body.items.map((s) => s.key)).toEqual(["NPM_TOKEN"]);
    expect(await emu.secretValueMatches(secrets.body.items[0].secret_id, "npm_example_token_5e1f9a")).toBe(true);
    const permissions = await emu.call<{ items: { repo_path: string }[] }>(
      "GET",
      `/v3/enterprise/organizations/${orgId}/git-providers/permissions`,
    );
    expect(permissions.body.items.map((p) => p.repo_path)).toEqual(["example-org/web-app"]);
    await stack.ok(["preview", "--expect-no-changes"]);
    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await counts()).toEqual({ orgs: 0, serviceUsers: 0 });
  });

  it("key-rotation issues a CI key, rotates it once it is 30 days old, and revokes it on destroy", async () => {
    stack = await TestStack.forProject(emu, join(ROOT, "examples", "key-rotation"));
    await stack.ok(["up", "--yes", "--skip-preview"]);
    const first = (await stack.outputs(true)).ciKey as unknown as string;
    const works = async (key: string) => (await emu.call("GET", "/v3/self", undefined, key)).status;
    expect(await works(first)).toBe(200);
    await stack.ok(["preview", "--expect-no-changes"]);

    await emu.advanceClock(31 * 86_400);
    expect((await stack.ok(["preview"])).stdout).toMatch(/ApiKey ci-deployer-key update \[diff: ~rotation\]/);
    await stack.ok(["up", "--yes", "--skip-preview"]);
    const second = (await stack.outputs(true)).ciKey as unknown as string;
    expect(await works(second)).toBe(200);
    expect(await works(first)).toBe(401);
    await stack.ok(["preview", "--expect-no-changes"]);

    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    expect(await works(second)).toBe(401);
    expect(await counts()).toEqual({ orgs: 0, serviceUsers: 0 });
    stack.sensitive.add(first);
    stack.sensitive.add(second);
  });
});
