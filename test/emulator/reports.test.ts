import { describe, expect, it } from "vitest";
import { useTestEmulator } from "../support/emulator";

const emu = useTestEmulator();

const DAY = 86_400;

describe("audit logs", () => {
  it("filters by org, action, order and time window, and enforces the 100-day rule", async () => {
    const a = (await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "a" })).body.org_id;
    await emu().call("POST", "/v3/enterprise/organizations", { name: "b" });
    await emu().call("PATCH", `/v3/enterprise/organizations/${a}`, { name: "a2" });

    const desc = await emu().call<{ items: { action: string; created_at: number }[] }>("GET", "/v3/enterprise/audit-logs");
    expect(desc.body.items.map((l) => l.action)).toEqual(["update_org", "create_org", "create_org"]);
    const forA = await emu().call<{ items: unknown[] }>("GET", `/v3/enterprise/organizations/${a}/audit-logs`);
    expect(forA.body.items).toHaveLength(2);
    const creates = await emu().call<{ items: unknown[] }>("GET", "/v3/enterprise/audit-logs?action=create_org");
    expect(creates.body.items).toHaveLength(2);

    const now = desc.body.items[0].created_at;
    const future = await emu().call<{ items: unknown[] }>(
      "GET",
      `/v3/enterprise/audit-logs?time_after=${now + 10}&time_before=${now + 20}`,
    );
    expect(future.body.items).toHaveLength(0);
    expect((await emu().call("GET", `/v3/enterprise/audit-logs?time_before=${now}`)).status).toBe(422);
    expect((await emu().call("GET", `/v3/enterprise/audit-logs?time_after=0&time_before=${101 * DAY}`)).status).toBe(422);
    expect((await emu().call("GET", `/v3/enterprise/audit-logs?time_after=0&time_before=${100 * DAY}`)).status).toBe(200);
    expect((await emu().call("GET", "/v3/enterprise/audit-logs?action=not_an_action")).status).toBe(422);
  });
});

describe("daily consumption", () => {
  it("reports per day and per org in unix seconds, with missing products as 0", async () => {
    const org = (await emu().call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "a" })).body.org_id;
    const day = 20_420 * DAY + 8 * 3600; // a day start: 08:00 UTC is midnight PST
    await emu().call(
      "POST",
      "/_emulator/consumption",
      { records: [{ date: day, org_id: org, devin: 3, cascade: 1, terminal: 0, review: 0 }] },
      null,
    );
    const all = await emu().call<{
      total_acus: number;
      consumption_by_date: { date: number; acus: number; acus_by_product: Record<string, number> }[];
    }>("GET", `/v3/enterprise/consumption/daily?time_after=${day}&time_before=${day + 2 * DAY}`);
    expect(all.body.total_acus).toBe(4);
    expect(all.body.consumption_by_date).toEqual([
      { date: day, acus: 4, acus_by_product: { devin: 3, cascade: 1, terminal: 0, review: 0 } },
      { date: day + DAY, acus: 0, acus_by_product: { devin: 0, cascade: 0, terminal: 0, review: 0 } },
    ]);
    const one = await emu().call<{ total_acus: number }>(
      "GET",
      `/v3/enterprise/consumption/daily/organizations/${org}?time_after=${day}&time_before=${day + DAY}`,
    );
    expect(one.body.total_acus).toBe(4);
    expect((await emu().call("GET", "/v3/enterprise/consumption/daily/organizations/org-nope")).status).toBe(404);
  });
});
