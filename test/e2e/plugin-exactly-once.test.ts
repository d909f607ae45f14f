import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestEmulator } from "../support/emulator";
import { expectExactlyTheStack, liveObjects, type LiveOrg, type LiveServiceUser } from "../support/enterprise";
import { ROOT } from "../support/host";
import { startScannedEmulator, TestStack, writesSince, type RunResult, type Spec } from "../support/pulumi";

/**
 * Exactly once through the provider plugin (bin/pulumi-resource-devin), on the real CLI and YAML language host: a
 * lost answer, and a `pulumi up` killed with kill -9, as exactly-once.test.ts proves them for the dynamic resources.
 */

/** The Pulumi YAML program of a spec (JSON is YAML): the outputs are what expectExactlyTheStack reads. */
function program(spec: Spec): string {
  const resources: Record<string, unknown> = {};
  const outputs: Record<string, Record<string, string>> = { orgIds: {}, serviceUserIds: {}, apiKeys: {} };
  for (const { key, ...args } of spec.orgs) {
    resources[key] = { type: "devin:index:Organization", properties: args };
    outputs.orgIds[key] = `\${${key}.orgId}`;
  }
  for (const { key, org, ...args } of spec.serviceUsers) {
    resources[key] = { type: "devin:index:ServiceUser", properties: { ...args, orgId: `\${${org}.orgId}` } };
    outputs.serviceUserIds[key] = `\${${key}.serviceUserId}`;
    outputs.apiKeys[key] = `\${${key}.apiKey}`;
  }
  const plugins = { providers: [{ name: "devin", path: join(ROOT, "bin") }] };
  return JSON.stringify({ name: "devin-plugin-once", runtime: "yaml", plugins, resources, outputs }, null, 2);
}

let emu: TestEmulator;
let stack: TestStack;
let dir: string;

const setProgram = (spec: Spec) => writeFileSync(join(dir, "Pulumi.yaml"), program(spec));

beforeEach(async () => {
  const started = await startScannedEmulator();
  emu = started.emu;
  dir = join(ROOT, "test/e2e/.work", randomUUID());
  mkdirSync(dir, { recursive: true });
  setProgram({ orgs: [], serviceUsers: [] });
  stack = await TestStack.forProject(emu, dir, undefined, dir);
  stack.scanDirs.push(started.stateDir);
});

afterEach(async () => {
  await emu.close();
  await stack.finish();
});

describe("a create whose answer is lost, through the plugin", () => {
  it("ends after one up with one org: the duplicate guard finds the committed one instead of sending it again", async () => {
    const spec: Spec = {
      orgs: [{ key: "eng", name: "Engineering" }],
      serviceUsers: [{ key: "bot", org: "eng", name: "bot", role: "Member" }],
    };
    setProgram(spec);
    await emu.faults([{ kind: "commit-then-drop", method: "POST", path: "/v3/enterprise/organizations", times: 1 }]);
    const mark = (await emu.requests()).length;
    await stack.ok(["up", "--yes", "--skip-preview"]);
    await emu.faults([]);
    const [org] = (await liveObjects(emu)).orgs;
    // One POST, whose answer was lost (the emulator logs it with status 0); the service user went into that org.
    expect(await writesSince(emu, mark)).toEqual(["POST /enterprise/organizations", `POST /organizations/${org.org_id}/service-users`]);
    await expectExactlyTheStack(emu, stack, spec);
    await stack.ok(["preview", "--expect-no-changes"]);
  });
});

type Proc = { pid: number; ppid: number; zombie: boolean; args: string[] };

function processes(): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
      found.push({ pid: Number(entry), ppid: Number(fields[1]), zombie: fields[0] === "Z", args });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function descendants(pid: number, all = processes()): Proc[] {
  const found: Proc[] = [];
  const visit = (p: number) => {
    for (const child of all) if (child.ppid === p) (found.push(child), visit(child.pid));
  };
  visit(pid);
  return found;
}

const isPlugin = (p: Proc) => p.args.some((a) => a.endsWith("/pulumi-resource-devin"));

/** How long a held answer waits: longer than any test here runs, so it is never answered before the kill. */
const HELD_MS = 3_600_000;

const TEN: Spec = {
  orgs: Array.from({ length: 10 }, (_, i) => ({ key: `org${i}`, name: `Org ${i}` })),
  serviceUsers: Array.from({ length: 10 }, (_, i) => ({ key: `bot${i}`, org: `org${i}`, name: `bot-${i}`, role: "Member" })),
};

/**
 * Starts `pulumi up` of TEN with answers held, kills the CLI's process group with SIGKILL once every org and at least
 * four service users are committed, and checks what the plugin does then: every copy of it exits by itself (the
 * engine starts plugins in process groups of their own, so the kill does not reach them), and once they are gone the
 * emulator hears nothing more. Returns what the killed run left on the server.
 */
