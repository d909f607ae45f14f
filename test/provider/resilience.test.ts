import { describe, expect, it } from "vitest";
import { DevinClient } from "../../provider/impl/client";
import { organization } from "../../provider/impl/organization";
import { serviceUser } from "../../provider/impl/serviceUser";
import type { ServiceUserOutputs } from "../../provider/impl/serviceUser";
import { callsSince, useEmulator } from "../support/provider";

const { emu } = useEmulator();
const mark = async () => (await emu().requests()).length;
const orgCount = async (name: string) =>
  (await emu().call<{ items: { name: string }[] }>("GET", "/v3/enterprise/organizations?first=200")).body.items.filter(
    (o) => o.name === name,
  ).length;

describe("retries and reconciliation under faults", () => {
  it("waits out a 429 with Retry-After on create and makes exactly one org", async () => {
    await emu().faults([{ kind: "rate-limit", method: "POST", path: "/v3/enterprise/organizations", retryAfterSeconds: 1, times: 2 }]);
    const m = await mark();
    const t = Date.now();
    await organization.create({ name: "limited" });
    const elapsed = Date.now() - t;
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(await callsSince(emu(), m)).toEqual([
      "GET /enterprise/organizations",
      "POST /enterprise/organizations",
      "POST /enterprise/organizations",
      "POST /enterprise/organizations",
    ]);
    expect(await orgCount("limited")).toBe(1);
  });

  it("retries 502/503-style failures on reads", async () => {
    const created = await organization.create({ name: "flaky" });
    await emu().faults([{ kind: "server-error", method: "GET", path: "/v3/enterprise/organizations/*", status: 503, times: 2 }]);
    const read = await organization.read(created.id);
    expect(read.props?.name).toBe("flaky");
  });

  it.each([500, 503] as const)("reconciles a POST answered %i: not created, so it is sent again, once", async (status) => {
    await emu().faults([{ kind: "server-error", method: "POST", path: "/v3/enterprise/organizations", status, times: 1 }]);
    const m = await mark();
    const created = await organization.create({ name: "five-hundred" });
    expect(await callsSince(emu(), m)).toEqual([
      "GET /enterprise/organizations",
      "POST /enterprise/organizations",
      "GET /enterprise/organizations",
      "POST /enterprise/organizations",
    ]);
    expect(await orgCount("five-hundred")).toBe(1);
    expect(created.id).toMatch(/^org-/);
  });

  it("commit then drop on an org create: adopts the committed org, exactly one exists", async () => {
    await emu().faults([{ kind: "commit-then-drop", method: "POST", path: "/v3/enterprise/organizations", times: 1 }]);
    const m = await mark();
    const created = await organization.create({ name: "dropped", acuLimit: 5 });
    expect(await callsSince(emu(), m)).toEqual([
      "GET /enterprise/organizations",
      "POST /enterprise/organizations",
      "GET /enterprise/organizations",
    ]);
    expect(await orgCount("dropped")).toBe(1);
    expect(created.outs).toMatchObject({ name: "dropped", acuLimit: 5 });
  });

  it("drop before processing on an org create: nothing was made, so it is sent again, once", async () => {
    await emu().faults([{ kind: "drop", method: "POST", path: "/v3/enterprise/organizations", times: 1 }]);
    const m = await mark();
    await organization.create({ name: "cut" });
    // Looked for before it was sent again: a blind retry could have made two.
    expect(await callsSince(emu(), m)).toEqual([
      "GET /enterprise/organizations",
      "POST /enterprise/organizations",
      "GET /enterprise/organizations",
      "POST /enterprise/organizations",
    ]);
    expect(await orgCount("cut")).toBe(1);
  });

  it("commit then drop on a service-user create: adopts it with a fresh working key, exactly one exists", async () => {
    await emu().faults([{ kind: "commit-then-drop", method: "POST", path: "/v3beta1/enterprise/service-users", times: 1 }]);
    const created = await serviceUser.create({ name: "bot", role: "Member", ttlSeconds: 600 });
    const all = await emu().call<{ items: { name: string }[] }>("GET", "/v3/enterprise/members/service-users");
    expect(all.body.items.filter((s) => s.name === "bot")).toHaveLength(1);
    const key = (created.outs as ServiceUserOutputs).apiKey;
    expect((await emu().call("GET", "/v3/self", undefined, key)).status).toBe(200);
  });

  it("does not retry a PATCH that failed with a 503, and says so", async () => {
    const created = await organization.create({ name: "patchy" });
    await emu().faults([{ kind: "server-error", method: "PATCH", path: "/v3/**", status: 503 }]);
    const m = await mark();
    await expect(organization.update(created.id, created.outs as never, { name: "patchy", acuLimit: 3 })).rejects.toThrow(/answered 503/);
    expect(await callsSince(emu(), m)).toEqual([`PATCH /enterprise/organizations/${created.id}`]);
  });

  it("gives up within its bounds when the API keeps failing, naming operation and status", async () => {
    await emu().faults([{ kind: "server-error", method: "GET", path: "/v3/**", status: 503 }]);
    const client = new DevinClient(
      { baseUrl: emu().url, token: emu().token },
      { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, maxTotalMs: 5000, unreachableMs: 5000 },
    );
    const m = await mark();
    await expect(client.call({ method: "GET", path: "/v3/enterprise/roles" }, { operation: "list roles" })).rejects.toThrow(
      "list roles failed: the Devin API answered 503 after 3 attempts",
    );
    expect((await callsSince(emu(), m)).length).toBe(3);
  });

  it("stops waiting when Retry-After is beyond the time budget", async () => {
    await emu().faults([{ kind: "rate-limit", method: "GET", path: "/v3/**", retryAfterSeconds: 30 }]);
    const client = new DevinClient(
      { baseUrl: emu().url, token: emu().token },
      { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 50, maxTotalMs: 2000, unreachableMs: 2000 },
    );
    const m = await mark();
    await expect(client.call({ method: "GET", path: "/v3/enterprise/roles" }, { operation: "list roles" })).rejects.toThrow(
      /rate limited.*429/,
    );
    // It did not wait 30 s only to try again past its budget.
    expect(await callsSince(emu(), m)).toEqual(["GET /enterprise/roles"]);
  });

  it("keeps the emulator's per-token rate limit and still makes every org exactly once", async () => {
    await emu().call("PUT", "/_emulator/rate-limit", { requestsPerSecond: 5 }, null);
    const created = await Promise.all(Array.from({ length: 8 }, (_, i) => organization.create({ name: `burst-${i}` })));
    expect(new Set(created.map((c) => c.id)).size).toBe(8);
    const statuses = (await emu().requests()).map((r) => r.status);
    expect(statuses).toContain(429);
    await emu().call("PUT", "/_emulator/rate-limit", { requestsPerSecond: null }, null);
    for (let i = 0; i < 8; i++) expect(await orgCount(`burst-${i}`)).toBe(1);
  });
});

