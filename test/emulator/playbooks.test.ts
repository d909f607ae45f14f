import { describe, expect, it } from "vitest";
import { expectEach, useTestEmulator, type Page, type Problem } from "../support/emulator";

const emu = useTestEmulator();

type Playbook = {
  playbook_id: string;
  title: string;
  body: string;
  macro: string | null;
  created_by: string;
  updated_by: string;
  created_at: number;
  updated_at: number;
  access_type: "enterprise" | "org";
  org_id: string | null;
  structured_output_schema: Record<string, unknown> | null;
};

const ENTERPRISE = "/v3/enterprise/playbooks";
const inOrg = (orgId: string) => `/v3/organizations/${orgId}/playbooks`;
const newOrg = (name?: string) => emu().newOrg(name);
const OUTPUT = { type: "object", properties: { summary: { type: "string" } }, required: ["summary"] };

describe("enterprise and org playbooks", () => {
  it("creates, reads, lists, updates and deletes an enterprise playbook", async () => {
    const created = await emu().call<Playbook>("POST", ENTERPRISE, { title: "Triage", body: "Read the issue.", macro: "!triage" });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      playbook_id: expect.stringMatching(/^playbook-[0-9a-f]{32}$/),
      title: "Triage",
      body: "Read the issue.",
      macro: "!triage",
      created_by: emu().adminServiceUserId,
      updated_by: emu().adminServiceUserId,
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
      access_type: "enterprise",
      org_id: null,
      structured_output_schema: null,
    });
    const path = `${ENTERPRISE}/${created.body.playbook_id}`;
    expect((await emu().call<Playbook>("GET", path)).body).toEqual(created.body);
    expect((await emu().call<Page<Playbook>>("GET", ENTERPRISE)).body).toEqual({
      items: [created.body],
      end_cursor: null,
      has_next_page: false,
      total: 1,
    });

    const updated = await emu().call<Playbook>("PUT", path, {
      title: "Triage v2",
      body: "Read it twice.",
      structured_output_schema: OUTPUT,
    });
    expect(updated.body).toEqual({
      ...created.body,
      title: "Triage v2",
      body: "Read it twice.",
      structured_output_schema: OUTPUT,
      updated_at: expect.any(Number),
    });
    expect(updated.body.updated_at).toBeGreaterThanOrEqual(created.body.updated_at);
    expect((await emu().call<Playbook>("GET", `/v3beta1/enterprise/playbooks/${created.body.playbook_id}`)).body).toEqual(updated.body);

    const removed = await emu().call<Playbook>("DELETE", path);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual(updated.body);
    expect((await emu().call("GET", path)).status).toBe(404);
    expect((await emu().call("DELETE", path)).status).toBe(404);
    expect((await emu().call("PUT", path, { title: "t", body: "b" })).status).toBe(404);

    const logs = (await emu().auditLog()).filter((l) => l.action.endsWith("_playbook"));
    expect(logs.map((l) => [l.action, l.org_id, l.data.playbook_id])).toEqual([
      ["create_playbook", null, created.body.playbook_id],
      ["update_playbook", null, created.body.playbook_id],
      ["delete_playbook", null, created.body.playbook_id],
    ]);
    expect(logs[1].data).toEqual({ playbook_id: created.body.playbook_id, title: "Triage v2", macro: "!triage" });
  });

  it("PUT keeps an omitted macro and output schema, clears an explicit null, and needs title and body", async () => {
    const orgId = await newOrg();
    const created = await emu().call<Playbook>("POST", inOrg(orgId), {
      title: "Deploy",
      body: "Ship it.",
      macro: "!deploy",
      structured_output_schema: OUTPUT,
    });
    const path = `${inOrg(orgId)}/${created.body.playbook_id}`;

    const kept = await emu().call<Playbook>("PUT", path, { title: "Deploy", body: "Ship it carefully." });
    expect(kept.body).toMatchObject({ body: "Ship it carefully.", macro: "!deploy", structured_output_schema: OUTPUT });

    const cleared = await emu().call<Playbook>("PUT", path, {
      title: "Deploy",
      body: "Ship it.",
      macro: null,
      structured_output_schema: null,
    });
    expect(cleared.body).toMatchObject({ macro: null, structured_output_schema: null });
    expect((await emu().call<Playbook>("GET", path)).body).toEqual(cleared.body);

    for (const body of [{ body: "x" }, { title: "x" }, { title: "", body: "x" }]) {
      expect((await emu().call("PUT", path, body)).status, JSON.stringify(body)).toBe(422);
    }
  });

  it("keeps org playbooks in their org; the enterprise list and GET span every org, its PUT and DELETE do not", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    const enterprise = (await emu().call<Playbook>("POST", ENTERPRISE, { title: "E", body: "e" })).body;
    const mine = await emu().call<Playbook>("POST", inOrg(orgId), { title: "O", body: "o" });
    expect(mine.body).toMatchObject({ access_type: "org", org_id: orgId });
    const theirs = (await emu().call<Playbook>("POST", inOrg(other), { title: "T", body: "t" })).body;

    expect((await emu().call<Page<Playbook>>("GET", inOrg(orgId))).body.items).toEqual([mine.body]);
    expect((await emu().call<Page<Playbook>>("GET", ENTERPRISE)).body.items.map((p) => p.title)).toEqual(["E", "O", "T"]);
    expect((await emu().call<Playbook>("GET", `${ENTERPRISE}/${mine.body.playbook_id}`)).body).toEqual(mine.body);

    // Another org's playbook, and an enterprise one, are not found through an org path.
    expect((await emu().call("GET", `${inOrg(orgId)}/${theirs.playbook_id}`)).status).toBe(404);
    expect((await emu().call("GET", `${inOrg(orgId)}/${enterprise.playbook_id}`)).status).toBe(404);
    expect((await emu().call("DELETE", `${inOrg(orgId)}/${theirs.playbook_id}`)).status).toBe(404);
    const viaEnterprise = await emu().call<Problem>("PUT", `${ENTERPRISE}/${mine.body.playbook_id}`, { title: "x", body: "y" });
    expect(viaEnterprise.status).toBe(404);
    expect(viaEnterprise.body.detail).toContain(`/v3/organizations/${orgId}/playbooks/`);
    expect((await emu().call("DELETE", `${ENTERPRISE}/${mine.body.playbook_id}`)).status).toBe(404);

    const removed = await emu().call<Playbook>("DELETE", `${inOrg(orgId)}/${mine.body.playbook_id}`);
    expect(removed.body).toEqual(mine.body);
    const logs = (await emu().auditLog()).filter((l) => l.action.endsWith("_playbook") && l.org_id === orgId);
    expect(logs.map((l) => l.action)).toEqual(["create_playbook", "delete_playbook"]);
  });

  it("refuses a macro that another playbook of the same scope uses (409), and allows it in another scope", async () => {
    const orgId = await newOrg();
    const first = (await emu().call<Playbook>("POST", inOrg(orgId), { title: "A", body: "a", macro: "!go" })).body;
    const clash = await emu().call<Problem>("POST", inOrg(orgId), { title: "B", body: "b", macro: "!go" });
    expect(clash.status).toBe(409);
    expect(clash.body.detail).toContain(first.playbook_id);
    expect((await emu().call("POST", ENTERPRISE, { title: "E", body: "e", macro: "!go" })).status).toBe(200);
    const second = (await emu().call<Playbook>("POST", inOrg(orgId), { title: "B", body: "b", macro: "!go-2" })).body;
    expect((await emu().call("PUT", `${inOrg(orgId)}/${second.playbook_id}`, { title: "B", body: "b", macro: "!go" })).status).toBe(409);
    // A playbook keeps its own macro on PUT.
    expect((await emu().call("PUT", `${inOrg(orgId)}/${first.playbook_id}`, { title: "A", body: "a", macro: "!go" })).status).toBe(200);
  });

  it.each([
    ["a macro without '!'", "body.macro", { title: "t", body: "b", macro: "not-a-macro" }],
    ["a macro with a space", "body.macro", { title: "t", body: "b", macro: "!two words" }],
    ["a bare '!'", "body.macro", { title: "t", body: "b", macro: "!" }],
    ["no title", "body.title", { body: "b" }],
    ["an empty body", "body.body", { title: "t", body: "" }],
    ["a non-object output schema", "body.structured_output_schema", { title: "t", body: "b", structured_output_schema: "{}" }],
    ["an invalid JSON Schema", "body.structured_output_schema", { title: "t", body: "b", structured_output_schema: { type: 5 } }],
    [
      "a schema of another draft",
      "body.structured_output_schema",
      { title: "t", body: "b", structured_output_schema: { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object" } },
    ],
    [
      "an external $ref",
      "body.structured_output_schema",
      { title: "t", body: "b", structured_output_schema: { properties: { a: { $ref: "https://example.com/s.json" } } } },
    ],
    [
      "an output schema over 64 KB",
      "body.structured_output_schema",
      { title: "t", body: "b", structured_output_schema: { description: "x".repeat(70_000) } },
    ],
  ])("rejects %s with a 422 on %s", async (_what, field, body) => {
    const res = await emu().call<Problem>("POST", ENTERPRISE, body);
    expect(res.status).toBe(422);
    expect(res.body.errors?.map((e) => e.loc.join("."))).toContain(field);
    if (field === "body.macro") expect(res.body.detail).toContain("macro");
  });

  it("accepts a self-contained output schema with local $refs", async () => {
    const schema = { definitions: { s: { type: "string" } }, type: "object", properties: { a: { $ref: "#/definitions/s" } } };
    const res = await emu().call<Playbook>("POST", ENTERPRISE, { title: "t", body: "b", structured_output_schema: schema });
    expect(res.body.structured_output_schema).toEqual(schema);
  });

  it("answers 404 for every playbook call in a deleted org, and forgets its playbooks everywhere", async () => {
    const orgId = await newOrg();
    const playbook = (await emu().call<Playbook>("POST", inOrg(orgId), { title: "O", body: "o" })).body;
    await emu().call("DELETE", `/v3/enterprise/organizations/${orgId}`);
    const one = `${inOrg(orgId)}/${playbook.playbook_id}`;
    const calls = [
      ["GET", inOrg(orgId)],
      ["POST", inOrg(orgId), { title: "x", body: "y" }],
      ["GET", one],
      ["PUT", one, { title: "x", body: "y" }],
      ["DELETE", one],
      ["GET", `${ENTERPRISE}/${playbook.playbook_id}`],
      ["GET", inOrg("org-missing")],
    ] as const;
    await expectEach(emu(), calls, emu().token, 404);
    expect((await emu().call<Page<Playbook>>("GET", ENTERPRISE)).body.items).toEqual([]);
  });

  it("lets an org Admin manage its own org's playbooks, also with the org id left out, and nowhere else", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    const orgAdmin = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_admin");
    const created = await emu().call<Playbook>("POST", "/v3/organizations/playbooks", { title: "Mine", body: "m" }, orgAdmin.token);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ org_id: orgId, access_type: "org", created_by: orgAdmin.service_user.service_user_id });
    expect((await emu().call<Page<Playbook>>("GET", inOrg(orgId), undefined, orgAdmin.token)).body.total).toBe(1);
    expect(
      (await emu().call("PUT", `/v3/organizations/playbooks/${created.body.playbook_id}`, { title: "M", body: "m" }, orgAdmin.token))
        .status,
    ).toBe(200);

    const elsewhere = await emu().call<Problem>("GET", inOrg(other), undefined, orgAdmin.token);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.detail).toContain(`ManageAccountPlaybooks in ${other}`);
    await expectEach(emu(), [["GET", ENTERPRISE]], orgAdmin.token, 403, "ManageAccountPlaybooks");
  });

  it("needs ManageAccountPlaybooks (403 for an enterprise Member and an org Member) and a token (401)", async () => {
    const orgId = await newOrg();
    const calls = [
      ["GET", ENTERPRISE],
      ["POST", ENTERPRISE, { title: "t", body: "b" }],
      ["GET", `${ENTERPRISE}/playbook-x`],
      ["PUT", `${ENTERPRISE}/playbook-x`, { title: "t", body: "b" }],
      ["DELETE", `${ENTERPRISE}/playbook-x`],
      ["GET", inOrg(orgId)],
      ["POST", inOrg(orgId), { title: "t", body: "b" }],
      ["GET", `${inOrg(orgId)}/playbook-x`],
      ["PUT", `${inOrg(orgId)}/playbook-x`, { title: "t", body: "b" }],
      ["DELETE", `${inOrg(orgId)}/playbook-x`],
    ] as const;
    const member = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    await expectEach(emu(), calls, member.token, 403, "ManageAccountPlaybooks");
    const orgMember = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_member");
    await expectEach(emu(), calls, orgMember.token, 403, "ManageAccountPlaybooks");
    await expectEach(emu(), calls, null, 401);
  });
});
