import { afterEach, describe, expect, it } from "vitest";
import { PartialCreateError } from "../../provider/impl/createOnce";
import { organization } from "../../provider/impl/organization";
import { serviceUser } from "../../provider/impl/serviceUser";
import type { ServiceUserInputs, ServiceUserOutputs } from "../../provider/impl/serviceUser";
import { startTestEmulator, tempDir } from "../support/emulator";
import { callsSince, configureFor, useEmulator } from "../support/provider";

/** Every create happens exactly once: under lost answers, failed follow-ups, leftovers of killed runs and rate limits. */

const { emu } = useEmulator();
const mark = async () => (await emu().requests()).length;

type SU = { service_user_id: string; name: string; role_assignments: { org_id: string | null }[] };
const serviceUsersNamed = async (name: string) =>
  (await emu().call<{ items: SU[] }>("GET", "/v3/enterprise/members/service-users?first=200")).body.items.filter((s) => s.name === name);
const activeKeys = async (id: string) =>
  (await emu().call<{ items: { api_key_id: string }[] }>("GET", `/v3beta1/enterprise/service-users/${id}/api-keys?status=active`)).body
    .items;
const works = async (key: string) => (await emu().call("GET", "/v3/self", undefined, key)).status === 200;

afterEach(() => {
  delete process.env.DEVIN_RETRY_BUDGET_SECONDS;
});

/** The next `pulumi up`: the host configures the provider again, and what the last run read is forgotten. */
const newRun = () => configureFor(emu());

describe("a service user whose provisioning answer is lost", () => {
  it("is found, given a new key (sent again after a 500), and its lost first key revoked", async () => {
    const orgId = (await organization.create({ name: "eng" })).id;
    newRun();
    await emu().faults([
      { kind: "commit-then-drop", method: "POST", path: "/v3beta1/organizations/*/service-users", times: 1 },
      { kind: "server-error", method: "POST", path: "/v3beta1/enterprise/service-users/*/api-keys", status: 500, times: 1 },
    ]);
    const m = await mark();
    const created = await serviceUser.create({ orgId, name: "bot", role: "Member", ttlSeconds: 3600 });
    const outs = created.outs as ServiceUserOutputs;
    const id = created.id;
    expect(await callsSince(emu(), m)).toEqual([
      "GET /enterprise/roles",
      `GET /enterprise/organizations/${orgId}/members/service-users`,
      `POST /organizations/${orgId}/service-users`,
      `GET /enterprise/organizations/${orgId}/members/service-users`,
      // when was it made? its first key says
      `GET /enterprise/service-users/${id}/api-keys`,
      `POST /enterprise/service-users/${id}/api-keys`,
      `POST /enterprise/service-users/${id}/api-keys`,
      `GET /enterprise/service-users/${id}/api-keys`,
      // the first key went out with the lost answer: nobody holds it
      expect.stringMatching(new RegExp(`^DELETE /enterprise/service-users/${id}/api-keys/api-key-`)),
    ]);
    expect(await serviceUsersNamed("bot")).toHaveLength(1);
    expect(await works(outs.apiKey)).toBe(true);
    expect(await activeKeys(id)).toHaveLength(1);
  });

  it("when the key cannot be issued at all, is handed to the state as a partial create, and the next up finishes it", async () => {
    const orgId = (await organization.create({ name: "eng" })).id;
    process.env.DEVIN_RETRY_BUDGET_SECONDS = "1";
    await emu().faults([
      { kind: "commit-then-drop", method: "POST", path: "/v3beta1/organizations/*/service-users", times: 1 },
      { kind: "server-error", method: "POST", path: "/v3beta1/enterprise/service-users/*/api-keys", status: 503 },
    ]);
    const inputs: ServiceUserInputs = { orgId, name: "bot", role: "Member", ttlSeconds: 3600 };
    const err = await serviceUser.create(inputs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialCreateError);
    const partial = err as PartialCreateError;
    expect(partial.message).toContain("run 'pulumi up' again to finish (no second service user is made)");
    expect(partial.properties).toMatchObject({ serviceUserId: partial.id, apiKey: "" });

    // The next `up`: the engine calls update for a partially created resource.
    await emu().faults([]);
    const diff = await serviceUser.diff(partial.id, partial.properties as unknown as ServiceUserOutputs, inputs);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const finished = await serviceUser.update(partial.id, partial.properties as unknown as ServiceUserOutputs, inputs);
    expect(await works((finished.outs as ServiceUserOutputs).apiKey)).toBe(true);
    expect(await serviceUsersNamed("bot")).toHaveLength(1);
    expect(await activeKeys(partial.id)).toHaveLength(1);
  });
});

