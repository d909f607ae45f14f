import { describe, expect, it } from "vitest";
import { parsePreview, review } from "../../provider/cli/review";

/** The review's rules on synthetic previews: each risk, masking, and the parts of a replacement. */

const T = "pulumi-nodejs:dynamic/devin:";
const urn = (kind: string, name: string) => `urn:pulumi:dev::p::${T}${kind}::${name}`;
const step = (op: string, kind: string, name: string, olds?: object, news?: object, replaceReasons?: string[]) => ({
  op,
  urn: urn(kind, name),
  oldState: olds && { type: `${T}${kind}`, inputs: { __provider: "exports.handler = …", __kind: kind, ...olds } },
  newState: news && { type: `${T}${kind}`, inputs: { __provider: "exports.handler = …", __kind: kind, ...news } },
  replaceReasons,
});
const risksOf = (...steps: object[]) => review({ steps } as never).risks.map((r) => `${r.kind}: ${r.message}`);

describe("pulumi-devin review", () => {
  it("flags key rotations, replaced secrets and service users, removed caps, cleared IP lists and uncapped new orgs", () => {
    expect(
      risksOf(
        step(
          "update",
          "ApiKey",
          "ci",
          { rotation: "t1: issued" },
          { rotation: "t2: rotated: the key is 31 days old; rotateAfterSeconds is 30 days" },
        ),
        step("replace", "Secret", "npm", { value: "[secret]" }, { value: "[secret]" }, ["value"]),
        step("replace", "ServiceUser", "bot", { name: "bot" }, { name: "bot2" }, ["name"]),
        step("update", "Organization", "eng", { name: "Eng", acuLimit: 100 }, { name: "Eng" }),
        step(
          "update",
          "OrgGroupLimits",
          "limits",
          { groups: [{ name: "all", maxCycleAcus: 10 }] },
          { groups: [{ name: "all", maxCycleAcus: 20 }] },
        ),
        step("delete", "IpAccessList", "ips", { ipRanges: ["10.0.0.0/8"] }),
        step("create", "Organization", "new", undefined, { name: "New" }),
        step("create", "OrgUserRole", "lead", undefined, { orgId: "org-1", userId: "user-1", role: "org_admin" }),
      ),
    ).toEqual([
      "admin: OrgUserRole **lead**: its member gets the Admin role in org-1.",
      "acu: Organization **eng**: the cycle ACU cap (acuLimit) removed (was 100): no cap any more.",
      "acu: Organization **new** will be created without a cycle ACU cap (acuLimit).",
      "acu: OrgGroupLimits **limits**: group 'all' cap raised from 10 to 20.",
      "key: ApiKey **ci** will be rotated: the key is 31 days old; rotateAfterSeconds is 30 days. Whoever holds the old key must take the new one.",
      "key: Secret **npm** will be replaced (value); sessions started afterwards get the new one.",
      "key: ServiceUser **bot** will be replaced (name): a new service user with a new API key; the old key stops working.",
      "ip: IpAccessList **ips**: the IP access list changes (cleared: no IP restriction any more); it applies from the next request.",
    ]);
    expect(risksOf(step("update", "Organization", "eng", { name: "Eng", acuLimit: 100 }, { name: "Eng", acuLimit: 50 }))).toEqual([]);
  });

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
    expect(markdown).toContain("| npm | **replace** (value) | value | [secret] | [secret] (changed) |");
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
        diagnostics: [
          { severity: "error", message: "Organization 'eng' breaks policy devin-org-acu-limit | with cog_abcdefghijklmnopqrstuvwxyz0123" },
        ],
      })}`,
    );
    const { markdown, changes } = review(preview);
    expect(changes.map((c) => c.op)).toEqual(["replace"]);
    expect(markdown).toContain("**The preview failed (1 error):**");
    expect(markdown).toContain("breaks policy devin-org-acu-limit \\| with cog_***");
    expect(() => parsePreview("error: no stack")).toThrow("not the output of 'pulumi preview --json'");
  });

  it("shows a value not known until up as such, not as Pulumi's placeholder", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const { markdown } = review({
      steps: [step("create", "ServiceUser", "ci", undefined, { orgId: unknown, name: "ci", role: "Member", tags: [unknown] })],
    } as never);
    expect(markdown).toContain("| ci | create | name |  | `ci` |");
    expect(markdown).toContain("|  |  | orgId |  | (known after up) |");
    expect(markdown).not.toContain(unknown);
  });
});
