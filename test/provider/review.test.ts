import { describe, expect, it } from "vitest";
import { parsePreview } from "../../provider/cli/preview";
import { review } from "../../provider/cli/review";

/** The review's rules on synthetic previews: each risk, names, masking, policies, and what is not a preview. */

const T = "pulumi-nodejs:dynamic/devin:";
const urn = (kind: string, name: string) => `urn:pulumi:dev::p::${T}${kind}::${name}`;
const state = (kind: string, inputs?: object, extra: object = {}) =>
  inputs && { type: `${T}${kind}`, inputs: { __provider: "exports.handler = …", __kind: kind, ...inputs }, ...extra };
const step = (op: string, kind: string, name: string, olds?: object, news?: object, replaceReasons?: string[]) => ({
  op,
  urn: urn(kind, name),
  oldState: state(kind, olds),
  newState: state(kind, news),
  replaceReasons,
});
/** An object that exists: its id and outputs are in the old state. */
const existing = (op: string, kind: string, name: string, id: string, olds: object, news?: object, replaceReasons?: string[]) => ({
  ...step(op, kind, name, olds, news, replaceReasons),
  oldState: state(kind, olds, { id, outputs: olds }),
});
const risksOf = (...steps: object[]) => review({ steps } as never).risks.map((r) => `${r.kind}: ${r.message}`);