describe("the duplicate guard for service users", () => {
  it.each([
    ["an org", true],
    ["the enterprise", false],
  ])("refuses a name already taken in %s by one the stack does not hold, saying how to adopt it", async (_scope, inOrg) => {
    const orgId = inOrg ? (await organization.create({ name: "eng" })).id : undefined;
    newRun();
    const path = orgId ? `/v3beta1/organizations/${orgId}/service-users` : "/v3beta1/enterprise/service-users";
    const stray = (
      await emu().call<{ service_user: SU }>("POST", path, {
        name: "bot",
        role_id: inOrg ? "org_member" : "account_member",
        ttl_seconds: 600,
      })
    ).body.service_user;
    const m = await mark();
    const err = (await serviceUser.create({ orgId, name: "bot", role: "Member" }).catch((e: Error) => e)) as Error;
    expect(err.message).toContain(`already exists (${stray.service_user_id}) and this resource does not manage it`);
    expect(err.message).toContain(`'adoptId: "${stray.service_user_id}", apiKeyOnAdopt: "rotate"'`);
    expect(err.message).not.toMatch(/DELETE|curl/);
    expect((await callsSince(emu(), m)).filter((c) => !c.startsWith("GET"))).toEqual([]);
  });

  it("does not count a same-named service user of another org, or one the stack holds and is replacing", async () => {
    const eng = (await organization.create({ name: "eng" })).id;
    const ops = (await organization.create({ name: "ops" })).id;
    await serviceUser.create({ orgId: ops, name: "bot", role: "Member" });
    const first = await serviceUser.create({ orgId: eng, name: "bot", role: "Member", ttlSeconds: 600 });
    // A changed TTL replaces it, creating the new one before deleting the old: diff marks the old one as the stack's.
    const news = { orgId: eng, name: "bot", role: "Member", ttlSeconds: 1200 };
    expect((await serviceUser.diff(first.id, first.outs as ServiceUserOutputs, news)).replaces).toEqual(["ttlSeconds"]);
    // (The host adapter notes ids it sees; the lifecycle is called here directly, as the adapter does.)
    const { noteHeld } = await import("../../provider/impl/createOnce");
    noteHeld(first.id);
    const second = await serviceUser.create(news);
    expect(second.id).not.toBe(first.id);
  });

  it("never takes an older same-named service user for the answer of its own lost create", async () => {
    const orgId = (await organization.create({ name: "eng" })).id;
    newRun();
    // Someone else's bot, made long before (the emulator's clock moves; the provider's does not).
    await emu().call("POST", `/v3beta1/organizations/${orgId}/service-users`, { name: "bot", role_id: "org_member", ttl_seconds: 3600 });
    await emu().advanceClock(-7200);
    const err = (await serviceUser.create({ orgId, name: "bot", role: "Member", ttlSeconds: 3600 }).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("already exists");
  });
});

describe("reconciliation after a lost answer never takes someone else's object", () => {
  /**
   * The create's POST is held for a moment, then committed with its answer lost. While it is held (after the guard's
   * list, so the guard cannot see it), someone else makes a same-named object, dated two hours earlier by the
   * emulator's clock, through the other path prefix so no fault touches it. The lookup must pick the create's own.
   */
  async function raceAStray(
    providerPath: string,
    strayPath: string,
    strayBody: Record<string, unknown>,
    create: () => Promise<{ id: string }>,
  ) {
    await emu().faults([
      { kind: "latency", method: "POST", path: providerPath, latencyMs: 5000, times: 1 },
      { kind: "commit-then-drop", method: "POST", path: providerPath, times: 1 },
    ]);
    const m = await mark();
    const creating = create();
    // Wait for the event itself, not for a request before it (with the role list cached, or no guard for an org made
    // this run, there is none): the create's POST is being held once the latency rule has fired.
    const held = async () =>
      (await emu().call<{ faults: { kind: string; fired: number }[] }>("GET", "/_emulator/faults", undefined, null)).body.faults.some(
        (f) => f.kind === "latency" && f.fired > 0,
      );
    while (!(await held())) await new Promise((r) => setTimeout(r, 5));
    await emu().advanceClock(-7200);
    const stray = await emu().call<{ org_id?: string; service_user?: SU; token?: string }>("POST", strayPath, strayBody);
    await emu().advanceClock(7200);
    const created = await creating;
    // The stray was answered while the create's POST was held: the lookup after the lost answer had it to choose from.
    const posts = (await emu().requests()).slice(m).filter((r) => r.method === "POST");
    expect(posts.map((r) => (r.status === 0 ? "the create's, answer lost" : r.path))[0]).toBe(strayPath);
    return { created, stray: stray.body };
  }

  it("an org", async () => {
    const { created, stray } = await raceAStray("/v3/enterprise/organizations", "/v3beta1/enterprise/organizations", { name: "eng" }, () =>
      organization.create({ name: "eng" }),
    );
    expect(created.id).not.toBe(stray.org_id);
    const named = (await emu().call<{ items: { name: string }[] }>("GET", "/v3/enterprise/organizations")).body.items.filter(
      (o) => o.name === "eng",
    );
    expect(named).toHaveLength(2);
  });

  it.each([
    ["an org service user", true],
    ["an enterprise service user", false],
  ])("%s: neither taken over nor given a key", async (_kind, inOrg) => {
    const orgId = inOrg ? (await organization.create({ name: "home" })).id : undefined;
    const providerPath = orgId ? "/v3beta1/organizations/*/service-users" : "/v3beta1/enterprise/service-users";
    const strayPath = orgId ? `/v3/organizations/${orgId}/service-users` : "/v3/enterprise/service-users";
    // A longer-lived stray: expires_at minus our TTL would put its birth in the window.
    const { created, stray } = await raceAStray(
      providerPath,
      strayPath,
      { name: "bot", role_id: inOrg ? "org_member" : "account_member", ttl_seconds: 86_400 },
      () => serviceUser.create({ orgId, name: "bot", role: "Member", ttlSeconds: 3600 }),
    );
    const strayId = stray.service_user?.service_user_id as string;
    expect(created.id).not.toBe(strayId);
    expect(await works(stray.token as string)).toBe(true);
    expect(await activeKeys(strayId)).toHaveLength(1);
    expect(await works(((created as { outs?: ServiceUserOutputs }).outs as ServiceUserOutputs).apiKey)).toBe(true);
  });
});

describe("adoption", () => {
  it("an org: reads it, PATCHes only what differs, never POSTs", async () => {
    const existing = (
      await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "legacy", max_cycle_acu_limit: 10 })
    ).body.org_id;
    const m = await mark();
    const adopted = await organization.create({ name: "legacy", acuLimit: 20, adoptId: existing });
    expect(adopted.id).toBe(existing);
    expect(adopted.outs).toMatchObject({ acuLimit: 20, adoptId: existing });
    expect(await callsSince(emu(), m)).toEqual([
      `GET /enterprise/organizations/${existing}`,
      `PATCH /enterprise/organizations/${existing}`,
    ]);

    const same = await mark();
    await organization.create({ name: "legacy", acuLimit: 20, adoptId: existing });
    expect(await callsSince(emu(), same)).toEqual([`GET /enterprise/organizations/${existing}`]);
  });

  it("an org id that names nothing fails, saying to remove adoptId or correct it", async () => {
    await expect(organization.create({ name: "x", adoptId: "org-00000000000000000000000000000000" })).rejects.toThrow(
      "adoptId 'org-00000000000000000000000000000000' names no live object",
    );
  });

  it.each([
    ["none", 0, 1],
    ["issue", 1, 2],
    ["rotate", 1, 1],
  ] as const)("a service user with apiKeyOnAdopt %s: %i key issued, %i active afterwards", async (mode, issued, active) => {
    const orgId = (await organization.create({ name: "eng" })).id;
    const made = (
      await emu().call<{ service_user: SU; token: string }>("POST", `/v3beta1/organizations/${orgId}/service-users`, {
        name: "bot",
        role_id: "org_member",
        ttl_seconds: 600,
      })
    ).body;
    const id = made.service_user.service_user_id;
    const m = await mark();
    const adopted = await serviceUser.create({ orgId, name: "bot", role: "Admin", adoptId: id, apiKeyOnAdopt: mode });
    const outs = adopted.outs as ServiceUserOutputs;
    expect(outs).toMatchObject({ serviceUserId: id, roleId: "org_admin", adoptId: id, apiKeyOnAdopt: mode });
    expect((await callsSince(emu(), m)).filter((c) => c === `POST /enterprise/service-users/${id}/api-keys`)).toHaveLength(issued);
    expect(outs.apiKey === "").toBe(issued === 0);
    if (issued) expect(await works(outs.apiKey)).toBe(true);
    expect(await activeKeys(id)).toHaveLength(active);
    expect(await works(made.token)).toBe(mode !== "rotate");
    expect(await serviceUsersNamed("bot")).toHaveLength(1);
    // Adopted with its keys left alone, it wants no key: nothing to do on the next preview.
    if (mode === "none")
      expect(
        (await serviceUser.diff(id, outs, { orgId, name: "bot", role: "Admin", ttlSeconds: outs.ttlSeconds, adoptId: id })).changes,
      ).toBe(false);
  });

  it("a service user of another org, or with another name, is refused with the reason", async () => {
    const eng = (await organization.create({ name: "eng" })).id;
    const ops = (await organization.create({ name: "ops" })).id;
    const id = (
      await emu().call<{ service_user: SU }>("POST", `/v3beta1/organizations/${ops}/service-users`, {
        name: "bot",
        role_id: "org_member",
        ttl_seconds: 600,
      })
    ).body.service_user.service_user_id;
    await expect(serviceUser.create({ orgId: eng, name: "bot", role: "Member", adoptId: id })).rejects.toThrow(
      `cannot adopt ${id}: it is not a service user of ${eng}`,
    );
    await expect(serviceUser.create({ orgId: ops, name: "robot", role: "Member", adoptId: id })).rejects.toThrow(
      "it is named 'bot', and service users cannot be renamed",
    );
  });
});