async function killMidUp(): Promise<{ orgs: LiveOrg[]; serviceUsers: LiveServiceUser[] }> {
  setProgram(TEN);
  // As in exactly-once.test.ts: eight orgs are answered at once, two are committed but answered late, every service
  // user likewise; "late" is after the kill however slow the machine.
  await emu.faults([
    { kind: "commit-then-delay", method: "POST", path: "/v3/enterprise/organizations", latencyMs: HELD_MS, skip: 8 },
    { kind: "commit-then-delay", method: "POST", path: "/v3beta1/organizations/*/service-users", latencyMs: HELD_MS },
  ]);
  const run = stack.start(["up", "--yes", "--skip-preview"]);
  const cli = run.child.pid as number;
  let ended: RunResult | undefined;
  void run.done.then((r) => (ended = r));
  let live = { orgs: 0, serviceUsers: 0 };
  while (!ended && !(live.orgs === 10 && live.serviceUsers >= 4)) {
    await new Promise((r) => setTimeout(r, 100));
    const objects = await liveObjects(emu);
    live = { orgs: objects.orgs.length, serviceUsers: objects.serviceUsers.length };
  }
  expect(ended, `the run ended before the kill: ${ended?.stdout}${ended?.stderr}`).toBeUndefined();

  const tree = descendants(cli);
  try {
    // The engine's copy of the plugin, started with the engine's address (the YAML host may hold one of its own).
    const plugins = tree.filter(isPlugin);
    expect(plugins.filter((p) => p.ppid === cli)).toHaveLength(1);
    const addresses = new Set(plugins.map((p) => p.args[p.args.length - 1]));
    // A copy of this run is one of those seen, or any started since with one of their addresses.
    const ofThisRun = (p: Proc) =>
      !p.zombie && isPlugin(p) && (plugins.some((q) => q.pid === p.pid) || addresses.has(p.args[p.args.length - 1]));
    const killedAt = Date.now();
    process.kill(-cli, "SIGKILL");
    while (processes().some(ofThisRun) && Date.now() - killedAt < 10_000) await new Promise((r) => setTimeout(r, 20));
    const exitedAfterMs = Date.now() - killedAt;
    expect(processes().filter(ofThisRun), "plugin processes of the killed run still alive").toEqual([]);
    // main.ts checks for its parent every 250 ms; 2 s leaves a busy machine room, and nothing else would end the
    // engine's copy that soon (Pulumi's language hosts look for the engine every 5 minutes).
    expect(exitedAfterMs).toBeLessThan(2_000);

    // Held requests stay unlogged until answered: with the faults gone, any new one is answered and logged at once,
    // and any create commits.
    await emu.faults([]);
    const settledAt = Date.now();
    const fromProvider = async () => (await emu.requests()).filter((r) => r.userAgent?.startsWith("pulumi-devin/"));
    const loggedAtSettle = (await fromProvider()).length;
    const leftBehind = await liveObjects(emu);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await fromProvider()).filter((r) => r.time >= settledAt)).toEqual([]);
    expect((await fromProvider()).length).toBe(loggedAtSettle);
    expect(await liveObjects(emu)).toEqual(leftBehind);
    await run.done;
    return leftBehind;
  } finally {
    // Whatever outlives the kill (the YAML language host, or anything left by a failed check) is ended here, so the
    // test leaves nothing running.
    const alive = (pid: number) => processes().some((q) => q.pid === pid && !q.zombie);
    for (const pid of [cli, ...tree.map((p) => p.pid)]) if (alive(pid)) process.kill(pid, "SIGKILL");
  }
}

/** The README's first step, with its fix for a kill that lands while the file backend saves. */
async function cancel(): Promise<void> {
  let cancelled = await stack.run(["cancel", "--yes"]);
  if (cancelled.code !== 0 && (cancelled.stdout + cancelled.stderr).includes("failed to load checkpoint: EOF")) {
    execFileSync("find", [join(stack.backendDir, ".pulumi"), "-name", "*.attrs", "-empty", "-delete"]);
    cancelled = await stack.run(["cancel", "--yes"]);
  }
  expect(cancelled.code, cancelled.stdout + cancelled.stderr).toBe(0);
}

type Deployment = {
  resources?: { urn: string; type: string }[];
  pending_operations?: { type: string; resource: { urn: string } }[];
};
const exported = async () => (JSON.parse((await stack.ok(["stack", "export"])).stdout) as { deployment: Deployment }).deployment;

/** What `up --continue-on-error` refuses, by Devin name: every leftover the stack does not hold, with its id. */
function refusals(run: RunResult): { orgs: Map<string, string>; serviceUsers: Map<string, string> } {
  const output = run.stdout + run.stderr;
  const orgs = [
    ...output.matchAll(/create organization '([^']+)' refused: an organization with this name already exists \((org-[0-9a-f]+)\)/g),
  ];
  const serviceUsers = [
    ...output.matchAll(
      /create service user '([^']+)' in org-[0-9a-f]+ refused: a service user with this name in org-[0-9a-f]+ already exists \((service-user-[0-9a-f]+)\)/g,
    ),
  ];
  return { orgs: new Map(orgs.map((m) => [m[1], m[2]])), serviceUsers: new Map(serviceUsers.map((m) => [m[1], m[2]])) };
}

