import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unknownCheckingProxy, type ResourceValidationArgs, type ResourceValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/host";
import { isAdminRole, policies } from "../../policy/rules";
import type { Kind } from "../../provider/schema";

/**
 * The rules of the policy pack, called the way @pulumi/policy calls them: inputs behind the SDK's proxy that throws
 * on a value a preview does not know. The CLI runs them in test/e2e/policy.test.ts.
 */

/** What the engine sends for a value it does not know yet (a number; strings have their own sentinel). */
const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The type token of a kind through the dynamic resources, or through the provider plugin. */
const devinType = (kind: Kind, plugin = false): string => (plugin ? `devin:index:${kind}` : `pulumi-nodejs:dynamic/devin:${kind}`);

function check(
  rule: string,
  kind: Kind,
  name: string,
  props: Record<string, unknown>,
  options: { config?: object; protect?: boolean; plugin?: boolean } = {},
): string[] {
  const policy = policies.find((p) => p.name === rule) as ResourceValidationPolicy;
  const messages: string[] = [];
  const args = {
    type: devinType(kind, options.plugin),
    name,
    urn: `urn:pulumi:dev::p::${devinType(kind, options.plugin)}::${name}`,
    props: unknownCheckingProxy({ ...props, __provider: "exports.handler = secret-looking-text", __kind: kind }),
    opts: { protect: options.protect ?? false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: {} },
    getConfig: () => options.config ?? {},
  } as unknown as ResourceValidationArgs;
  const validate = policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void;
  validate(args, (m) => messages.push(m));
  for (const m of messages) expect(m).not.toMatch(/__provider|__kind|secret-looking-text/);
  return messages;
}