describe("a create whose outcome is unknown", () => {
  it("says so when the lookup after a lost answer fails too, and the next create stops at the guard", async () => {
    process.env.DEVIN_RETRY_BUDGET_SECONDS = "1";
    await emu().faults([
      { kind: "commit-then-drop", method: "POST", path: "/v3/enterprise/organizations", times: 1 },
      // The guard's list before the POST goes through; every list after it fails.
      { kind: "server-error", method: "GET", path: "/v3/enterprise/organizations", status: 503, skip: 1 },
    ]);
    const err = (await organization.create({ name: "lost" }).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(
      /^create organization 'lost': the outcome is unknown, the Devin API may or may not have done it: the connection failed after the request was sent/,
    );
    expect(err.message).toContain(
      "looking for what it may have created failed too (create organization 'lost' failed: the Devin API answered 503",
    );
    expect(err.message).toContain("Run 'pulumi up' again when the API answers");

    await emu().faults([]);
    newRun();
    const m = await mark();
    const again = (await organization.create({ name: "lost" }).catch((e: Error) => e)) as Error;
    expect(again.message).toContain("already exists");
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/organizations"]);
  });
});

describe("when the API goes away mid-create", () => {
  it("the committed org is reported as an unknown outcome, never as a plain network error, and is not made twice", async () => {
    process.env.DEVIN_RETRY_BUDGET_SECONDS = "2";
    const stateDir = tempDir();
    const api = await startTestEmulator({ stateDir });
    configureFor(api);
    // The answer is held far longer than a busy machine needs to see the commit and stop the API: closing does not wait for it.
    await api.faults([{ kind: "commit-then-delay", method: "POST", path: "/v3/enterprise/organizations", latencyMs: 120_000 }]);
    const creating = organization.create({ name: "doomed" }).catch((e: Error) => e);
    for (let i = 0; i < 1000 && (await api.call<{ total: number }>("GET", "/v3/enterprise/organizations")).body.total === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await api.close();
    const err = (await creating) as Error;
    expect(err.message).toMatch(/^create organization 'doomed': the outcome is unknown, the Devin API may or may not have done it/);
    expect(err.message).toContain("looking for what it may have created failed too");

    const back = await startTestEmulator({ stateDir, token: api.token });
    try {
      configureFor(back);
      const again = (await organization.create({ name: "doomed" }).catch((e: Error) => e)) as Error;
      expect(again.message).toContain("already exists");
      expect(
        (await back.call<{ items: { name: string }[] }>("GET", "/v3/enterprise/organizations")).body.items.filter(
          (o) => o.name === "doomed",
        ),
      ).toHaveLength(1);
    } finally {
      await back.close();
    }
  });
});

describe("rate limits", () => {
  // The work is bound by the rate limit, not by the machine: CREATES requests and one guard list at RATE per second take
  // FLOOR seconds at best. On two busy cores one run took seven times that, so each call's time budget (which counts
  // from the create's start, queueing included) and the test's timeout are twenty times the floor. More creates than the
  // burst of RATE is what makes them contend; a few more do not test anything new.
  const CREATES = 16;
  const RATE = 2;
  const FLOOR = (CREATES + 1) / RATE;
  it(
    `a sustained ${RATE} requests per second does not fail ${CREATES} concurrent org creates, and each is made once`,
    async () => {
      process.env.DEVIN_RETRY_BUDGET_SECONDS = String(Math.max(90, 20 * FLOOR));
      await emu().call("PUT", "/_emulator/rate-limit", { requestsPerSecond: RATE }, null);
      const m = await mark();
      const created = await Promise.all(Array.from({ length: CREATES }, (_, i) => organization.create({ name: `rl-${i}` })));
      await emu().call("PUT", "/_emulator/rate-limit", { requestsPerSecond: null }, null);
      const log = (await emu().requests()).slice(m);
      // They did contend: the API refused some requests, and each refused create was sent again until it was made.
      expect(log.filter((r) => r.status === 429).length).toBeGreaterThan(0);
      expect(log.filter((r) => r.method === "POST" && r.status === 200)).toHaveLength(CREATES);
      expect(new Set(created.map((c) => c.id)).size).toBe(CREATES);
      const names = (await emu().call<{ items: { name: string }[] }>("GET", "/v3/enterprise/organizations?first=200")).body.items.map(
        (o) => o.name,
      );
      expect(names.sort()).toEqual(Array.from({ length: CREATES }, (_, i) => `rl-${i}`).sort());
    },
    1000 * (20 * FLOOR + 60),
  );
});

describe("the guard's list, once per run", () => {
  it("is read at the first create and shared by every create of the run; a stray from before the run is still refused", async () => {
    await emu().call("POST", "/v3/enterprise/organizations", { name: "stray" });
    newRun();
    const m = await mark();
    const created = await Promise.all(["a", "b", "c"].map((name) => organization.create({ name })));
    const bots = await Promise.all(created.map((o) => serviceUser.create({ orgId: o.id, name: "bot", role: "Member" })));
    const calls = await callsSince(emu(), m);
    expect(calls.filter((c) => c === "GET /enterprise/organizations")).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith("POST"))).toHaveLength(6);
    expect(calls.filter((c) => c.includes("/members/service-users"))).toEqual([]);
    expect(bots).toHaveLength(3);
    const err = (await organization.create({ name: "stray" }).catch((e: Error) => e)) as Error;
    expect(err.message).toContain("already exists");
    // An org this run created is in the run's list: a second create of its name is refused too.
    expect(((await organization.create({ name: "a" }).catch((e: Error) => e)) as Error).message).toContain("already exists");
  });
});
