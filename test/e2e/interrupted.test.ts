import { describe, expect, it } from "vitest";
import { useStack, type Spec } from "../support/pulumi";

const SPEC: Spec = {
  orgs: [{ key: "eng", name: "Engineering", acuLimit: 100 }],
  serviceUsers: [{ key: "ci", org: "eng", name: "ci", role: "Member" }],
};

const { emu, stack } = useStack(SPEC);

const orgs = async () => (await emu().call<{ items: { org_id: string; name: string }[] }>("GET", "/v3/enterprise/organizations")).body.items;

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a run killed mid-up", () => {
  it("never leads to a duplicate org: the next up stops with the guard's error, and its recovery step works", async () => {
    // The org create is committed, but its answer is held back; the CLI is killed before it hears of it.
    await emu().faults([{ kind: "commit-then-delay", method: "POST", path: "/v3/enterprise/organizations", latencyMs: 120_000, times: 1 }]);
    const run = stack().start(["up", "--yes", "--skip-preview"]);
    const stray = await waitFor(async () => (await orgs())[0], 60_000);
    process.kill(-(run.child.pid as number), "SIGKILL");
    await run.done;
    await emu().faults([]);

    // A killed CLI leaves its lock; removing it is the first step after any killed run.
    await stack().ok(["cancel", "--yes"]);
    const next = await stack().run(["up", "--yes", "--skip-preview"]);
    const output = next.stdout + next.stderr;
    expect(next.code).not.toBe(0);
    expect(output).toContain(`an organization with this name already exists (${stray.org_id}) and this resource does not manage it`);
    expect(output).toContain('see "A run was interrupted" in the pulumi-devin README');
    expect(await orgs()).toHaveLength(1);

    // The documented recovery: delete the stray org, then up again.
    expect((await emu().call("DELETE", `/v3/enterprise/organizations/${stray.org_id}`)).status).toBe(200);
    await stack().ok(["up", "--yes", "--skip-preview"]);
    const after = await orgs();
    expect(after.map((o) => o.name)).toEqual(["Engineering"]);
    await stack().ok(["preview", "--expect-no-changes"]);
  });
});
