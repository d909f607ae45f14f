import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectExactlyTheStack, liveObjects } from "../support/enterprise";
import { useStack, type RunResult, type Spec } from "../support/pulumi";

/** Exactly once under every interruption, through the real CLI: double faults, partial creates, a killed run. */

const { emu, stack } = useStack();

const ONE: Spec = { orgs: [{ key: "eng", name: "Engineering" }], serviceUsers: [{ key: "bot", org: "eng", name: "bot", role: "Member" }] };

describe("a service user whose provisioning answer is lost", () => {
  it("and whose key request then fails once: one up makes one service user with a working key", async () => {
    await stack().setSpec(ONE);
    await emu().faults([
      { kind: "commit-then-drop", method: "POST", path: "/v3beta1/organizations/*/service-users", times: 1 },
      { kind: "server-error", method: "POST", path: "/v3beta1/enterprise/service-users/*/api-keys", status: 500, times: 1 },
    ]);
    await stack().ok(["up", "--yes", "--skip-preview"]);
    await emu().faults([]);
    await expectExactlyTheStack(emu(), stack(), ONE);
    const { serviceUserIds } = await stack().outputs();
    const keys = (
      await emu().call<{ items: unknown[] }>("GET", `/v3beta1/enterprise/service-users/${serviceUserIds.bot}/api-keys?status=active`)
    ).body.items;
    expect(keys).toHaveLength(1);
  });

  it("and whose key cannot be issued in this run: the state holds it, and the next up issues the key instead of a second user", async () => {
    await stack().setSpec(ONE);
    await emu().faults([
      { kind: "commit-then-drop", method: "POST", path: "/v3beta1/organizations/*/service-users", times: 1 },
      { kind: "server-error", method: "POST", path: "/v3beta1/enterprise/service-users/*/api-keys", status: 503 },
    ]);
    const first = await stack().run(["up", "--yes", "--skip-preview"], undefined, { DEVIN_RETRY_BUDGET_SECONDS: "1" });
    expect(first.code).not.toBe(0);
    expect(first.stdout + first.stderr).toContain("run 'pulumi up' again to finish (no second service user is made)");
    await emu().faults([]);

    const mark = (await emu().requests()).length;
    await stack().ok(["up", "--yes", "--skip-preview"]);
    const writes = (await emu().requests())
      .slice(mark)
      .filter((r) => r.method !== "GET")
      .map((r) => `${r.method} ${r.path.replace(/\/v3(beta1)?/, "").replace(/[0-9a-f]{32}/g, "…")}`);
    expect(writes).toEqual([
      "POST /enterprise/service-users/service-user-…/api-keys",
      "DELETE /enterprise/service-users/service-user-…/api-keys/api-key-…",
    ]);
    await expectExactlyTheStack(emu(), stack(), ONE);
    await stack().ok(["preview", "--expect-no-changes"]);
  });
});

/** Every process of the CLI's tree: pulumi, its language host, the program and the dynamic-provider host. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (p: number) => {
    for (const [child, parent] of parents) if (parent === p) (found.push(child), visit(child));
  };
  visit(pid);
  return found;
}

/** Running, not a zombie waiting for a parent that is gone. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
};

/** How long a held answer waits: longer than any test here runs, so it is never answered before the kill. */
const HELD_MS = 3_600_000;