describe("pulumi-devin review: risks", () => {
  const deletions: [string, object, string[]][] = [
    [
      "Organization",
      { name: "Eng" },
      ["delete: Organization **Eng** (`x`) will be deleted, with everything in it (sessions, knowledge, playbooks, secrets)."],
    ],
    ["ServiceUser", { name: "ci-bot" }, ["delete: ServiceUser **ci-bot** (`x`) will be deleted: its API keys stop working."]],
    ["ApiKey", { serviceUserId: "su-1" }, ["delete: ApiKey **x** will be revoked: whoever holds it loses access."]],
    ["Secret", { orgId: "org-1", key: "NPM" }, ["delete: Secret **NPM** (`x`) will be deleted."]],
    ["Playbook", { orgId: "org-1", title: "Deploy" }, ["delete: Playbook **Deploy** (`x`) will be deleted."]],
    ["EnterprisePlaybook", { title: "Deploy" }, ["delete: EnterprisePlaybook **Deploy** (`x`) will be deleted."]],
    ["KnowledgeNote", { orgId: "org-1", name: "Style" }, ["delete: KnowledgeNote **Style** (`x`) will be deleted."]],
    ["EnterpriseKnowledgeNote", { name: "Style" }, ["delete: EnterpriseKnowledgeNote **Style** (`x`) will be deleted."]],
    ["Schedule", { orgId: "org-1", name: "Nightly" }, ["delete: Schedule **Nightly** (`x`) will be deleted."]],
    ["IdpGroup", { name: "eng-team" }, ["delete: IdpGroup **eng-team** (`x`) will be deleted."]],
    ["GitPermission", { orgId: "org-1", gitConnectionId: "g" }, ["delete: GitPermission **x** will be deleted."]],
    ["OrgTags", { orgId: "org-1", tags: ["a"] }, ["delete: OrgTags **x** will be deleted."]],
    ["EnterpriseUserRole", { userId: "u", role: "member" }, ["delete: EnterpriseUserRole **x** will be deleted."]],
    ["OrgUserRole", { orgId: "org-1", userId: "u", role: "member" }, ["delete: OrgUserRole **x** will be deleted."]],
    ["EnterpriseIdpGroupRole", { idpGroupName: "g", role: "member" }, ["delete: EnterpriseIdpGroupRole **x** will be deleted."]],
    ["OrgIdpGroupRole", { orgId: "org-1", idpGroupName: "g", role: "member" }, ["delete: OrgIdpGroupRole **x** will be deleted."]],
    ["EnterpriseServiceUserRole", { serviceUserId: "su-1", role: "member" }, ["delete: EnterpriseServiceUserRole **x** will be deleted."]],
    [
      "OrgServiceUserRole",
      { orgId: "org-1", serviceUserId: "su-1", role: "member" },
      ["delete: OrgServiceUserRole **x** will be deleted."],
    ],
    [
      "OrgGroupLimits",
      { groups: [] },
      ["delete: OrgGroupLimits **x** will be deleted.", "acu: OrgGroupLimits **x** will be removed: every group loses its shared ACU cap."],
    ],
    [
      "IpAccessList",
      { ipRanges: ["10.0.0.0/8"] },
      ["ip: IpAccessList **x**: the IP access list changes (cleared: no IP restriction any more); it applies from the next request."],
    ],
  ];
  it.each(deletions)("flags the deletion of a %s", (kind, olds, expected) => {
    expect(risksOf(step("delete", kind, "x", olds))).toEqual(expected);
  });

  it("reads the provider plugin's resources (devin:index:<Type>) as the dynamic ones", () => {
    const pluginStep = (kind: string, name: string, olds: object) => ({
      op: "delete",
      urn: `urn:pulumi:dev::p::devin:index:${kind}::${name}`,
      oldState: { type: `devin:index:${kind}`, inputs: olds },
    });
    expect(risksOf(pluginStep("Organization", "x", { name: "Eng" }))).toEqual(
      risksOf(step("delete", "Organization", "x", { name: "Eng" })),
    );
    expect(risksOf(pluginStep("Organization", "x", { name: "Eng" }))).toHaveLength(1);
  });

  it("flags key rotations, replaced keys, secrets, service users and orgs", () => {
    expect(
      risksOf(
        step(
          "update",
          "ApiKey",
          "ci",
          { rotation: "t1: issued" },
          { rotation: "t2: rotated: the key is 31 days old; rotateAfterSeconds is 30 days" },
        ),
        step("replace", "ApiKey", "deploy", { serviceUserId: "su-1" }, { serviceUserId: "su-2" }, ["serviceUserId"]),
        step("replace", "Secret", "npm", { key: "NPM", value: "[secret]" }, { key: "NPM", value: "[secret]" }, ["value"]),
        step("replace", "ServiceUser", "bot", { name: "bot" }, { name: "bot2" }, ["name"]),
        step("replace", "Organization", "eng", { name: "Eng", acuLimit: 10 }, { name: "Eng", acuLimit: 10, adoptId: "org-2" }, ["adoptId"]),
      ),
    ).toEqual([
      "delete: Organization **Eng** (`eng`) will be replaced: the old organization is deleted.",
      "key: ApiKey **deploy** will be rotated. Whoever holds the old key must take the new one.",
      "key: ApiKey **ci** will be rotated: the key is 31 days old; rotateAfterSeconds is 30 days. Whoever holds the old key must take the new one.",
      "key: Secret **NPM** (`npm`) will be replaced (value); sessions started afterwards get the new one.",
      "key: ServiceUser **bot2** (`bot`) will be replaced (name): a new service user with a new API key; the old key stops working.",
    ]);
    expect(risksOf(step("update", "ApiKey", "ci", { rotation: "t1: issued", name: "a" }, { rotation: "t1: issued", name: "b" }))).toEqual(
      [],
    );
  });

  it("flags ACU caps raised or removed, uncapped new orgs and group caps, and not a lowered cap", () => {
    expect(
      risksOf(
        step("update", "Organization", "a", { name: "A", acuLimit: 100 }, { name: "A" }),
        step(
          "update",
          "Organization",
          "b",
          { name: "B", acuLimit: 100, maxSessionAcuLimit: 5 },
          { name: "B", acuLimit: 250, maxSessionAcuLimit: 10 },
        ),
        step("update", "Organization", "c", { name: "C", maxSessionAcuLimit: 5 }, { name: "C" }),
        step("create", "Organization", "d", undefined, { name: "D" }),
        step(
          "update",
          "OrgGroupLimits",
          "limits",
          {
            groups: [
              { name: "all", maxCycleAcus: 10 },
              { name: "ops", maxCycleAcus: 5 },
            ],
          },
          { groups: [{ name: "all", maxCycleAcus: 20 }, { name: "ops" }] },
        ),
      ),
    ).toEqual([
      "acu: Organization **A** (`a`): the cycle ACU cap (acuLimit) removed (was 100): no cap any more.",
      "acu: Organization **B** (`b`): the cycle ACU cap (acuLimit) raised from 100 to 250 (2.5×).",
      "acu: Organization **B** (`b`): the session ACU cap (maxSessionAcuLimit) raised from 5 to 10 (2×).",
      "acu: Organization **C** (`c`): the session ACU cap (maxSessionAcuLimit) removed (was 5): no cap any more.",
      "acu: Organization **D** (`d`) will be created without a cycle ACU cap (acuLimit).",
      "acu: OrgGroupLimits **limits**: group 'all' cap raised from 10 to 20.",
      "acu: OrgGroupLimits **limits**: group 'ops' loses its ACU cap (was 5).",
    ]);
    expect(
      risksOf(
        step("update", "Organization", "eng", { name: "Eng", acuLimit: 100 }, { name: "Eng", acuLimit: 50 }),
        step("create", "Organization", "new", undefined, { name: "New", acuLimit: 50 }),
        step(
          "update",
          "OrgGroupLimits",
          "l",
          { groups: [{ name: "all", maxCycleAcus: 10 }] },
          { groups: [{ name: "all", maxCycleAcus: 5 }] },
        ),
      ),
    ).toEqual([]);
  });

  it("flags an Admin role granted by each kind of role, naming who and where, and not one kept or a Member role", () => {
    expect(
      risksOf(
        step("create", "ServiceUser", "ci", undefined, { name: "ci-bot", role: "Admin" }),
        step(
          "update",
          "ServiceUser",
          "bot",
          { name: "bot", orgId: "org-9", role: "Member" },
          { name: "bot", orgId: "org-9", role: "admin" },
        ),
        step("create", "EnterpriseUserRole", "eu", undefined, { userId: "user-1", role: "account_admin" }),
        step("create", "OrgUserRole", "ou", undefined, { orgId: "org-1", userId: "user-1", role: "org_admin" }),
        step("create", "EnterpriseIdpGroupRole", "eg", undefined, { idpGroupName: "leads", role: "account_admin" }),
        step("create", "OrgIdpGroupRole", "og", undefined, { orgId: "org-1", idpGroupName: "leads", role: "admin" }),
        step("create", "EnterpriseServiceUserRole", "es", undefined, { serviceUserId: "su-1", role: "Admin" }),
        step(
          "update",
          "OrgServiceUserRole",
          "os",
          { orgId: "org-1", serviceUserId: "su-1", role: "org_member" },
          { orgId: "org-1", serviceUserId: "su-1", role: "org_admin" },
        ),
      ),
    ).toEqual([
      "admin: EnterpriseIdpGroupRole **eg**: IdP group **leads** gets the Admin role at the enterprise level.",
      "admin: EnterpriseServiceUserRole **es**: service user `su-1` gets the Admin role at the enterprise level.",
      "admin: EnterpriseUserRole **eu**: user `user-1` gets the Admin role at the enterprise level.",
      "admin: OrgIdpGroupRole **og**: IdP group **leads** gets the Admin role in org `org-1`.",
      "admin: OrgServiceUserRole **os**: service user `su-1` gets the Admin role in org `org-1`.",
      "admin: OrgUserRole **ou**: user `user-1` gets the Admin role in org `org-1`.",
      "admin: ServiceUser **bot** gets the Admin role in org `org-9`.",
      "admin: ServiceUser **ci-bot** (`ci`) gets the Admin role at the enterprise level.",
    ]);
    expect(
      risksOf(
        step("update", "ServiceUser", "ci", { name: "ci", role: "Admin", ttlSeconds: 1 }, { name: "ci", role: "Admin", ttlSeconds: 2 }),
        step("create", "OrgUserRole", "m", undefined, { orgId: "org-1", userId: "user-1", role: "org_member" }),
      ),
    ).toEqual([]);
  });

  it("flags every change of the IP access list, with the ranges added and removed", () => {
    expect(
      risksOf(
        step("update", "IpAccessList", "ips", { ipRanges: ["10.0.0.0/8", "1.2.3.4/32"] }, { ipRanges: ["10.0.0.0/8", "5.6.7.8/32"] }),
        step("create", "IpAccessList", "new", undefined, { ipRanges: ["10.0.0.0/8"] }),
      ),
    ).toEqual([
      "ip: IpAccessList **ips**: the IP access list changes (+5.6.7.8/32 −1.2.3.4/32); it applies from the next request.",
      "ip: IpAccessList **new**: the IP access list changes (+10.0.0.0/8); it applies from the next request.",
    ]);
  });
});

