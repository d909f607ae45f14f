import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/host";
import { useStack, writesSince, type RunResult, type Spec } from "../support/pulumi";

/**
 * The policy pack (policy/) through the real CLI: `pulumi preview --policy-pack <pack>` on the e2e program. The pack
 * runs as a user installs it (node_modules/pulumi-devin/policy, which runs the compiled dist/policy), and once as it
 * is in this repository (policy/, whose TypeScript the CLI compiles).
 */

const run = promisify(execFile);
const { emu, stack } = useStack();

let work: string;
/** The pack as the npm package ships it, inside a node_modules of its own (the files `npm pack` would publish). */
let shippedPack: string;
let shipped: string[];

beforeAll(async () => {
  for (const source of readdirSync(join(ROOT, "policy")).filter((f) => f.endsWith(".ts"))) {
    const compiled = join(ROOT, "dist/policy", source.replace(/\.ts$/, ".js"));
    const built = statSync(compiled, { throwIfNoEntry: false });
    if (!built || built.mtimeMs < statSync(join(ROOT, "policy", source)).mtimeMs)
      throw new Error(`${compiled} is missing or older than policy/${source}: run npm run build`);
  }
  const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, maxBuffer: 1 << 24 });
  shipped = (JSON.parse(stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path).filter((p) => /^(dist\/)?policy\//.test(p));
  work = join(ROOT, "test/e2e/.work", `policy-${randomUUID()}`);
  const pkg = join(work, "node_modules/pulumi-devin");
  for (const file of shipped) {
    mkdirSync(dirname(join(pkg, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(pkg, file));
  }
  shippedPack = join(pkg, "policy");
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The violations a preview printed, as "[level] policy Kind name", e.g. "[mandatory] devin-key-rotation ApiKey ci". */
function violations(res: RunResult): string[] {
  return [...res.stdout.matchAll(/^\s*- \[(\w+)\]\s+(\S+)\s+\(pulumi-nodejs:dynamic\/devin:(\w+): ([^)]+)\)$/gm)]
    .map(([, level, policy, kind, name]) => `[${level}] ${policy} ${kind} ${name}`)
    .sort();
}

async function preview(pack: string, config?: object): Promise<RunResult> {
  const args = ["preview", "--policy-pack", pack];
  if (config) {
    const file = join(work, `config-${randomUUID()}.json`);
    writeFileSync(file, JSON.stringify(config));
    args.push("--policy-pack-config", file);
  }
  const res = await stack().run(args);
  // The inputs a policy sees hold the serialized provider: no message may show it.
  expect(res.stdout + res.stderr).not.toMatch(/__provider|__kind|pulumi-devin\/impl/);
  return res;
}

const DAY = 86400;

/** Breaks every rule once, next to resources that keep them, and values a preview cannot know yet. */
const BREAKING: Spec = {
  orgs: [
    { key: "eng", name: "Engineering" },
    { key: "big", name: "Big", acuLimit: 50000 },
    { key: "payments", name: "prod-payments", acuLimit: 100 },
    { key: "core", name: "Prod-Core", acuLimit: 10000, opts: { protect: true } },
  ],
  serviceUsers: [
    { key: "ci", org: "eng", name: "ci-bot", role: "Admin" },
    { key: "reader", org: "eng", name: "reader", role: "member" },
  ],
  resources: [
    { key: "ciAdmin", type: "EnterpriseServiceUserRole", args: { serviceUserId: "$ci.serviceUserId", role: "account_admin" } },
    {
      key: "readerInBig",
      type: "OrgServiceUserRole",
      args: { orgId: "$big.orgId", serviceUserId: "$reader.serviceUserId", role: "admin" },
    },
    // Outputs of resources still to be created (not inputs echoed back): unknown during the preview, so not judged.
    { key: "readerEnterprise", type: "EnterpriseServiceUserRole", args: { serviceUserId: "$reader.serviceUserId", role: "$ci.roleName" } },
    { key: "ciKey", type: "ApiKey", args: { serviceUserId: "$ci.serviceUserId" } },
    { key: "oldKey", type: "ApiKey", args: { serviceUserId: "$ci.serviceUserId", rotateAfterSeconds: 180 * DAY } },
    { key: "goodKey", type: "ApiKey", args: { serviceUserId: "$reader.serviceUserId", rotateAfterSeconds: 90 * DAY } },
    { key: "laterKey", type: "ApiKey", args: { serviceUserId: "$reader.serviceUserId", rotateAfterSeconds: "$big.createdAt" } },
  ],
};

const COMPLIANT: Spec = {
  orgs: [
    { key: "eng", name: "Engineering", acuLimit: 500 },
    { key: "core", name: "prod-core", acuLimit: 100, opts: { protect: true } },
  ],
  serviceUsers: [{ key: "ci", org: "eng", name: "ci-bot", role: "Member" }],
  resources: [
    { key: "ciInCore", type: "OrgServiceUserRole", args: { orgId: "$core.orgId", serviceUserId: "$ci.serviceUserId", role: "org_member" } },
    { key: "ciKey", type: "ApiKey", args: { serviceUserId: "$ci.serviceUserId", rotateAfterSeconds: 30 * DAY } },
  ],
};

describe("the pulumi-devin-guardrails policy pack", () => {
  it("ships compiled, with no TypeScript", () => {
    expect(shipped.sort()).toEqual(
      expect.arrayContaining([
        "policy/PulumiPolicy.yaml",
        "policy/package.json",
        "policy/index.js",
        "dist/policy/pack.js",
        "dist/policy/rules.js",
      ]),
    );
    expect(shipped.filter((p) => p.endsWith(".ts") && !p.endsWith(".d.ts"))).toEqual([]);
  });

  it("fails a preview that breaks each rule, naming resource and rule, with no write; config moves the limits; a compliant program passes", async () => {
    await stack().setSpec(BREAKING);
    const mark = (await emu().requests()).length;
    const broken = await preview(shippedPack);
    expect(broken.code).not.toBe(0);
    expect(violations(broken)).toEqual([
      "[mandatory] devin-key-rotation ApiKey ciKey",
      "[mandatory] devin-key-rotation ApiKey oldKey",
      "[mandatory] devin-no-admin-service-users EnterpriseServiceUserRole ciAdmin",
      "[mandatory] devin-no-admin-service-users OrgServiceUserRole readerInBig",
      "[mandatory] devin-no-admin-service-users ServiceUser ci",
      "[mandatory] devin-org-acu-limit Organization big",
      "[mandatory] devin-org-acu-limit Organization eng",
      "[mandatory] devin-protect-production-orgs Organization payments",
    ]);
    for (const message of [
      "Organization 'eng' has no acuLimit, and policy devin-org-acu-limit requires one, at most 10000. Set acuLimit (the per-cycle ACU cap) to 10000 or less.",
      "Organization 'big' has acuLimit 50000, above the maximum 10000 that policy devin-org-acu-limit allows. Lower it, or raise maxAcuLimit in the policy config.",
      "ServiceUser 'ci' (service user 'ci-bot') has role 'Admin', an Admin role, which policy devin-no-admin-service-users allows no service user. Use role 'Member', or add 'ci-bot' to allowed in the policy config.",
      "EnterpriseServiceUserRole 'ciAdmin' grants role 'account_admin', an Admin role, which policy devin-no-admin-service-users allows no service user. Use role 'Member', or add 'ciAdmin' to allowed in the policy config.",
      "OrgServiceUserRole 'readerInBig' grants role 'admin', an Admin role",
      "ApiKey 'ciKey' sets no rotateAfterSeconds, and policy devin-key-rotation requires keys to rotate within 90 days. Set rotateAfterSeconds to 7776000 (90 days) or less.",
      "ApiKey 'oldKey' has rotateAfterSeconds 15552000 (180 days), above the 90 days (7776000 seconds) that policy devin-key-rotation allows. Lower it, or raise maxDays in the policy config.",
      "Organization 'payments' (name 'prod-payments') matches productionNamePattern /prod/i of policy devin-protect-production-orgs but is not protected. Add the resource option protect: true, or change productionNamePattern in the policy config.",
    ]) {
      expect(broken.stdout).toContain(message);
    }
    // Values not known yet are skipped, without the SDK's "can't run policy during preview" notes.
    expect(broken.stdout).not.toMatch(/during preview/);

    // The streamed JSON preview carries the violations, and the review names each policy, resource and message.
    const streamed = await stack().run(["preview", "--json", "--policy-pack", shippedPack], undefined, {
      PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true",
    });
    expect(streamed.code).not.toBe(0);
    const report = spawnSync(process.execPath, [join(ROOT, "dist/provider/cli/main.js"), "review", "-"], {
      input: streamed.stdout,
      encoding: "utf8",
    }).stdout;
    expect(report).toContain("**The preview failed (8 policy violations):**");
    expect(report).toContain(
      "- Policy `devin-org-acu-limit` (mandatory, pulumi-devin-guardrails) on Organization **Big** (`big`): Organization 'big' has acuLimit 50000, above the maximum 10000 that policy devin-org-acu-limit allows. Lower it, or raise maxAcuLimit in the policy config.",
    );
    expect(report).toContain(
      "- Policy `devin-no-admin-service-users` (mandatory, pulumi-devin-guardrails) on ServiceUser **ci-bot** (`ci`): ServiceUser 'ci' (service user 'ci-bot')",
    );

    // Each rule's config moves its limit; a rule's enforcement level is set the usual way.
    const configured = await preview(shippedPack, {
      "devin-org-acu-limit": { maxAcuLimit: 50000 },
      "devin-no-admin-service-users": { allowed: ["ci-bot", "ciAdmin", "readerInBig"] },
      "devin-key-rotation": { enforcementLevel: "advisory", maxDays: 365 },
      "devin-protect-production-orgs": { productionNamePattern: "^production-" },
    });
    expect(configured.code).not.toBe(0);
    expect(violations(configured)).toEqual([
      "[advisory] devin-key-rotation ApiKey ciKey",
      "[mandatory] devin-org-acu-limit Organization eng",
    ]);
    expect(configured.stdout).toContain("Organization 'eng' has no acuLimit, and policy devin-org-acu-limit requires one, at most 50000.");
    expect(configured.stdout).toContain("requires keys to rotate within 365 days. Set rotateAfterSeconds to 31536000 (365 days) or less.");
    expect(await writesSince(emu(), mark)).toEqual([]);

    // The pack as it is in this repository, from its TypeScript source.
    await stack().setSpec(COMPLIANT);
    const passed = await preview(join(ROOT, "policy"));
    expect(passed.stdout).toContain("✅ pulumi-devin-guardrails@v0.1.0");
    expect(passed.code, passed.stdout + passed.stderr).toBe(0);
    expect(violations(passed)).toEqual([]);
  });
});
