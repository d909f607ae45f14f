import { describe, expect, it } from "vitest";
import { useStack, writesSince } from "../support/pulumi";

const { emu, stack } = useStack();

describe("bad input fails at preview, before any write", () => {
  it("the seed's role 'developer' gets the unknown-role error listing the valid roles", async () => {
    await stack().setSpec({
      orgs: [{ key: "eng", name: "Engineering" }],
      serviceUsers: [{ key: "ci", org: "eng", name: "ci", role: "developer" }],
    });
    const mark = (await emu().requests()).length;
    const preview = await stack().run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain("role 'developer' is not an org-level role");
    expect(preview.stdout + preview.stderr).toContain("Valid org-level roles: Admin, Member");
    const up = await stack().run(["up", "--yes"]);
    expect(up.code).not.toBe(0);
    expect(await writesSince(emu(), mark)).toEqual([]);
  });

  it("acuLimit -1 names the property and the fix", async () => {
    await stack().setSpec({ orgs: [{ key: "eng", name: "Engineering", acuLimit: -1 }], serviceUsers: [] });
    const mark = (await emu().requests()).length;
    const preview = await stack().run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(/acuLimit must be a whole number of ACUs from 0 to 9007199254740991 \(got -1\)/);
    expect(
      await emu()
        .requests()
        .then((r) => r.slice(mark)),
    ).toEqual([]);
  });

  it("an enterprise service user with the Admin role fails at preview: the API never provisions that role", async () => {
    await stack().setSpec({ orgs: [{ key: "eng", name: "Engineering" }], serviceUsers: [{ key: "ops", name: "ops", role: "Admin" }] });
    const mark = (await emu().requests()).length;
    const preview = await stack().run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain(
      "role 'Admin' (account_admin) is the enterprise Admin role, which holds ManageAccountServiceUsers",
    );
    expect(await writesSince(emu(), mark)).toEqual([]);
  });

  it("a ServiceUser whose literal orgId names no organization fails at preview in one line, and nothing is written", async () => {
    const missing = `org-${"0".repeat(32)}`;
    await stack().setSpec({ orgs: [], serviceUsers: [{ key: "ci", orgId: missing, name: "ci", role: "Member" }] });
    const mark = (await emu().requests()).length;
    const preview = await stack().run(["preview"]);
    const output = preview.stdout + preview.stderr;
    expect(preview.code).not.toBe(0);
    const message = `orgId '${missing}' names no organization this token can see: use an Organization's orgId or one from getOrganizations()`;
    const diagnostics = output.slice(output.indexOf("Diagnostics:"));
    expect(diagnostics.split("\n").filter((l) => l.includes(message))).toHaveLength(1);
    expect(output).not.toContain("404");
    expect(output).not.toMatch(/\s+at \S+ \(/);
    expect(await writesSince(emu(), mark)).toEqual([]);
  });

  it("a Secret whose key is no variable name fails at preview while its org is still to be created, in one line", async () => {
    await stack().setSpec({
      orgs: [{ key: "eng", name: "Engineering" }],
      serviceUsers: [],
      resources: [{ key: "npm", type: "Secret", args: { orgId: "$eng.orgId", key: "npm-token", value: "x" } }],
    });
    const mark = (await emu().requests()).length;
    const preview = await stack().run(["preview"]);
    const output = preview.stdout + preview.stderr;
    expect(preview.code).not.toBe(0);
    const message = "key 'npm-token' must be an environment variable name";
    // The CLI shows an error next to its resource while it runs, then once under Diagnostics.
    const diagnostics = output.slice(output.indexOf("Diagnostics:"));
    expect(diagnostics.split("\n").filter((l) => l.includes(message))).toHaveLength(1);
    expect(output).not.toMatch(/\s+at \S+ \(/);
    const up = await stack().run(["up", "--yes"]);
    expect(up.code).not.toBe(0);
    expect(await writesSince(emu(), mark)).toEqual([]);
  });

  it("three independent mistakes in three resources are all reported by one preview, each once, and nothing is sent", async () => {
    await stack().setSpec({
      orgs: [{ key: "eng", name: "Engineering", acuLimit: -1 }],
      serviceUsers: [],
      resources: [
        { key: "handbook", type: "EnterprisePlaybook", args: { title: "", body: "How we work." } },
        { key: "npm", type: "Secret", args: { orgId: "$eng.orgId", key: "npm-token", value: "x" } },
      ],
    });
    const mark = (await emu().requests()).length;
    const preview = await stack().run(["preview"]);
    const output = preview.stdout + preview.stderr;
    expect(preview.code).not.toBe(0);
    const diagnostics = output.slice(output.indexOf("Diagnostics:"));
    // Each once, from the program: a resource that reached the engine would add the provider's own report of it.
    for (const [resource, reason] of [
      ["Organization 'eng'", "acuLimit must be a whole number of ACUs from 0 to 9007199254740991 (got -1)"],
      ["EnterprisePlaybook 'handbook'", "title is required: the playbook's title, as a non-empty string (got '')"],
      ["Secret 'npm'", "key 'npm-token' must be an environment variable name"],
    ]) {
      expect(diagnostics.split("\n").filter((l) => l.includes(reason))).toEqual([expect.stringContaining(`error: ${resource}: ${reason}`)]);
    }
    expect(output).not.toMatch(/\s+at \S+ \(/);
    // The program checks before it registers anything: no request at all, not even a read.
    expect((await emu().requests()).slice(mark)).toEqual([]);
  });
});