describe("pulumi-devin review: names", () => {
  it("names objects by their name, ids second, and an org referenced by id by the org's name in the same preview", () => {
    const { markdown, risks } = review({
      steps: [
        existing("update", "Organization", "eng", "org-1", { name: "Engineering", acuLimit: 10 }, { name: "Engineering", acuLimit: 20 }),
        existing(
          "update",
          "ServiceUser",
          "ci",
          "su-1",
          { name: "ci-bot", orgId: "org-1", role: "Member" },
          { name: "ci-bot", orgId: "org-1", role: "Admin" },
        ),
        existing(
          "update",
          "OrgServiceUserRole",
          "ciInEng",
          "r-1",
          { orgId: "org-1", serviceUserId: "su-1", role: "org_member" },
          {
            orgId: "org-1",
            serviceUserId: "su-1",
            role: "org_admin",
          },
        ),
        existing("delete", "Secret", "npm", "secret-1", { orgId: "org-1", key: "NPM_TOKEN", value: "[secret]" }),
      ],
    } as never);
    expect(risks.map((r) => r.message)).toEqual([
      "Secret **NPM_TOKEN** (`npm`, secret-1) will be deleted.",
      "OrgServiceUserRole **ciInEng** (r-1): service user **ci-bot** gets the Admin role in org **Engineering**.",
      "ServiceUser **ci-bot** (`ci`, su-1) gets the Admin role in org **Engineering**.",
      "Organization **Engineering** (`eng`, org-1): the cycle ACU cap (acuLimit) raised from 10 to 20 (2×).",
    ]);
    expect(markdown).toContain("| Engineering (`eng`) | update | acuLimit | `10` | `20` |");
    expect(markdown).toContain("| NPM_TOKEN (`npm`) | **delete** | key | `NPM_TOKEN` | — |");
    expect(markdown).toContain("| ci-bot (`ci`) | update | role | `Member` | `Admin` |");
  });

  it("names an org not created yet by the resource its id will come from", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const su = step("create", "ServiceUser", "ci", undefined, { orgId: unknown, name: "ci", role: "Admin", tags: [unknown] });
    const { markdown, risks } = review({
      steps: [
        step("create", "Organization", "eng", undefined, { name: "Engineering", acuLimit: 5 }),
        { ...su, newState: { ...su.newState, propertyDependencies: { orgId: [urn("Organization", "eng")] } } },
      ],
    } as never);
    expect(risks.map((r) => r.message)).toEqual(["ServiceUser **ci** gets the Admin role in org **Engineering**."]);
    expect(markdown).toContain("| ci | create | name |  | `ci` |");
    expect(markdown).toContain("|  |  | orgId |  | Engineering (known after up) |");
    expect(markdown).not.toContain(unknown);
    expect(review({ steps: [su] } as never).risks.map((r) => r.message)).toEqual([
      "ServiceUser **ci** gets the Admin role in an org not created yet.",
    ]);
  });
});

