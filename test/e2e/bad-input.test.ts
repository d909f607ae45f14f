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
});
