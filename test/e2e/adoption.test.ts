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
    // One of each other type generate declares, made outside any stack.
    const playbook = (
      await emu().call<{ playbook_id: string }>("POST", `/v3/organizations/${eng}/playbooks`, {
        title: "Upgrade dependencies",
        body: "Upgrade every dependency.",
        macro: "!upgrade",
      })
    ).body.playbook_id;
    const schedule = (
      await emu().call<{ scheduled_session_id: string }>("POST", `/v3/organizations/${eng}/schedules`, {
        name: "Weekly upgrades",
        prompt: "Upgrade what is out of date.",
        frequency: "0 9 * * 1",
        playbook_id: playbook,
      })
    ).body.scheduled_session_id;
    await emu().call("POST", `/v3/organizations/${eng}/knowledge/notes`, {
      name: "Deploys",
      body: "Use the pipeline.",
      trigger: "When deploying",
    });
    const secret = (
      await emu().call<{ secret_id: string }>("POST", `/v3/organizations/${eng}/secrets`, {
        type: "key-value",
        key: "NPM_TOKEN",
        value: "npm-live-value",
      })
    ).body.secret_id;
    await emu().call("POST", "/v3/enterprise/playbooks", { title: "Release", body: "Cut a release." });
    await emu().call("POST", "/v3/enterprise/knowledge/notes", { name: "Style", body: "Prettier.", trigger: "When writing code" });
    await emu().call("POST", "/v3/enterprise/idp-groups", { idp_group_names: ["engineering"] });
    await emu().call("POST", "/v3/enterprise/members/idp-groups/engineering", { role_id: "account_member" });
    await emu().call("POST", `/v3/enterprise/organizations/${eng}/members/idp-groups/engineering`, { role_id: "org_admin" });
    await emu().call("POST", "/v3/enterprise/ip-access-list", { ip_ranges: ["127.0.0.1/32", "::1/128"] });
    await emu().features({ orgGroupLimits: true, sessionTags: true });
    await emu().call("PUT", "/v3/enterprise/org-group-limits", { groups: { research: { org_ids: [eng, ops], max_cycle_acus: 900 } } });
    await emu().call("PUT", `/v3/enterprise/organizations/${eng}/tags`, { tags: ["feature", "bugfix"] });
    await emu().call("PUT", `/v3/enterprise/organizations/${eng}/tags/default`, { tag: "feature" });
    await emu().call("POST", `/v3/enterprise/organizations/${eng}/git-providers/permissions`, {
      permissions: [{ git_connection_id: await emu().defaultGitConnectionId(), group_prefix: "acme/", read_only: true }],
    });
    const alice = (
      await emu().call<{ user_id: string }[]>("POST", "/v3/enterprise/members/users", {
        emails: ["alice@example.com"],
        enterprise_role_id: "account_member",
      })
    ).body[0].user_id;
    await emu().call("POST", `/v3/enterprise/organizations/${ops}/members/users/${alice}`, { role_id: "org_member" });
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
    expect(printed).toContain(
      "Adopted: 2 Organization, 1 Playbook, 1 KnowledgeNote, 1 Schedule, 1 Secret, 1 GitPermission, 1 OrgTags, 3 ServiceUser, " +
        "1 OrgUserRole, 1 OrgServiceUserRole, 1 IdpGroup, 1 EnterpriseIdpGroupRole, 1 OrgIdpGroupRole, 1 IpAccessList, " +
        "1 OrgGroupLimits, 1 EnterprisePlaybook, 1 EnterpriseKnowledgeNote.",
    );
    // What breaks the policy pack is named, with the fix.
    expect(printed).toContain("Breaks policy devin-org-acu-limit: organization Ops & Platform has no acuLimit");
    expect(printed).toContain("Breaks policy devin-no-admin-service-users: service user ops-admin holds Admin in Ops & Platform");
    expect(printed).toContain(`pulumi config set --secret engineering-npm-token`);
    expect(printed).not.toContain("npm-live-value");
    expect(printed).not.toContain(emu().token);
    const program = readFileSync(join(out, "index.ts"), "utf8");
    expect(program).toContain(`adoptId: "${eng}"`);
    expect(program).toContain('name: "Ops & Platform"');
    expect(program).toContain(`adoptId: "${eng}/${auditor}"`);
    expect(program).toContain(`adoptId: "${schedule}"`);
    expect(program).toContain(`adoptId: "${secret}"`);
    // References, not copied ids: the schedule names its playbook's variable, the role its org's.
    expect(program).toMatch(/new devin\.Schedule\([^\n]*playbookId: engineeringUpgradeDependencies\.playbookId/);
    expect(program).toContain(`adoptId: "${eng}/engineering"`);

    const adopted = await TestStack.forProject(emu(), out);
    try {
      await adopted.ok(["config", "set", "--secret", "engineering-npm-token", "npm-live-value"]);
      const mark = (await emu().requests()).length;
      await adopted.ok(["up", "--yes", "--skip-preview"]);
      expect(await writes(mark)).toEqual([]);
      await adopted.ok(["preview", "--expect-no-changes"]);
      // The stack holds every object: one resource of each type per object seeded above.
      const state = JSON.parse((await adopted.ok(["stack", "export"])).stdout) as {
        deployment: { resources: { type: string; outputs?: { ttlSeconds?: number } }[] };
      };
      const types = state.deployment.resources
        .map((r) => r.type.replace("pulumi-nodejs:dynamic/devin:", ""))
        .filter((t) => !t.startsWith("pulumi:"));
      const tally = Object.fromEntries([...new Set(types)].map((t) => [t, types.filter((x) => x === t).length]));
      expect(tally).toEqual({
        Organization: 2,
        ServiceUser: 3,
        OrgServiceUserRole: 1,
        Playbook: 1,
        KnowledgeNote: 1,
        Schedule: 1,
        Secret: 1,
        IdpGroup: 1,
        EnterpriseIdpGroupRole: 1,
        OrgIdpGroupRole: 1,
        IpAccessList: 1,
        OrgGroupLimits: 1,
        EnterprisePlaybook: 1,
        EnterpriseKnowledgeNote: 1,
        GitPermission: 1,
        OrgTags: 1,
        OrgUserRole: 1,
      });
      // Each service user's TTL as made (3600 s), not the default of a year.
      const ttls = state.deployment.resources.filter((r) => r.type.endsWith("devin:ServiceUser")).map((r) => r.outputs?.ttlSeconds);
      expect(ttls).toEqual([3600, 3600, 3600]);
      // Only ids as outputs, not whole objects.
      expect(Object.keys(await adopted.outputs())).toEqual(["orgIds", "serviceUserIds"]);
      const after = await liveObjects(emu());
      expect(after).toEqual(before);
    } finally {
      await adopted.finish();
    }
  });
});
