import { execFile, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { liveObjects } from "../support/enterprise";
import { ROOT } from "../support/host";
import { strictTypeCheck } from "../support/typecheck";
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

/** One or more of every type generate adopts, made outside any stack; the ids the checks name. */
async function seedEnterprise() {
  const eng = (
    await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "Engineering", max_cycle_acu_limit: 500 })
  ).body.org_id;
  const ops = (await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "Ops & Platform" })).body.org_id;
  const engCi = (
    await emu().call<{ service_user: { service_user_id: string } }>("POST", `/v3beta1/organizations/${eng}/service-users`, {
      name: "eng-ci",
      role_id: "org_member",
      ttl_seconds: 3600,
    })
  ).body.service_user.service_user_id;
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
  // An org service user with a role in an org the program declares after its own: that role comes after both.
  await emu().call("POST", `/v3/enterprise/organizations/${ops}/members/service-users/${engCi}`, { role_id: "org_member" });
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
    // Dollars, which Pulumi YAML would read as an expression unless escaped.
    body: "Use the pipeline: ./deploy ${ENV} costs $$5.",
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
  return { eng, ops, auditor, schedule, secret };
}

/** `pulumi-devin generate` run as a user runs it, against the emulator; what it printed. */
async function generate(out: string, ...flags: string[]): Promise<string> {
  // Asynchronously: the emulator answers from this very process.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(ROOT, "dist/provider/cli/main.js"), "generate", "--out", out, ...flags],
    {
      env: { ...process.env, DEVIN_TOKEN: emu().token, DEVIN_API_URL: emu().url },
    },
  );
  return stdout;
}

/** The resources of a stack per type (the dynamic and the plugin's type tokens alike), but Pulumi's own. */
async function tally(stack: TestStack): Promise<Record<string, number>> {
  const state = JSON.parse((await stack.ok(["stack", "export"])).stdout) as { deployment: { resources: { type: string }[] } };
  const types = state.deployment.resources
    .map((r) => r.type.replace("pulumi-nodejs:dynamic/devin:", "").replace("devin:index:", ""))
    .filter((t) => !t.startsWith("pulumi:"));
  return Object.fromEntries([...new Set(types)].sort().map((t) => [t, types.filter((x) => x === t).length]));
}

/** What the seeded enterprise is, per type, once adopted. */
const EVERY_TYPE = {
  EnterpriseIdpGroupRole: 1,
  EnterpriseKnowledgeNote: 1,
  EnterprisePlaybook: 1,
  GitPermission: 1,
  IdpGroup: 1,
  IpAccessList: 1,
  KnowledgeNote: 1,
  OrgGroupLimits: 1,
  OrgIdpGroupRole: 1,
  OrgServiceUserRole: 2,
  OrgTags: 1,
  OrgUserRole: 1,
  Organization: 2,
  Playbook: 1,
  Schedule: 1,
  Secret: 1,
  ServiceUser: 3,
};

/**
 * The adopted project's life: the secret's value set as generate said, then `up` sends no write (POST, PATCH, PUT,
 * DELETE), the next preview shows no change, the stack holds one resource per object seeded, each service user with
 * its real TTL, the outputs are ids only, and the enterprise is as it was.
 */
async function expectAdoptedAsIs(adopted: TestStack, before: Awaited<ReturnType<typeof liveObjects>>) {
  await adopted.ok(["config", "set", "--secret", "engineering-npm-token", "npm-live-value"]);
  const mark = (await emu().requests()).length;
  await adopted.ok(["up", "--yes", "--skip-preview"]);
  expect(await writes(mark)).toEqual([]);
  await adopted.ok(["preview", "--expect-no-changes"]);
  expect(await tally(adopted)).toEqual(EVERY_TYPE);
  // Each service user's TTL as made (3600 s), not the default of a year.
  const state = JSON.parse((await adopted.ok(["stack", "export"])).stdout) as {
    deployment: { resources: { type: string; outputs?: { ttlSeconds?: number } }[] };
  };
  const ttls = state.deployment.resources.filter((r) => r.type.endsWith("ServiceUser")).map((r) => r.outputs?.ttlSeconds);
  expect(ttls).toEqual([3600, 3600, 3600]);
  // Only ids as outputs, not whole objects.
  expect(Object.keys(await adopted.outputs())).toEqual(["orgIds", "serviceUserIds"]);
  expect(await liveObjects(emu())).toEqual(before);
}

/** A generated plugin project beside this checkout: `npm install` would put pulumi-devin in its node_modules. */
function installed(out: string) {
  mkdirSync(join(out, "node_modules"), { recursive: true });
  symlinkSync(ROOT, join(out, "node_modules", "pulumi-devin"));
}

