import { describe, expect, it } from "vitest";
import { check, checkInProgram } from "../../provider/impl";
import { configure } from "../../provider/impl/settings";
import { callsSince, configureFor, useEmulator } from "../support/provider";

const { emu } = useEmulator();

const ORG = `org-${"0".repeat(32)}`;
const SERVICE_USER = `service-user-${"0".repeat(32)}`;
const USER = `user-${"0".repeat(32)}`;
const ROLE = "no-such-role";

/**
 * Valid input for every resource type, naming ids and a role that do not exist: the provider's check would read the
 * API to find that out; the program's must not (it has no settings of its own, and no business calling the API).
 */
const VALID: Record<string, Record<string, unknown>> = {
  Organization: { name: "Engineering", acuLimit: 10 },
  ServiceUser: { orgId: ORG, name: "ci", role: ROLE },
  EnterpriseUserRole: { userId: USER, role: ROLE },
  OrgUserRole: { orgId: ORG, userId: USER, role: ROLE },
  IdpGroup: { name: "engineering" },
  EnterpriseIdpGroupRole: { idpGroupName: "engineering", role: ROLE },
  OrgIdpGroupRole: { orgId: ORG, idpGroupName: "engineering", role: ROLE },
  EnterpriseServiceUserRole: { serviceUserId: SERVICE_USER, role: ROLE },
  OrgServiceUserRole: { orgId: ORG, serviceUserId: SERVICE_USER, role: ROLE },
  // The emulator listens on 127.0.0.1, which this list leaves out: the provider refuses it, from its settings.
  IpAccessList: { ipRanges: ["203.0.113.0/24"] },
  OrgGroupLimits: { groups: [{ name: "shared", orgIds: [ORG], maxCycleAcus: 10 }] },
  OrgTags: { orgId: ORG, tags: ["team-a"], defaultTag: "team-a" },
  Playbook: { orgId: ORG, title: "Release", body: "Steps." },
  EnterprisePlaybook: { title: "Release", body: "Steps." },
  KnowledgeNote: { orgId: ORG, name: "style", body: "Use tabs.", trigger: "When writing code" },
  EnterpriseKnowledgeNote: { name: "style", body: "Use tabs.", trigger: "When writing code" },
  Schedule: { orgId: ORG, name: "nightly", prompt: "Triage.", scheduleType: "recurring", frequency: "0 3 * * *" },
  Secret: { orgId: ORG, key: "NPM_TOKEN", value: "npm-secret-value" },
  GitPermission: { orgId: ORG, gitConnectionId: "git-connection-missing", repoPath: "acme/app", readOnly: true },
  ApiKey: { serviceUserId: SERVICE_USER, name: "ci", expiresInSeconds: 86_400, rotateAfterSeconds: 3_600 },
};

const failuresOf = (found: { property: string; reason: string }[] | undefined) => (found ?? []).map((f) => `${f.property}: ${f.reason}`);

describe("the program's check of a resource's inputs", () => {
  it("sends no request and reads no settings, for every resource type: what needs the API is left to the provider", async () => {
    const mark = (await emu().requests()).length;
    for (const [kind, inputs] of Object.entries(VALID)) {
      expect([kind, failuresOf(await checkInProgram(kind, inputs))]).toEqual([kind, []]);
    }
    expect(await callsSince(emu(), mark)).toEqual([]);
    // Without any settings, the program's check does not report them: the provider's check does, once.
    configure({ config: { get: () => undefined } });
    const saved = { token: process.env.DEVIN_TOKEN, su: process.env.DEVIN_SERVICE_USER_TOKEN };
    delete process.env.DEVIN_TOKEN;
    delete process.env.DEVIN_SERVICE_USER_TOKEN;
    try {
      for (const [kind, inputs] of Object.entries(VALID))
        expect([kind, failuresOf(await checkInProgram(kind, inputs))]).toEqual([kind, []]);
      expect(failuresOf((await check({}, { ...VALID.Organization, __kind: "Organization" })).failures)).toEqual([
        expect.stringContaining("devin:token"),
      ]);
    } finally {
      Object.assign(process.env, saved.token ? { DEVIN_TOKEN: saved.token } : {}, saved.su ? { DEVIN_SERVICE_USER_TOKEN: saved.su } : {});
    }
  });

  it("the same inputs make the provider's check read the API, and fail there (the test above is not vacuous)", async () => {
    configureFor(emu());
    const mark = (await emu().requests()).length;
    const failing: string[] = [];
    for (const [kind, inputs] of Object.entries(VALID)) {
      if (((await check({}, { ...inputs, __kind: kind })).failures ?? []).length > 0) failing.push(kind);
    }
    expect((await callsSince(emu(), mark)).length).toBeGreaterThan(0);
    expect(failing.sort()).toEqual(
      [
        "ServiceUser",
        "EnterpriseUserRole",
        "OrgUserRole",
        "EnterpriseIdpGroupRole",
        "OrgIdpGroupRole",
        "EnterpriseServiceUserRole",
        "OrgServiceUserRole",
        "IpAccessList",
        "OrgTags",
        "Playbook",
        "KnowledgeNote",
        "Schedule",
        "Secret",
        "GitPermission",
        "ApiKey",
      ].sort(),
    );
  });

  it("reports every bad input of a resource in one line naming the resource, each reason naming its field", async () => {
    const { badInputMessage } = await import("../../provider/impl/check");
    const found = await checkInProgram("Organization", { name: "", acuLimit: -1 });
    expect(badInputMessage("Organization", "eng", found)).toMatch(
      /^Organization 'eng': name .*\. acuLimit must be a whole number of ACUs from 0 to 9007199254740991 \(got -1\)\..*$/,
    );
    const ranges = await checkInProgram("IpAccessList", { ipRanges: ["nope"] });
    expect(badInputMessage("IpAccessList", "office", ranges)).toContain("IpAccessList 'office': ipRanges[0]: 'nope' is not an IPv4");
  });
});
