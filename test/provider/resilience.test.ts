import { describe, expect, it } from "vitest";
import http from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { DevinClient, networkCause, type RetryPolicy } from "../../provider/impl/client";
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

  it("retries a PATCH answered 503: it sets values, so sending it again is safe", async () => {
    const created = await organization.create({ name: "patchy" });
    await emu().faults([{ kind: "server-error", method: "PATCH", path: "/v3/**", status: 503, times: 1 }]);
    const m = await mark();
    const updated = await organization.update(created.id, created.outs as never, { name: "patchy", acuLimit: 3 });
    expect(await callsSince(emu(), m)).toEqual([
      `PATCH /enterprise/organizations/${created.id}`,
      `PATCH /enterprise/organizations/${created.id}`,
    ]);
    expect(updated.outs).toMatchObject({ acuLimit: 3 });
  });

  it("retries a PATCH whose connection was cut after the API applied it, and the update succeeds", async () => {
    const created = await organization.create({ name: "cut-patch" });
    await emu().faults([{ kind: "commit-then-drop", method: "PATCH", path: "/v3/**", times: 1 }]);
    const m = await mark();
    const updated = await organization.update(created.id, created.outs as never, { name: "cut-patch", acuLimit: 4 });
    expect(await callsSince(emu(), m)).toEqual([
      `PATCH /enterprise/organizations/${created.id}`,
      `PATCH /enterprise/organizations/${created.id}`,
    ]);
    expect(updated.outs).toMatchObject({ acuLimit: 4 });
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
  const quick: RetryPolicy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 20, maxTotalMs: 5000, unreachableMs: 5000 };
  const failure = (client: DevinClient, method: "GET" | "POST" | "PATCH" = "GET") =>
    client
      .call({ method, path: "/v3/enterprise/organizations", body: method === "GET" ? undefined : {} }, { operation: "list organizations" })
      .catch((e: Error) => e) as Promise<Error>;

  it("retries a connection refused, then says nothing accepts connections there, naming devin:apiUrl, without the token", async () => {
    const client = new DevinClient({ baseUrl: "http://127.0.0.1:9", token: "cog_secretsecret" }, { ...quick, maxAttempts: 2 });
    const err = await failure(client, "POST");
    expect(err.message).toMatch(
      /list organizations failed: nothing accepts connections at http:\/\/127\.0\.0\.1:9 \(connection refused after 2 attempts\)/,
    );
    expect(err.message).toContain("Check devin:apiUrl (or DEVIN_API_URL)");
    expect(err.message).not.toContain("cog_secretsecret");
  });

  it("does not retry https:// to a plain-HTTP port, and says to use http:// for a local emulator", async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections += 1;
      socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const err = await failure(new DevinClient({ baseUrl: `https://127.0.0.1:${port}`, token: "cog_x" }, quick));
      expect(err.message).toBe(
        `list organizations failed: https://127.0.0.1:${port} is an https:// URL, but the server there speaks plain HTTP ` +
          "(TLS: ERR_SSL_WRONG_VERSION_NUMBER). Use http:// in devin:apiUrl (or DEVIN_API_URL) for a local emulator, or the " +
          "Devin API's https URL, e.g. https://api.devin.ai.",
      );
      expect(connections).toBe(1);
    } finally {
      server.close();
    }
  });

  it.each([
    ["ENOTFOUND", "dns"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "tls"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "tls"],
    ["ECONNREFUSED", "refused"],
    ["UND_ERR_CONNECT_TIMEOUT", "unreachable"],
    ["UND_ERR_HEADERS_TIMEOUT", "timeout"],
    ["ECONNRESET", "cut"],
    ["UND_ERR_SOCKET", "cut"],
  ])("reads %s as %s", (code, cause) => {
    expect(networkCause(code)).toBe(cause);
  });

  it("says a GET cut mid-flight on an answering API was cut, not that the API could not be reached", async () => {
    await emu().faults([{ kind: "drop", method: "GET", path: "/v3/enterprise/organizations" }]);
    const m = await mark();
    const err = await failure(new DevinClient({ baseUrl: emu().url, token: emu().token }, { ...quick, maxAttempts: 3 }));
    expect(err.message).toMatch(
      new RegExp(
        `^list organizations failed: the connection to the Devin API at ${emu().url} was cut before it answered \\(\\w+: .* after 3 attempts\\)\\.`,
      ),
    );
    expect(err.message).not.toContain("could not reach");
    expect(await callsSince(emu(), m)).toHaveLength(3);
  });
});

describe("a URL with no Devin API behind it", () => {
  it("fails a read that accepts a 404 when the 404 is an HTML page, naming devin:apiUrl, instead of reading it as deleted", async () => {
    const server = http.createServer((_req, res) =>
      res.writeHead(404, { "content-type": "text/html" }).end("<html><body>Not Found</body></html>"),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const client = new DevinClient({ baseUrl: `http://127.0.0.1:${port}`, token: "cog_x" });
      const err = (await client
        .call({ method: "GET", path: "/v3/enterprise/organizations/org-1" }, { operation: "read organization org-1", allow: [404] })
        .catch((e: Error) => e)) as Error;
      expect(err.message).toBe(
        `read organization org-1 failed: http://127.0.0.1:${port} answers, but not as the Devin API (GET /v3/enterprise/organizations/org-1: 404, an HTML page). ` +
          "Check devin:apiUrl (or DEVIN_API_URL): it is the API's base URL, e.g. https://api.devin.ai, or http://127.0.0.1:<port> for the emulator, with no other path (such as /v2).",
      );
    } finally {
      server.close();
    }
  });
});