/** TEN with `adoptId` on each leftover named, and `apiKeyOnAdopt: rotate` for service users, as the refusals say. */
function adopting(strays: ReturnType<typeof refusals>, orgs = strays.orgs): Spec {
  return {
    orgs: TEN.orgs.map((o) => (orgs.has(o.name) ? { ...o, adoptId: orgs.get(o.name) } : o)),
    serviceUsers: TEN.serviceUsers.map((s) =>
      strays.serviceUsers.has(s.name) ? { ...s, adoptId: strays.serviceUsers.get(s.name), apiKeyOnAdopt: "rotate" } : s,
    ),
  };
}

describe("a run through the plugin killed with kill -9 mid-up", () => {
  // Seven CLI runs over twenty resources, besides the kill.
  it(
    "stops sending with the engine; the README's recovery then adopts every leftover: the server holds exactly the stack's objects",
    { timeout: 900_000 },
    async () => {
      const leftBehind = await killMidUp();
      await cancel();
      await stack.ok(["refresh", "--clear-pending-creates", "--yes", "--skip-preview"]);
      const heldOrgs = ((await exported()).resources ?? []).filter((r) => r.type === "devin:index:Organization").length;
      const refused = await stack.run(["up", "--yes", "--skip-preview", "--continue-on-error"]);
      expect(refused.code).not.toBe(0);
      const strays = refusals(refused);
      expect(strays.orgs.size).toBe(10 - heldOrgs);
      expect(strays.orgs.size).toBeGreaterThanOrEqual(2);
      expect(leftBehind.orgs).toHaveLength(10);
      expect(strays.serviceUsers.size).toBe(leftBehind.serviceUsers.length);
      // The refused run made only what was missing: nothing twice.
      expect((await liveObjects(emu)).orgs).toHaveLength(10);

      setProgram(adopting(strays));
      await stack.ok(["up", "--yes", "--skip-preview"]);
      await expectExactlyTheStack(emu, stack, TEN);
      await stack.ok(["preview", "--expect-no-changes"]);
    },
  );

  it(
    "`refresh --import-pending-creates` drops the creates it is given unread (Pulumi 3.248); `pulumi import` takes over the orgs",
    { timeout: 900_000 },
    async () => {
      await killMidUp();
      await cancel();
      // An `up` before any refresh keeps the pending creates and names every leftover with its id.
      const strays = refusals(await stack.run(["up", "--yes", "--skip-preview", "--continue-on-error"]));
      const pending = ((await exported()).pending_operations ?? []).filter((op) => op.type === "creating").map((op) => op.resource.urn);
      const name = (urn: string) =>
        TEN.orgs.find((o) => urn.endsWith(`::${o.key}`))?.name ?? TEN.serviceUsers.find((s) => urn.endsWith(`::${s.key}`))?.name;
      const idOf = (urn: string) => strays.orgs.get(name(urn) as string) ?? strays.serviceUsers.get(name(urn) as string);
      expect(pending.length).toBeGreaterThanOrEqual(2);
      expect(pending.map(idOf).every(Boolean)).toBe(true);

      const mark = (await emu.requests()).length;
      const pairs = pending.flatMap((urn) => ["--import-pending-creates", urn, "--import-pending-creates", idOf(urn) as string]);
      await stack.ok(["refresh", "--yes", "--skip-preview", ...pairs]);
      // The CLI turns each into a pending import, which the refresh then drops like any pending operation but a create:
      // no read of any of them, and none in the state.
      const reads = (await emu.requests()).slice(mark).map((r) => r.path);
      for (const urn of pending) expect(reads.filter((p) => p.includes(idOf(urn) as string))).toEqual([]);
      const after = await exported();
      expect(after.pending_operations ?? []).toEqual([]);
      expect((after.resources ?? []).filter((r) => pending.includes(r.urn))).toEqual([]);

      // What works for an org instead: `pulumi import` by the id the refusal named reads it by id, writing nothing.
      const importing = TEN.orgs.filter((o) => strays.orgs.has(o.name));
      const file = join(dir, "import.json");
      writeFileSync(
        file,
        JSON.stringify({
          resources: importing.map((o) => ({ type: "devin:index:Organization", name: o.key, id: strays.orgs.get(o.name) })),
        }),
      );
      const beforeImport = (await emu.requests()).length;
      await stack.ok(["import", "--file", file, "--yes", "--generate-code=false"]);
      expect(await writesSince(emu, beforeImport)).toEqual([]);
      // A service user's first key went out with the lost answer: it takes `adoptId` and a rotation.
      setProgram(adopting(strays, new Map()));
      await stack.ok(["up", "--yes", "--skip-preview"]);
      await expectExactlyTheStack(emu, stack, TEN);
      await stack.ok(["preview", "--expect-no-changes"]);
    },
  );
});
