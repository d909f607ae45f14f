import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { ROOT } from "../support/host";
import { TestStack, writesSince } from "../support/pulumi";

const PROGRAM = join(ROOT, "test/e2e/program");
let emu: TestEmulator;
let stack: TestStack;
beforeEach(async () => {
  emu = await startTestEmulator();
  stack = await TestStack.create(emu, PROGRAM);
});
afterEach(async () => {
  stack?.cleanup();
  await emu?.close();
});

describe("bad input fails at preview, before any write", () => {
  it("the seed's role 'developer' gets the unknown-role error listing the valid roles", async () => {
    await stack.setSpec({ orgs: [{ key: "eng", name: "Engineering" }], serviceUsers: [{ key: "ci", org: "eng", name: "ci", role: "developer" }] });
    const mark = (await emu.requests()).length;
    const preview = await stack.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain("role 'developer' is not an org-level role");
    expect(preview.stdout + preview.stderr).toContain("Valid org-level roles: Admin, Member");
    const up = await stack.run(["up", "--yes"]);
    expect(up.code).not.toBe(0);
    expect(await writesSince(emu, mark)).toEqual([]);
  });

  it("acuLimit -1 names the property and the fix", async () => {
    await stack.setSpec({ orgs: [{ key: "eng", name: "Engineering", acuLimit: -1 }], serviceUsers: [] });
    const mark = (await emu.requests()).length;
    const preview = await stack.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(/acuLimit must be a whole number of ACUs, 0 or more \(got -1\)/);
    expect(await emu.requests().then((r) => r.slice(mark))).toEqual([]);
  });
});