describe("concurrency", () => {
  it("keeps at most 8 requests in flight per process, however many operations run at once", async () => {
    // Each request held long enough that a busy machine still starts the next ones while it waits.
    await emu().faults([{ kind: "latency", method: "GET", path: "/v3/enterprise/roles", latencyMs: 500 }]);
    await emu().clearRequests();
    const client = new DevinClient({ baseUrl: emu().url, token: emu().token });
    await Promise.all(
      Array.from({ length: 24 }, () => client.call({ method: "GET", path: "/v3/enterprise/roles" }, { operation: "list roles" })),
    );
    const spans = (await emu().requests()).map((r) => [r.time, r.time + r.durationMs]);
    const maxOverlap = Math.max(...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length));
    expect(spans).toHaveLength(24);
    expect(maxOverlap).toBeLessThanOrEqual(8);
    expect(maxOverlap).toBeGreaterThanOrEqual(4);
  });
});

describe("network failures", () => {
  it("retries a connection refused, then names the unreachable URL without the token", async () => {
    const client = new DevinClient(
      { baseUrl: "http://127.0.0.1:9", token: "cog_secretsecret" },
      { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxTotalMs: 1000, unreachableMs: 1000 },
    );
    const err = (await client
      .call({ method: "POST", path: "/v3/enterprise/organizations", body: {} }, { operation: "create organization 'x'" })
      .catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/create organization 'x' failed: could not reach the Devin API at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED/);
    expect(err.message).toContain("after 2 attempts");
    expect(err.message).not.toContain("cog_secretsecret");
  });
});