describe("the policy pack's rules", () => {
  it("tell an Admin role by name in any case or by id, and nothing else", () => {
    for (const role of ["Admin", "admin", " ADMIN ", "account_admin", "org_admin"]) expect(isAdminRole(role), role).toBe(true);
    for (const role of ["Member", "member", "org_member", "account_member", "administrator", "Admin2", ""])
      expect(isAdminRole(role), role).toBe(false);
  });

  it("apply to the provider plugin's resources as to the dynamic ones", () => {
    const big = { name: "Big", acuLimit: 50_000 };
    expect(check("devin-org-acu-limit", "Organization", "big", big, { plugin: true })).toEqual(
      check("devin-org-acu-limit", "Organization", "big", big),
    );
    expect(check("devin-org-acu-limit", "Organization", "big", big, { plugin: true })).toHaveLength(1);
    const admin = { name: "ci", role: "Admin" };
    expect(check("devin-no-admin-service-users", "ServiceUser", "ci", admin, { plugin: true })).toHaveLength(1);
  });

  it("apply only to their kinds", () => {
    expect(check("devin-org-acu-limit", "ServiceUser", "ci", { name: "ci", role: "Member" })).toEqual([]);
    expect(check("devin-no-admin-service-users", "EnterpriseUserRole", "u", { userId: "u", role: "Admin" })).toEqual([]);
    expect(check("devin-key-rotation", "ServiceUser", "ci", { name: "ci", role: "Member" })).toEqual([]);
    expect(check("devin-protect-production-orgs", "ServiceUser", "prod", { name: "prod-bot", role: "Member" })).toEqual([]);
  });

  it("skip what a preview does not know yet, and flag it once it is known", () => {
    expect(check("devin-org-acu-limit", "Organization", "eng", { name: "Eng", acuLimit: UNKNOWN_NUMBER })).toEqual([]);
    expect(check("devin-key-rotation", "ApiKey", "k", { rotateAfterSeconds: UNKNOWN_NUMBER })).toEqual([]);
    expect(check("devin-no-admin-service-users", "OrgServiceUserRole", "r", { role: UNKNOWN_STRING })).toEqual([]);
    expect(check("devin-no-admin-service-users", "ServiceUser", "ci", { name: UNKNOWN_STRING, role: "Admin" })).toEqual([]);
    expect(check("devin-protect-production-orgs", "Organization", "p", { name: UNKNOWN_STRING })).toEqual([]);
    expect(check("devin-key-rotation", "ApiKey", "k", {})).toHaveLength(1);
  });

  it("devin-org-acu-limit: a missing, null or non-number limit, or one above maxAcuLimit (10000 by default)", () => {
    expect(check("devin-org-acu-limit", "Organization", "eng", { name: "Eng", acuLimit: 10000 })).toEqual([]);
    expect(check("devin-org-acu-limit", "Organization", "eng", { name: "Eng", acuLimit: 0 })).toEqual([]);
    expect(check("devin-org-acu-limit", "Organization", "eng", { name: "Eng", acuLimit: null })).toEqual([
      "Organization 'eng' has no acuLimit, and policy devin-org-acu-limit requires one, at most 10000. Set acuLimit (the per-cycle ACU cap) to 10000 or less.",
    ]);
    expect(check("devin-org-acu-limit", "Organization", "eng", { name: "Eng", acuLimit: "500" })[0]).toContain(
      "Organization 'eng' has acuLimit '500', which policy devin-org-acu-limit cannot read as a number.",
    );
    expect(check("devin-org-acu-limit", "Organization", "eng", { name: "Eng", acuLimit: 10001 })).toEqual([
      "Organization 'eng' has acuLimit 10001, above the maximum 10000 that policy devin-org-acu-limit allows. Lower it, or raise maxAcuLimit in the policy config.",
    ]);
    expect(check("devin-org-acu-limit", "Organization", "eng", { name: "Eng", acuLimit: 600 }, { config: { maxAcuLimit: 500 } })).toEqual([
      "Organization 'eng' has acuLimit 600, above the maximum 500 that policy devin-org-acu-limit allows. Lower it, or raise maxAcuLimit in the policy config.",
    ]);
  });

  it("devin-no-admin-service-users: allowed lists a ServiceUser by its name, a role resource by its Pulumi name", () => {
    const su = { name: "ops-bot", role: "admin", orgId: UNKNOWN_STRING };
    expect(check("devin-no-admin-service-users", "ServiceUser", "ops", su)).toEqual([
      "ServiceUser 'ops' (service user 'ops-bot') has role 'admin', an Admin role, which policy devin-no-admin-service-users allows no service user. Use role 'Member', or add 'ops-bot' to allowed in the policy config.",
    ]);
    expect(check("devin-no-admin-service-users", "ServiceUser", "ops", su, { config: { allowed: ["ops-bot"] } })).toEqual([]);
    expect(check("devin-no-admin-service-users", "ServiceUser", "ops", su, { config: { allowed: ["ops"] } })).toHaveLength(1);
    const role = { serviceUserId: UNKNOWN_STRING, orgId: "org-1", role: "org_admin" };
    expect(check("devin-no-admin-service-users", "OrgServiceUserRole", "opsInData", role)).toEqual([
      "OrgServiceUserRole 'opsInData' grants role 'org_admin', an Admin role, which policy devin-no-admin-service-users allows no service user. Use role 'Member', or add 'opsInData' to allowed in the policy config.",
    ]);
    expect(check("devin-no-admin-service-users", "OrgServiceUserRole", "opsInData", role, { config: { allowed: ["opsInData"] } })).toEqual(
      [],
    );
    expect(check("devin-no-admin-service-users", "EnterpriseServiceUserRole", "e", { ...role, role: "Member" })).toEqual([]);
  });

  it("devin-key-rotation: rotateAfterSeconds set and within maxDays (90 by default)", () => {
    expect(check("devin-key-rotation", "ApiKey", "k", { rotateAfterSeconds: 90 * 86400 })).toEqual([]);
    expect(check("devin-key-rotation", "ApiKey", "k", { rotateAfterSeconds: 90 * 86400 + 1 })).toEqual([
      "ApiKey 'k' has rotateAfterSeconds 7776001 (90 days), above the 90 days (7776000 seconds) that policy devin-key-rotation allows. Lower it, or raise maxDays in the policy config.",
    ]);
    expect(check("devin-key-rotation", "ApiKey", "k", { rotateAfterSeconds: 3 * 86400 }, { config: { maxDays: 1.5 } })).toEqual([
      "ApiKey 'k' has rotateAfterSeconds 259200 (3 days), above the 1.5 days (129600 seconds) that policy devin-key-rotation allows. Lower it, or raise maxDays in the policy config.",
    ]);
    expect(check("devin-key-rotation", "ApiKey", "k", { rotateAfterSeconds: null }, { config: { maxDays: 1 } })).toEqual([
      "ApiKey 'k' sets no rotateAfterSeconds, and policy devin-key-rotation requires keys to rotate within 1 day. Set rotateAfterSeconds to 86400 (1 day) or less.",
    ]);
  });

  it("devin-protect-production-orgs: a name matching productionNamePattern (case-insensitive) needs protect", () => {
    expect(check("devin-protect-production-orgs", "Organization", "p", { name: "Payments-PROD" })).toEqual([
      "Organization 'p' (name 'Payments-PROD') matches productionNamePattern /prod/i of policy devin-protect-production-orgs but is not protected. Add the resource option protect: true, or change productionNamePattern in the policy config.",
    ]);
    expect(check("devin-protect-production-orgs", "Organization", "p", { name: "Payments-PROD" }, { protect: true })).toEqual([]);
    expect(check("devin-protect-production-orgs", "Organization", "p", { name: "Engineering" })).toEqual([]);
    const config = { productionNamePattern: "^(live|prd)-" };
    expect(check("devin-protect-production-orgs", "Organization", "p", { name: "prod-x" }, { config })).toEqual([]);
    expect(check("devin-protect-production-orgs", "Organization", "p", { name: "LIVE-x" }, { config })).toHaveLength(1);
    expect(() =>
      check("devin-protect-production-orgs", "Organization", "p", { name: "x" }, { config: { productionNamePattern: "(" } }),
    ).toThrow("policy devin-protect-production-orgs: productionNamePattern '(' is not a valid regular expression");
  });

  it("give every rule a config schema whose defaults are the ones the rules apply", () => {
    const defaults = Object.fromEntries(
      policies.flatMap((p) => Object.entries(p.configSchema?.properties ?? {}).map(([k, v]) => [k, (v as { default?: unknown }).default])),
    );
    expect(defaults).toEqual({ maxAcuLimit: 10000, allowed: [], maxDays: 90, productionNamePattern: "prod" });
    expect(policies.map((p) => p.name)).toEqual([
      "devin-org-acu-limit",
      "devin-no-admin-service-users",
      "devin-key-rotation",
      "devin-protect-production-orgs",
    ]);
  });

  it("ship a policy/package.json at the package's version (PolicyPack reads its version there)", () => {
    const version = (file: string) => (JSON.parse(readFileSync(join(ROOT, file), "utf8")) as { version: string }).version;
    expect(version("policy/package.json")).toBe(version("package.json"));
  });
});