/** The stream `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json` prints, one event a line. */
const events = (...payloads: object[]) => payloads.map((p, i) => JSON.stringify({ sequence: i, timestamp: 1, ...p })).join("\n");
const pre = (s: ReturnType<typeof step>) => ({
  resourcePreEvent: {
    metadata: { op: s.op, urn: s.urn, type: `${T}x`, old: s.oldState ?? null, new: s.newState ?? null, keys: s.replaceReasons },
  },
});

describe("pulumi-devin review: the preview itself", () => {
  it("never shows a secret, a token or Pulumi's internal properties, even from a preview run with --show-secrets", () => {
    const { markdown } = review({
      steps: [
        step("replace", "Secret", "npm", { key: "NPM", value: "old-plaintext-value" }, { key: "NPM", value: "new-plaintext-value" }, [
          "value",
        ]),
        step(
          "update",
          "Playbook",
          "deploy",
          { body: "uses cog_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP\nline" },
          { body: "line\nline 2" },
        ),
      ],
    } as never);
    expect(markdown).not.toMatch(/plaintext-value|cog_[A-Za-z0-9]{8}|__provider|__kind/);
    expect(markdown).toContain("| NPM (`npm`) | **replace** (value) | value | [secret] | [secret] (changed) |");
    expect(markdown).toContain("| deploy | update | body | text, 2 lines | text, 2 lines (+1 −1) |");
  });

  it("shows a replacement once, and the errors of a preview that failed", () => {
    const preview = parsePreview(
      `Previewing…\n${JSON.stringify({
        steps: [
          step("delete-replaced", "Secret", "npm", { key: "A" }, undefined),
          step("replace", "Secret", "npm", { key: "A" }, { key: "B" }, ["key"]),
          step("create-replacement", "Secret", "npm", undefined, { key: "B" }),
        ],
        diagnostics: [{ severity: "error", message: "error: program failed | with cog_abcdefghijklmnopqrstuvwxyz0123" }],
      })}`,
    );
    const { markdown, changes } = review(preview);
    expect(changes.map((c) => c.op)).toEqual(["replace"]);
    expect(markdown).toContain("**The preview failed (1 error):**");
    expect(markdown).toContain("- error: program failed \\| with cog_***");
  });

  it("names the policy that failed, its resource and its message, from the streamed preview", () => {
    const org = step("create", "Organization", "eng", undefined, { name: "Engineering" });
    const key = step("create", "ApiKey", "ciKey", undefined, { serviceUserId: "su-1" });
    const policy = (resource: string, policyName: string, level: string, message: string) => ({
      policyEvent: {
        resourceUrn: resource,
        message,
        color: "never",
        policyName,
        policyPackName: "pulumi-devin-guardrails",
        enforcementLevel: level,
      },
    });
    const preview = parsePreview(
      events(
        { preludeEvent: { config: {} } },
        { diagnosticEvent: { prefix: "debug: ", message: "Registering resource\n", severity: "debug" } },
        policy(
          org.urn,
          "devin-org-acu-limit",
          "mandatory",
          "Every Devin organization declares acuLimit.\nOrganization 'eng' has no acuLimit. Set acuLimit.\n",
        ),
        pre(org),
        policy(key.urn, "devin-key-rotation", "warning", "Every key rotates.\nApiKey 'ciKey' sets no rotateAfterSeconds.\n"),
        pre(key),
        { diagnosticEvent: { prefix: "error: ", message: "preview failed\n", severity: "error" } },
        { summaryEvent: { resourceChanges: { create: 2 }, isPreview: true, result: "failed" } },
        { cancelEvent: {} },
      ),
    );
    const { markdown } = review(preview);
    expect(markdown).toContain("### Devin changes: 2 to create");
    const section = (title: string) => markdown.split(title)[1].split("\n\n")[1].split("\n");
    expect(section("**The preview failed (1 policy violation):**")).toEqual([
      "- Policy `devin-org-acu-limit` (mandatory, pulumi-devin-guardrails) on Organization **Engineering** (`eng`): Organization 'eng' has no acuLimit. Set acuLimit.",
    ]);
    expect(section("**Policy warnings (1):**")).toEqual([
      "- Policy `devin-key-rotation` (advisory, pulumi-devin-guardrails) on ApiKey **ciKey**: ApiKey 'ciKey' sets no rotateAfterSeconds.",
    ]);
    expect(markdown).not.toMatch(/Registering|error: preview failed/);
  });

  it("says where to find the policy when the JSON document only says the preview failed", () => {
    const { markdown } = review(
      parsePreview(JSON.stringify({ steps: [], diagnostics: [{ severity: "error", message: "error: preview failed\n" }] })),
    );
    expect(markdown).toContain(
      "- error: preview failed, and `pulumi preview --json` does not say why when a policy fails: run it with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true",
    );
  });

  it("refuses what is not a preview, and says none for a preview without Devin changes", () => {
    for (const [input, why] of [
      ["", "the input is empty"],
      ["  \n", "the input is empty"],
      ["error: no stack named 'dev' found", "the input holds no JSON object"],
      ['{"foo":1}', 'the JSON has only the keys foo, and no "steps" of resources'],
      ["{}", 'the JSON has no keys, and no "steps" of resources'],
      ['{"steps": [1]}', 'the JSON has only the keys steps, and no "steps" of resources'],
      ["{not json", "the input is not valid JSON"],
    ]) {
      expect(() => parsePreview(input), input).toThrow(`review expects the output of 'pulumi preview --json', but ${why}`);
      expect(() => parsePreview(input)).toThrow("make it with 'pulumi preview --json > preview.json'");
    }
    const stackOnly = { op: "same", urn: "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", newState: { type: "pulumi:pulumi:Stack" } };
    expect(review(parsePreview(JSON.stringify({ steps: [stackOnly], changeSummary: { same: 1 } }))).markdown).toBe(
      "### Devin changes: none\n",
    );
    expect(review(parsePreview(events({ preludeEvent: { config: {} } }, pre(stackOnly as never), { cancelEvent: {} }))).markdown).toBe(
      "### Devin changes: none\n",
    );
  });
});
