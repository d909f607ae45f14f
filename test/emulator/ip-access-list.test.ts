import { describe, expect, it } from "vitest";
import { expectEach, useTestEmulator, type AuditEntry, type Problem } from "../support/emulator";

const emu = useTestEmulator();

type Ranges = { ip_ranges: string[] };

const LIST = "/v3/enterprise/ip-access-list";
const ORGS = "/v3/enterprise/organizations";

describe("IP access list", () => {
  it("is empty at first; POST appends, PUT replaces, DELETE clears, each answering the resulting list", async () => {
    expect((await emu().call<Ranges>("GET", LIST)).body).toEqual({ ip_ranges: [] });
    const added = await emu().call<Ranges>("POST", LIST, { ip_ranges: ["127.0.0.1", "203.0.113.7/24"] });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ ip_ranges: ["127.0.0.1/32", "203.0.113.0/24"] });
    const more = await emu().call<Ranges>("POST", "/v3beta1/enterprise/ip-access-list", {
      ip_ranges: ["203.0.113.99/24", "2001:DB8::1/48"],
    });
    expect(more.body).toEqual({ ip_ranges: ["127.0.0.1/32", "203.0.113.0/24", "2001:db8::/48"] });

    const replaced = await emu().call<Ranges>("PUT", LIST, { ip_ranges: ["10.0.0.0/8", "127.0.0.0/8", "10.9.9.9/8"] });
    expect(replaced.body).toEqual({ ip_ranges: ["10.0.0.0/8", "127.0.0.0/8"] });
    expect((await emu().call<Ranges>("GET", LIST)).body).toEqual(replaced.body);

    const cleared = await emu().call<Ranges>("DELETE", LIST);
    expect(cleared.body).toEqual({ ip_ranges: [] });

    const logs: AuditEntry[] = await emu().auditLog("update_enterprise_settings");
    expect(logs.map((l) => [l.data.operation, (l.data.ip_ranges as string[]).length])).toEqual([
      ["add", 2],
      ["add", 3],
      ["replace", 2],
      ["clear", 0],
    ]);
  });

  it("rejects invalid entries with a 422 naming each, and changes nothing", async () => {
    await emu().call("PUT", LIST, { ip_ranges: ["127.0.0.1"] });
    const res = await emu().call<Problem>("POST", LIST, { ip_ranges: ["10.0.0.0/8", "10.0.0.300", "1.2.3.4/33"] });
    expect(res.status).toBe(422);
    expect(res.body.errors?.map((e) => e.loc)).toEqual([
      ["body", "ip_ranges", 1],
      ["body", "ip_ranges", 2],
    ]);
    expect(res.body.detail).toContain("'10.0.0.300'");
    expect(res.body.detail).toContain("'1.2.3.4/33'");
    for (const body of [{}, { ip_ranges: "127.0.0.1" }, { ip_ranges: [5] }]) {
      expect((await emu().call("PUT", LIST, body)).status, JSON.stringify(body)).toBe(422);
    }
    expect((await emu().call<Ranges>("GET", LIST)).body).toEqual({ ip_ranges: ["127.0.0.1/32"] });
  });

  it("enforces a non-empty list on the very next request: 401 from outside, whatever the token", async () => {
    await emu().call("PUT", LIST, { ip_ranges: ["203.0.113.0/24", "127.0.0.1"] });
    expect((await emu().callFrom("203.0.113.50", "GET", ORGS)).status).toBe(200);
    expect((await emu().call("GET", ORGS)).status).toBe(200);

    const outside = await emu().callFrom<Problem>("198.51.100.1", "GET", ORGS);
    expect(outside.status).toBe(401);
    expect(outside.body.detail).toContain("198.51.100.1");
    expect(outside.body.detail).toContain("not allowed");
    // Before authentication: no token, a bad token, an unknown path all get the same 401.
    expect((await emu().callFrom("198.51.100.1", "GET", ORGS, undefined, null)).status).toBe(401);
    expect((await emu().callFrom<Problem>("198.51.100.1", "GET", "/v3/enterprise/nothing")).status).toBe(401);
    expect((await emu().callFrom("198.51.100.1", "GET", "/v3/self")).status).toBe(401);
    // Nothing is applied from outside.
    expect((await emu().callFrom("198.51.100.1", "POST", ORGS, { name: "x" })).status).toBe(401);
    expect((await emu().call<{ total: number }>("GET", ORGS)).body.total).toBe(0);
    // IPv6 clients are matched against IPv6 ranges.
    expect((await emu().callFrom("2001:db8::1", "GET", ORGS)).status).toBe(401);
    await emu().call("POST", LIST, { ip_ranges: ["2001:db8::/32"] });
    expect((await emu().callFrom("2001:db8::1", "GET", ORGS)).status).toBe(200);
  });

  it("locks out the caller that removes its own address, which the enforcement switch and reset undo", async () => {
    const locking = await emu().call<Ranges>("PUT", LIST, { ip_ranges: ["203.0.113.0/24"] });
    expect(locking.status).toBe(200);
    expect((await emu().call("GET", LIST)).status).toBe(401);

    // The control plane is never blocked, so a harness can switch enforcement off and repair the list.
    await emu().ipAccessListEnforcement(false);
    expect((await emu().callFrom("198.51.100.1", "GET", ORGS)).status).toBe(200);
    expect((await emu().call<Ranges>("GET", LIST)).body).toEqual({ ip_ranges: ["203.0.113.0/24"] });
    await emu().ipAccessListEnforcement(true);
    expect((await emu().call("GET", ORGS)).status).toBe(401);

    await emu().reset();
    expect((await emu().call<Ranges>("GET", LIST)).body).toEqual({ ip_ranges: [] });
    const enforcement = await emu().call<{ enabled: boolean }>("GET", "/_emulator/ip-access-list/enforcement", undefined, null);
    expect(enforcement.body).toEqual({ enabled: true });
  });

  it("answers 400 for a client-address header that is not an address", async () => {
    await emu().call("PUT", LIST, { ip_ranges: ["127.0.0.1"] });
    const res = await emu().callFrom<Problem>("localhost", "GET", ORGS);
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain("x-emulator-client-ip");
  });

  it("ignores the client-address header when the control plane is off", async () => {
    const { startEmulator } = await import("../../emulator/server");
    const plain = await startEmulator({ port: 0 });
    try {
      const headers = { authorization: `Bearer ${plain.token}`, "content-type": "application/json" };
      const put = await fetch(`${plain.url}${LIST}`, { method: "PUT", headers, body: JSON.stringify({ ip_ranges: ["127.0.0.1/32"] }) });
      expect(put.status).toBe(200);
      const spoofed = await fetch(`${plain.url}${ORGS}`, { headers: { ...headers, "x-emulator-client-ip": "198.51.100.1" } });
      expect(spoofed.status).toBe(200);
    } finally {
      await plain.close();
    }
  });

  it("needs ManageEnterpriseSettings (403) and a valid token (401)", async () => {
    const member = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    const calls = [
      ["GET", LIST],
      ["POST", LIST, { ip_ranges: ["10.0.0.0/8"] }],
      ["PUT", LIST, { ip_ranges: ["10.0.0.0/8"] }],
      ["DELETE", LIST],
    ] as const;
    await expectEach(emu(), calls, member.token, 403, "ManageEnterpriseSettings");
    await expectEach(emu(), calls, null, 401);
  });
});
