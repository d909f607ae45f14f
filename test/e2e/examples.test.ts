import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { ROOT } from "../support/host";
import { TestStack, writesSince } from "../support/pulumi";

let emu: TestEmulator;
let stack: TestStack | undefined;
beforeEach(async () => {
  emu = await startTestEmulator();
});
afterEach(async () => {
  stack?.cleanup();
  await emu?.close();
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
});
