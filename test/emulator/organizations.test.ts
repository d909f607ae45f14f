import { describe, expect, it } from "vitest";
import { useTestEmulator } from "../support/emulator";

const emu = useTestEmulator();

type Org = {
  org_id: string;
  name: string;
  max_cycle_acu_limit: number | null;
  max_session_acu_limit: number | null;
  created_at: number;
  updated_at: number;
};

describe("organizations", () => {
  it.each(["/v3", "/v3beta1"])("lists an empty enterprise under %s", async (prefix) => {
    const res = await emu().call("GET", `${prefix}/enterprise/organizations`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], end_cursor: null, has_next_page: false });
  });

  it("creates with 200, fills the session default, leaves the cycle limit null and ignores unknown fields", async () => {
    const res = await emu().call<Org>("POST", "/v3/enterprise/organizations", { name: "eng", acu_limit: 500 });
    expect(res.status).toBe(200);
    expect(res.body.org_id).toMatch(/^org-[0-9a-f]{32}$/);
    expect(res.body).toMatchObject({ name: "eng", max_cycle_acu_limit: null, max_session_acu_limit: 50 });
    expect(Number.isInteger(res.body.created_at)).toBe(true);
    expect(res.body.created_at).toBeLessThan(10_000_000_000); // seconds, not milliseconds
    expect(res.body).not.toHaveProperty("acu_limit");
    expect(res.body).not.toHaveProperty("id");
  });

  it("gets, merge-patches (explicit null clears the cycle limit) and deletes with the deleted body", async () => {
    const { body: org } = await emu().call<Org>("POST", "/v3/enterprise/organizations", { name: "eng", max_cycle_acu_limit: 100 });
    expect((await emu().call<Org>("GET", `/v3/enterprise/organizations/${org.org_id}`)).body).toEqual(org);

    const renamed = await emu().call<Org>("PATCH", `/v3/enterprise/organizations/${org.org_id}`, { name: "platform" });
    expect(renamed.body).toMatchObject({ name: "platform", max_cycle_acu_limit: 100 });

    const cleared = await emu().call<Org>("PATCH", `/v3/enterprise/organizations/${org.org_id}`, { max_cycle_acu_limit: null });
    expect(cleared.body).toMatchObject({ name: "platform", max_cycle_acu_limit: null, max_session_acu_limit: 50 });

    const deleted = await emu().call<Org>("DELETE", `/v3/enterprise/organizations/${org.org_id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.org_id).toBe(org.org_id);
    expect((await emu().call("GET", `/v3/enterprise/organizations/${org.org_id}`)).status).toBe(404);
    expect((await emu().call("DELETE", `/v3/enterprise/organizations/${org.org_id}`)).status).toBe(404);
    expect((await emu().call("PATCH", `/v3/enterprise/organizations/${org.org_id}`, { name: "x" })).status).toBe(404);
  });

  it("answers 404 for an unknown id and allows repeated names", async () => {
    expect((await emu().call("GET", "/v3/enterprise/organizations/org-00000000000000000000000000000000")).status).toBe(404);
    await emu().call("POST", "/v3/enterprise/organizations", { name: "same" });
    const second = await emu().call("POST", "/v3/enterprise/organizations", { name: "same" });
    expect(second.status).toBe(200);
    const list = await emu().call<{ items: Org[] }>("GET", "/v3/enterprise/organizations");
    expect(list.body.items.filter((o) => o.name === "same")).toHaveLength(2);
  });

  it("rejects bad input with a 422 ProblemDetail naming each field", async () => {
    const res = await emu().call<{ status: number; title: string; detail: string; errors: { loc: string[] }[] }>(
      "POST",
      "/v3/enterprise/organizations",
      { name: "", max_cycle_acu_limit: -1, max_session_acu_limit: "ten" },
    );
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body.title).toBe("Unprocessable Entity");
    expect(typeof res.body.detail).toBe("string");
    expect(res.body.errors.map((e) => e.loc.join("."))).toEqual(
      expect.arrayContaining(["body.name", "body.max_cycle_acu_limit", "body.max_session_acu_limit"]),
    );
    expect((await emu().call("POST", "/v3/enterprise/organizations", {})).body).toMatchObject({ errors: [{ loc: ["body", "name"] }] });
    expect((await emu().call("POST", "/v3/enterprise/organizations")).status).toBe(422);
  });

  it("records every mutation in the audit log with its actor", async () => {
    const { body: org } = await emu().call<Org>("POST", "/v3/enterprise/organizations", { name: "audited" });
    await emu().call("PATCH", `/v3/enterprise/organizations/${org.org_id}`, { max_cycle_acu_limit: 7 });
    await emu().call("DELETE", `/v3/enterprise/organizations/${org.org_id}`);
    const logs = await emu().call<{ items: { action: string; org_id: string; service_user_id: string }[] }>(
      "GET",
      "/v3/enterprise/audit-logs?order=asc",
    );
    expect(logs.body.items.map((l) => l.action)).toEqual(["create_org", "update_org", "delete_org"]);
    expect(logs.body.items.every((l) => l.service_user_id === emu().adminServiceUserId && l.org_id === org.org_id)).toBe(true);
  });
});

describe("org-level Devin ACU limits share the org's cycle limit", () => {
  it("PUT and DELETE answer 204 and show in the org and in the list", async () => {
    const { body: org } = await emu().call<Org>("POST", "/v3/enterprise/organizations", { name: "billing" });
    const path = `/v3/enterprise/consumption/acu-limits/devin/organizations/${org.org_id}`;
    const put = await emu().call("PUT", path, { cycle_acu_limit: 250 });
    expect(put.status).toBe(204);
    expect((await emu().call<Org>("GET", `/v3/enterprise/organizations/${org.org_id}`)).body.max_cycle_acu_limit).toBe(250);
    const list = await emu().call("GET", "/v3/enterprise/consumption/acu-limits/devin");
    expect(list.body).toMatchObject({ items: [{ cycle_acu_limit: 250, scope: "org", org_id: org.org_id, user_id: null }] });

    await emu().call("PATCH", `/v3/enterprise/organizations/${org.org_id}`, { max_cycle_acu_limit: 10 });
    expect((await emu().call("GET", "/v3/enterprise/consumption/acu-limits/devin")).body).toMatchObject({
      items: [{ cycle_acu_limit: 10 }],
    });

    expect((await emu().call("DELETE", path)).status).toBe(204);
    expect((await emu().call<Org>("GET", `/v3/enterprise/organizations/${org.org_id}`)).body.max_cycle_acu_limit).toBeNull();
    expect((await emu().call("DELETE", path)).status).toBe(204);
    expect((await emu().call("PUT", path, { cycle_acu_limit: -5 })).status).toBe(422);
    expect(
      (await emu().call("PUT", "/v3/enterprise/consumption/acu-limits/devin/organizations/org-nope", { cycle_acu_limit: 1 })).status,
    ).toBe(404);
  });
});