describe("pulumi-devin generate", () => {
  it("writes a program that adopts the whole enterprise: up sends no write, and the next preview is empty", async () => {
    const { eng, auditor, schedule, secret } = await seedEnterprise();
    const before = await liveObjects(emu());

    const out = join(ROOT, "test/e2e/.work", randomUUID(), "adopted");
    const printed = await generate(out);
    expect(printed).toContain(
      "Adopted: 2 Organization, 1 Playbook, 1 KnowledgeNote, 1 Schedule, 1 Secret, 1 GitPermission, 1 OrgTags, 3 ServiceUser, " +
        "2 OrgServiceUserRole, 1 OrgUserRole, 1 IdpGroup, 1 EnterpriseIdpGroupRole, 1 OrgIdpGroupRole, 1 IpAccessList, " +
        "1 OrgGroupLimits, 1 EnterprisePlaybook, 1 EnterpriseKnowledgeNote.",
    );
    // What it left out, and why.
    expect(printed).toContain("Left out: API keys beyond each service user's own: their tokens cannot be read back");
    expect(printed).toContain("Left out: users' enterprise roles: EnterpriseUserRole cannot adopt");
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
    // References, not copied ids: the schedule names its playbook's variable, the role its org's, the group limits their orgs.
    expect(program).toMatch(/new devin\.Schedule\([^\n]*playbookId: engineeringUpgradeDependencies\.playbookId/);
    expect(program).toContain(`adoptId: "${eng}/engineering"`);
    expect(program).toMatch(
      /new devin\.OrgGroupLimits\([^\n]*orgIds: \[(engineering|opsPlatform)\.orgId, (engineering|opsPlatform)\.orgId\]/,
    );

    const adopted = await TestStack.forProject(emu(), out);
    try {
      await expectAdoptedAsIs(adopted, before);
    } finally {
      await adopted.finish();
    }
  });

  it("--language yaml: the same adoption through the provider plugin, with references as ${...}", async () => {
    const { eng, schedule } = await seedEnterprise();
    const before = await liveObjects(emu());
    const out = join(ROOT, "test/e2e/.work", randomUUID(), "adopted-yaml");
    const printed = await generate(out, "--language", "yaml");
    expect(printed).toContain("1 OrgGroupLimits, 1 EnterprisePlaybook, 1 EnterpriseKnowledgeNote.");
    expect(printed).toContain("Next: npm install, pulumi stack init");
    const program = readFileSync(join(out, "Pulumi.yaml"), "utf8");
    expect(program).toContain("type: devin:index:Schedule");
    expect(program).toContain('playbookId: "${engineering-upgrade-dependencies.playbookId}"');
    expect(program).toContain(`adoptId: "${schedule}"`);
    expect(program).toContain(`adoptId: "${eng}"`);
    expect(program).toContain('value: "${engineering-npm-token}"');
    installed(out);
    const adopted = await TestStack.forProject(emu(), out, undefined, join(out, ".."));
    try {
      await expectAdoptedAsIs(adopted, before);
    } finally {
      await adopted.finish();
    }
  });
});

describe("pulumi-devin generate in the plugin's other languages", () => {
  it(
    "--language go, python, and typescript --plugin: the same adoption; Go runs it, Python and TypeScript compile against their SDKs",
    { timeout: 600_000 },
    async () => {
      const { schedule } = await seedEnterprise();
      const before = await liveObjects(emu());
      const work = join(ROOT, "test/e2e/.work", randomUUID());
      const project = async (name: string, ...flags: string[]) => {
        const out = join(work, name);
        const printed = await generate(out, ...flags);
        expect(printed).toContain("1 OrgGroupLimits, 1 EnterprisePlaybook, 1 EnterpriseKnowledgeNote.");
        installed(out);
        return out;
      };
      const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) => {
        const r = spawnSync(command, args, { cwd, env, encoding: "utf8" });
        return { status: r.status, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
      };

      // Go: go mod tidy (go.sum), then go build and go vet of main.go against sdk/go through the replace in go.mod.
      const go = await project("adopted-go", "--language", "go");
      const main = readFileSync(join(go, "main.go"), "utf8");
      expect(main).toContain("PlaybookId: engineeringUpgradeDependencies.PlaybookId.ToStringPtrOutput(),");
      expect(main).toContain(`AdoptId: pulumi.String("${schedule}"),`);
      expect(main).toContain('Value: cfg.RequireSecret("engineering-npm-token"),');
      const goEnv = { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local" };
      for (const step of [
        ["mod", "tidy"],
        ["build", "-o", "/dev/null", "."],
        ["vet", "."],
      ]) {
        const r = run("go", step, go, goEnv);
        expect(r.output, `go ${step.join(" ")}`).toBe("");
        expect(r.status).toBe(0);
      }
      // And run, through the Go language host and the plugin: the same adoption as from TypeScript and YAML.
      const adopted = await TestStack.forProject(emu(), go, undefined, join(work, "go-stack"));
      try {
        await expectAdoptedAsIs(adopted, before);
      } finally {
        await adopted.finish();
      }

      // Python: it compiles, and every keyword argument is one the SDK's class takes (the SDK cannot be installed here).
      const python = await project("adopted-python", "--language", "python");
      expect(readFileSync(join(python, "Pulumi.yaml"), "utf8")).toContain("path: ./node_modules/pulumi-devin/bin");
      expect(readFileSync(join(python, "__main__.py"), "utf8")).toContain("playbook_id=engineering_upgrade_dependencies.playbook_id,");
      const checked = run(
        "python3",
        [join(ROOT, "test/support/check-python-program.py"), join(python, "__main__.py"), join(ROOT, "sdk/python/pulumi_devin")],
        python,
      );
      expect(checked.output).toBe("");
      expect(checked.status).toBe(0);

      // TypeScript on the plugin's SDK: strict tsc.
      const ts = await project("adopted-ts", "--plugin");
      expect(readFileSync(join(ts, "index.ts"), "utf8")).toContain('import * as devin from "pulumi-devin/plugin";');
      expect(readFileSync(join(ts, "Pulumi.yaml"), "utf8")).toContain("path: ./node_modules/pulumi-devin/bin");
      const tsc = strictTypeCheck(ts, [join(ts, "index.ts")]);
      expect(tsc.output).toBe("");
      expect(tsc.status).toBe(0);
    },
  );
});
