import { expect } from "vitest";
import type { TestEmulator } from "./emulator";
import { writesSince, type TestStack } from "./pulumi";

type Org = { org_id: string; name: string; max_cycle_acu_limit: number | null };

/**
 * The life of a plugin program that declares one org `orgName` (its `acuLimit` from the project config key `acuLimit`,
 * 100 by default) and a service user in it, exporting `orgId` and `apiKey`: create, a no-op preview that sends no
 * request, an update previewed exactly and sent as one PATCH, drift seen after a refresh, destroy. Every language's
 * program must behave the same here.
 */
export async function expectPluginLifecycle(stack: TestStack, emu: TestEmulator, orgName: string): Promise<void> {
  const orgs = async () => (await emu.call<{ items: Org[] }>("GET", "/v3/enterprise/organizations")).body.items;
  expect((await stack.ok(["up", "--yes", "--skip-preview"])).stdout).toMatch(/3 created/);
  const [org] = await orgs();
  expect(org).toMatchObject({ name: orgName, max_cycle_acu_limit: 100 });
  const outputs = (await stack.outputs(true)) as unknown as Record<string, string>;
  expect(outputs.orgId).toBe(org.org_id);
  // The one-time key works, and is a secret output.
  expect((await emu.call("GET", "/v3/self", undefined, outputs.apiKey)).status).toBe(200);
  expect((await stack.outputs()).apiKey).toBe("[secret]");

  let mark = (await emu.requests()).length;
  await stack.ok(["preview", "--expect-no-changes"]);
  expect((await emu.requests()).slice(mark)).toEqual([]);

  await stack.ok(["config", "set", "acuLimit", "250"]);
  const preview = await stack.ok(["preview", "--diff"]);
  expect(preview.stdout).toMatch(/~ acuLimit\s*: 100 => 250/);
  expect(preview.stdout).toMatch(/1 to update/);
  expect(preview.stdout).not.toMatch(/to replace|to create|to delete/);
  mark = (await emu.requests()).length;
  expect((await stack.ok(["up", "--yes", "--skip-preview"])).stdout).toMatch(/1 updated/);
  expect(await writesSince(emu, mark)).toEqual([`PATCH /enterprise/organizations/${org.org_id}`]);
  expect((await orgs())[0].max_cycle_acu_limit).toBe(250);

  await emu.call("PATCH", `/v3/enterprise/organizations/${org.org_id}`, { max_cycle_acu_limit: 9999 });
  expect((await stack.ok(["refresh", "--yes"])).stdout).toMatch(/1 updated/);
  const drift = await stack.run(["preview", "--expect-no-changes", "--diff"]);
  expect(drift.code).not.toBe(0);
  expect(drift.stdout).toMatch(/~ acuLimit\s*: 9999 => 250/);

  expect((await stack.ok(["destroy", "--yes", "--skip-preview"])).stdout).toMatch(/3 deleted/);
  expect(await orgs()).toEqual([]);
}
