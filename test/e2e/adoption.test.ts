import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { liveObjects } from "../support/enterprise";
import { ROOT } from "../support/host";
import { TestStack, useStack, type Spec } from "../support/pulumi";

/** Bringing what exists under code: adoptId in a program, and `pulumi-devin generate` writing that program. */

const { emu, stack } = useStack();

type Provisioned = { service_user: { service_user_id: string }; token: string };
const writes = async (mark: number) =>
  (await emu().requests())
    .slice(mark)
    .filter((r) => r.method !== "GET")
    .map((r) => `${r.method} ${r.path.split("?")[0]}`);

describe("adoption with adoptId", () => {
  it("an org and an org service user made outside Pulumi: no POST, no DELETE, a no-op second up, and destroy removes them", async () => {
    const orgId = (
      await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "Legacy", max_cycle_acu_limit: 40 })
    ).body.org_id;
    const made = (
      await emu().call<Provisioned>("POST", `/v3beta1/organizations/${orgId}/service-users`, {
        name: "legacy-ci",
        role_id: "org_member",
        ttl_seconds: 3600,
      })
    ).body;
    const suId = made.service_user.service_user_id;
    const spec: Spec = {
      orgs: [{ key: "legacy", name: "Legacy", acuLimit: 40, adoptId: orgId }],
      serviceUsers: [{ key: "ci", org: "legacy", name: "legacy-ci", role: "Member", adoptId: suId }],
    };
    await stack().setSpec(spec);

    // Pulumi shows a resource new to the stack as a create: each carries the adoptId it takes over, and nothing is deleted.
    const steps = (await stack().previewSteps()).filter((s) => s.op !== "same" && s.type !== "pulumi:pulumi:Stack");
    expect(steps.map((s) => [s.op, s.name, s.newInputs?.adoptId])).toEqual([
      ["create", "legacy", orgId],
      ["create", "ci", suId],
    ]);

    const mark = (await emu().requests()).length;
    await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(await writes(mark)).toEqual([]);
    const { orgIds, serviceUserIds } = await stack().outputs();
    expect([orgIds.legacy, serviceUserIds.ci]).toEqual([orgId, suId]);
    // Its keys were left alone: the one made outside Pulumi still works.
    expect((await emu().call("GET", "/v3/self", undefined, made.token)).status).toBe(200);

    const again = (await emu().requests()).length;
    await stack().ok(["preview", "--expect-no-changes"]);
    const second = await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(second.stdout).not.toMatch(/created|updated|deleted|replaced/);
    expect(await writes(again)).toEqual([]);

    await stack().ok(["destroy", "--yes", "--skip-preview"]);
    const live = await liveObjects(emu());
    expect(live.orgs).toEqual([]);
    expect(live.serviceUsers).toEqual([]);
  });

  it("a changed value is PATCHed on adoption, and only that", async () => {
    const orgId = (
      await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "Legacy", max_cycle_acu_limit: 40 })
    ).body.org_id;
    await stack().setSpec({ orgs: [{ key: "legacy", name: "Legacy", acuLimit: 75, adoptId: orgId }], serviceUsers: [] });
    const mark = (await emu().requests()).length;
    await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(await writes(mark)).toEqual([`PATCH /v3/enterprise/organizations/${orgId}`]);
    expect((await liveObjects(emu())).orgs).toHaveLength(1);
  });
});

describe("pulumi-devin generate", () => {
  it("writes a program that adopts the whole enterprise: up sends no POST and no DELETE, and the next preview is empty", async () => {
    const eng = (
      await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "Engineering", max_cycle_acu_limit: 500 })
    ).body.org_id;
    const ops = (await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "Ops & Platform" })).body.org_id;
    await emu().call("POST", `/v3beta1/organizations/${eng}/service-users`, { name: "eng-ci", role_id: "org_member", ttl_seconds: 3600 });
    await emu().call("POST", `/v3beta1/organizations/${ops}/service-users`, { name: "ops-admin", role_id: "org_admin", ttl_seconds: 3600 });
    const auditor = (
      await emu().call<{ service_user: { service_user_id: string } }>("POST", "/v3beta1/enterprise/service-users", {
        name: "auditor",
        role_id: "account_member",
        ttl_seconds: 3600,
      })
    ).body.service_user.service_user_id;
    // An enterprise service user with a role in an org too: declared as an OrgServiceUserRole.
    await emu().call("POST", `/v3/enterprise/organizations/${eng}/members/service-users/${auditor}`, { role_id: "org_member" });
    const before = await liveObjects(emu());

    const out = join(ROOT, "test/e2e/.work", randomUUID(), "adopted");
    // Asynchronously: the emulator answers from this very process.
    const { stdout: printed } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, "dist/provider/cli/main.js"), "generate", "--out", out],
      {
        env: { ...process.env, DEVIN_TOKEN: emu().token, DEVIN_API_URL: emu().url },
      },
    );
    expect(printed).toContain("2 organizations and 3 service users, each adopted");
    expect(printed).not.toContain(emu().token);
    const program = readFileSync(join(out, "index.ts"), "utf8");
    expect(program).toContain(`adoptId: "${eng}"`);
    expect(program).toContain('name: "Ops & Platform"');
    expect(program).toContain(`adoptId: "${eng}/${auditor}"`);

    const adopted = await TestStack.forProject(emu(), out);
    try {
      const mark = (await emu().requests()).length;
      await adopted.ok(["up", "--yes", "--skip-preview"]);
      expect(await writes(mark)).toEqual([]);
      await adopted.ok(["preview", "--expect-no-changes"]);
      const after = await liveObjects(emu());
      expect(after).toEqual(before);
    } finally {
      await adopted.finish();
    }
  });
});