describe("a run killed with kill -9 mid-up", () => {
  // Six CLI runs over twenty resources: on two busy cores that can take several minutes.
  it(
    "leaves strays that the README's recovery adopts: afterwards the server holds exactly the stack's objects",
    { timeout: 900_000 },
    async () => {
      const spec: Spec = {
        orgs: Array.from({ length: 10 }, (_, i) => ({ key: `org${i}`, name: `Org ${i}` })),
        serviceUsers: Array.from({ length: 10 }, (_, i) => ({ key: `bot${i}`, org: `org${i}`, name: `bot-${i}`, role: "Member" })),
      };
      await stack().setSpec(spec);
      // Eight orgs are answered at once, two are committed but answered late; every service user likewise. "Late" is
      // after the kill however slow the machine: the emulator closes without waiting for a held answer.
      await emu().faults([
        { kind: "commit-then-delay", method: "POST", path: "/v3/enterprise/organizations", latencyMs: HELD_MS, skip: 8 },
        { kind: "commit-then-delay", method: "POST", path: "/v3beta1/organizations/*/service-users", latencyMs: HELD_MS },
      ]);
      const run = stack().start(["up", "--yes", "--skip-preview"]);
      let ended: RunResult | undefined;
      void run.done.then((r) => (ended = r));
      // The engine runs 8 steps at once on 2 cores: the two slow orgs and six slow service users fill them. Wait for that
      // state, not for a time; a run that ends instead (it cannot, with every answer held) fails here with its output.
      let atKill = { orgs: 0, serviceUsers: 0 };
      while (!ended && !(atKill.orgs === 10 && atKill.serviceUsers >= 4)) {
        await new Promise((r) => setTimeout(r, 100));
        const live = await liveObjects(emu());
        atKill = { orgs: live.orgs.length, serviceUsers: live.serviceUsers.length };
      }
      expect(ended, `the run ended before the kill: ${ended?.stdout}${ended?.stderr}`).toBeUndefined();
      // A real crash takes the whole tree: the CLI, the language host, the program and the dynamic-provider host.
      const tree = [run.child.pid as number, ...descendants(run.child.pid as number)];
      expect(tree.length).toBeGreaterThanOrEqual(4);
      process.kill(-(run.child.pid as number), "SIGKILL");
      for (const pid of tree) if (alive(pid)) process.kill(pid, "SIGKILL");
      await new Promise((r) => setTimeout(r, 500));
      expect(tree.filter(alive)).toEqual([]);
      await run.done;
      // What the killed run left behind: creates committed after the last look above count too.
      const leftBehind = await liveObjects(emu());
      await emu().faults([]);

      // The README's recovery, step by step, as written. A kill that lands while the file backend saves leaves an empty
      // side file (.attrs) beside the state, which the README's first step deals with.
      let cancel = await stack().run(["cancel", "--yes"]);
      if (cancel.code !== 0 && (cancel.stdout + cancel.stderr).includes("failed to load checkpoint: EOF")) {
        execFileSync("find", [join(stack().backendDir, ".pulumi"), "-name", "*.attrs", "-empty", "-delete"]);
        cancel = await stack().run(["cancel", "--yes"]);
      }
      expect(cancel.code, cancel.stdout + cancel.stderr).toBe(0);
      await stack().ok(["refresh", "--clear-pending-creates", "--yes", "--skip-preview"]);
      // The orgs the stack holds: the eight answered at once, less any whose answer came in as the kill landed, before
      // the engine saved it (on a busy machine one may).
      const exported = JSON.parse((await stack().ok(["stack", "export"])).stdout) as { deployment: { resources?: { type: string }[] } };
      const heldOrgs = (exported.deployment.resources ?? []).filter((r) => r.type.endsWith("devin:Organization")).length;
      // --continue-on-error lets every create run, so one run names every stray.
      const refused = await stack().run(["up", "--yes", "--skip-preview", "--continue-on-error"]);
      expect(refused.code).not.toBe(0);
      const output = refused.stdout + refused.stderr;
      const strayOrgs = new Map(
        [
          ...output.matchAll(/create organization '([^']+)' refused: an organization with this name already exists \((org-[0-9a-f]+)\)/g),
        ].map((m) => [m[1], m[2]]),
      );
      const straySUs = new Map(
        [
          ...output.matchAll(
            /create service user '([^']+)' in org-[0-9a-f]+ refused: a service user with this name in org-[0-9a-f]+ already exists \((service-user-[0-9a-f]+)\)/g,
          ),
        ].map((m) => [m[1], m[2]]),
      );
      // Every org the stack does not hold is named once; the two held answers always are.
      expect(strayOrgs.size).toBe(10 - heldOrgs);
      expect(strayOrgs.size).toBeGreaterThanOrEqual(2);
      expect(leftBehind.orgs).toHaveLength(10);
      expect(straySUs.size).toBe(leftBehind.serviceUsers.length);
      // The refused run made only what was missing: nothing twice.
      expect((await liveObjects(emu())).orgs).toHaveLength(10);

      const adopting: Spec = {
        orgs: spec.orgs.map((o) => (strayOrgs.has(o.name) ? { ...o, adoptId: strayOrgs.get(o.name) } : o)),
        serviceUsers: spec.serviceUsers.map((s) =>
          straySUs.has(s.name) ? { ...s, adoptId: straySUs.get(s.name), apiKeyOnAdopt: "rotate" } : s,
        ),
      };
      await stack().setSpec(adopting);
      await stack().ok(["up", "--yes", "--skip-preview"]);
      await expectExactlyTheStack(emu(), stack(), spec);
      await stack().ok(["preview", "--expect-no-changes"]);
    },
  );
});
