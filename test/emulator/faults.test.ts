import { describe, expect, it } from "vitest";
import { useTestEmulator } from "../support/emulator";

const emu = useTestEmulator();

const ORGS = "/v3/enterprise/organizations";
const orgCount = async () => (await emu().call<{ total: number }>("GET", `${ORGS}?first=1`)).body.total;

describe("fault injection", () => {
  it("adds fixed latency to matching requests only", async () => {
    await emu().faults([{ kind: "latency", method: "GET", path: "/v3/enterprise/organizations", latencyMs: 1500 }]);
    const finished: string[] = [];
    const t = Date.now();
    const slow = emu()
      .call("GET", ORGS)
      .then(() => finished.push("organizations"));
    await emu()
      .call("GET", "/v3/enterprise/roles")
      .then(() => finished.push("roles"));
    await slow;
    expect(Date.now() - t).toBeGreaterThanOrEqual(1490);
    // Sent second, answered first: only the matching request waited.
    expect(finished).toEqual(["roles", "organizations"]);
  });

  it("answers 429 with Retry-After, at most `times` times, without applying the mutation", async () => {
    await emu().faults([{ kind: "rate-limit", method: "POST", path: "/v3*/enterprise/organizations", retryAfterSeconds: 2, times: 2 }]);
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await emu().call("POST", ORGS, { name: "r" });
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get("retry-after")).toBe("2");
    }
    expect(statuses).toEqual([429, 429, 200]);
    expect(await orgCount()).toBe(1);
  });

  it.each([500, 503] as const)("answers %i without applying the mutation", async (status) => {
    await emu().faults([{ kind: "server-error", path: "/v3/**", method: "POST", status }]);
    const res = await emu().call<{ status: number }>("POST", ORGS, { name: "e" });
    expect(res.status).toBe(status);
    expect(res.body.status).toBe(status);
    expect(await orgCount()).toBe(0);
  });

  it("drops the connection before processing: nothing is applied", async () => {
    await emu().faults([{ kind: "drop", method: "POST", path: ORGS, times: 1 }]);
    await expect(emu().call("POST", ORGS, { name: "d" })).rejects.toThrow();
    expect(await orgCount()).toBe(0);
    expect((await emu().requests()).find((r) => r.method === "POST")?.status).toBe(0);
  });

  it("commit then drop: the mutation is applied but the client gets no answer", async () => {
    await emu().faults([{ kind: "commit-then-drop", method: "POST", path: ORGS, times: 1 }]);
    await expect(emu().call("POST", ORGS, { name: "c" })).rejects.toThrow();
    expect(await orgCount()).toBe(1);
    expect((await emu().call("POST", ORGS, { name: "c2" })).status).toBe(200);
  });

  it("commit then delay: the mutation is visible before the slow answer arrives", async () => {
    // Held long enough that the polling below, slowed by a busy machine, sees the commit before the answer.
    await emu().faults([{ kind: "commit-then-delay", method: "POST", path: ORGS, latencyMs: 5000, times: 1 }]);
    let answered = false;
    const pending = emu()
      .call("POST", ORGS, { name: "slow" })
      .then((res) => ((answered = true), res));
    while ((await orgCount()) === 0) expect(answered).toBe(false);
    expect(answered).toBe(false);
    expect((await pending).status).toBe(200);
  });

  it("fires by probability", async () => {
    await emu().faults([{ kind: "server-error", method: "GET", path: "/v3/enterprise/roles", probability: 0.5 }]);
    const results = await Promise.all(Array.from({ length: 200 }, () => emu().call("GET", "/v3/enterprise/roles")));
    const failed = results.filter((r) => r.status === 500).length;
    expect(failed).toBeGreaterThan(50);
    expect(failed).toBeLessThan(150);
    await emu().faults([{ kind: "server-error", method: "GET", path: "/v3/enterprise/roles", probability: 0 }]);
    expect((await emu().call("GET", "/v3/enterprise/roles")).status).toBe(200);
  });

  it("rate-limits per token with Retry-After", async () => {
    const su = (
      await emu().call<{ token: string }>("POST", "/v3beta1/enterprise/service-users", {
        name: "other",
        role_id: "account_member",
        ttl_seconds: 600,
      })
    ).body;
    // One request per second, and a burst of one: a second request right after the first must wait.
    await emu().call("PUT", "/_emulator/rate-limit", { requestsPerSecond: 1 }, null);
    expect((await emu().call("GET", "/v3/self")).status).toBe(200);
    const limited = await emu().call("GET", "/v3/self");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another credential has its own budget.
    expect((await emu().call("GET", "/v3/self", undefined, su.token)).status).toBe(200);
  });
});

describe("request log", () => {
  it("records method, path, status and time of API requests, not control-plane calls", async () => {
    await emu().clearRequests();
    await emu().call("GET", ORGS);
    await emu().call("GET", "/v3/enterprise/organizations/org-missing");
    const log = await emu().requests();
    expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /v3/enterprise/organizations 200",
      "GET /v3/enterprise/organizations/org-missing 404",
    ]);
    expect(log[0].time).toBeGreaterThan(1_700_000_000_000);
  });

  it("is off unless enabled", async () => {
    const { startEmulator } = await import("../../emulator/server");
    const plain = await startEmulator({ port: 0 });
    try {
      expect((await fetch(`${plain.url}/_emulator/requests`)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
