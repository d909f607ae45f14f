import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { getAuditLogs } from "../../provider/lookups";
import { ROOT } from "../support/host";
import { useStack, writesSince, type Spec } from "../support/pulumi";

/**
 * The GitOps review kit through the real CLI: `pulumi preview --json` of a risky change becomes the report a reviewer
 * reads (`pulumi-devin review`), and after `up` the audit log lists exactly what it did.
 */

const { emu, stack } = useStack();
const run = promisify(execFile);
const SECRET = "review-secret-value-7d1c";

const before: Spec = {
  orgs: [
    { key: "eng", name: "Engineering", acuLimit: 100 },
    { key: "legacy", name: "Legacy", acuLimit: 50 },
  ],
  serviceUsers: [{ key: "ci", org: "eng", name: "ci", role: "Member" }],
  resources: [{ key: "npm", type: "Secret", args: { orgId: "$eng.orgId", key: "NPM_TOKEN", value: "$config:npmToken" } }],
};
// Raises a limit tenfold, makes the service user Admin, deletes an org.
const after: Spec = {
  orgs: [{ key: "eng", name: "Engineering", acuLimit: 1000 }],
  serviceUsers: [{ key: "ci", org: "eng", name: "ci", role: "Admin" }],
  resources: before.resources,
};

async function reviewOf(preview: string, ...flags: string[]): Promise<{ markdown: string; code: number }> {
  const file = join(ROOT, "test/e2e/.work", `preview-${Date.now()}.json`);
  writeFileSync(file, preview);
  try {
    const { stdout } = await run(process.execPath, [join(ROOT, "dist/provider/cli/main.js"), "review", file, ...flags]);
    return { markdown: stdout, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; code: number };
    return { markdown: err.stdout, code: err.code };
  }
}

describe("pulumi-devin review and the audit log", () => {
  it("reports a raised limit, an Admin grant and a deleted org field by field, flags them, and never shows a secret", async () => {
    await stack().ok(["config", "set", "--secret", "e2e:npmToken"], SECRET);
    await stack().setSpec(before);
    await stack().up();
    const { orgIds, serviceUserIds } = await stack().outputs();
    await stack().setSpec(after);
    const preview = (await stack().ok(["preview", "--json"])).stdout;
    expect(preview).toContain("__provider");

    const { markdown, code } = await reviewOf(preview);
    expect(code).toBe(0);
    expect(markdown).toContain("### Devin changes: 1 to delete, 2 to update");
    const risks = markdown.slice(markdown.indexOf("**Risks (3):**"), markdown.indexOf("####"));
    expect(risks.split("\n").filter((l) => l.startsWith("- "))).toEqual([
      `- Organization **Legacy** (\`legacy\`, ${orgIds.legacy}) will be deleted, with everything in it (sessions, knowledge, playbooks, secrets).`,
      `- ServiceUser **ci** (${serviceUserIds.ci}) gets the Admin role in org **Engineering**.`,
      `- Organization **Engineering** (\`eng\`, ${orgIds.eng}): the cycle ACU cap (acuLimit) raised from 100 to 1000 (10×).`,
    ]);
    const table = (kind: string) =>
      markdown
        .slice(markdown.indexOf(`#### ${kind}`))
        .split("\n\n")[1]
        .split("\n")
        .slice(2)
        .filter(Boolean);
    expect(table("Organization")).toEqual([
      "| Legacy (`legacy`) | **delete** | name | `Legacy` | — |",
      "| Engineering (`eng`) | update | acuLimit | `100` | `1000` |",
    ]);
    expect(table("ServiceUser")).toEqual(["| ci | update | role | `Member` | `Admin` |"]);
    expect(markdown).not.toContain("Secret");
    expect(markdown).not.toMatch(/__provider|__kind|cog_[A-Za-z0-9]/);
    expect(markdown).not.toContain(SECRET);
    expect(markdown).not.toContain(emu().token);

    // In CI, flagged risks fail the job after the report is written.
    expect((await reviewOf(preview, "--fail-on-risk")).code).toBe(2);

    // After the merge: the audit log since the up started lists exactly the mutations the up made.
    const started = Math.floor(Date.now() / 1000);
    const mark = (await emu().requests()).length;
    await stack().up();
    const writes = await writesSince(emu(), mark);
    const ci = (await stack().outputs()).serviceUserIds.ci;
    expect([...writes].sort()).toEqual(
      [
        `PATCH /enterprise/organizations/${orgIds.eng}`,
        `PATCH /enterprise/organizations/${orgIds.eng}/members/service-users/${ci}`,
        `DELETE /enterprise/organizations/${orgIds.legacy}`,
      ].sort(),
    );
    const entries = await getAuditLogs({ after: started }, { token: emu().token, apiUrl: emu().url });
    expect(entries.map((e) => e.action).sort()).toEqual(["assign_service_user_role", "delete_org", "update_org"]);
    expect(entries).toHaveLength(writes.length);
    expect(entries.find((e) => e.action === "update_org")?.orgId).toBe(orgIds.eng);

    // The example's post-merge script prints the same entries as a table.
    const { stdout } = await run(process.execPath, [join(ROOT, "examples/gitops/print-audit.mjs"), "--since", String(started)], {
      env: { ...process.env, DEVIN_TOKEN: emu().token, DEVIN_API_URL: emu().url },
    });
    expect(stdout).toContain("3 entries");
    expect(
      stdout
        .split("\n")
        .filter((l) => /^\| \d{4}-/.test(l))
        .map((l) => l.split(" | ")[1]),
    ).toEqual(entries.map((e) => e.action));
    expect(stdout).not.toContain(emu().token);
    stack().sensitive.add(SECRET);
  });
});
