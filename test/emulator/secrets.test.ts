import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectEach, tempDir, useEmulatorsPerTest, useTestEmulator, type Page, type Problem } from "../support/emulator";

const emu = useTestEmulator();

type Secret = {
  secret_id: string;
  key: string | null;
  note: string | null;
  is_sensitive: boolean;
  created_by: string;
  created_at: number;
  secret_type: string;
  access_type: string;
  updated_at: number | null;
  updated_by: string | null;
};

const secrets = (orgId: string) => `/v3/organizations/${orgId}/secrets`;
const newOrg = (name?: string) => emu().newOrg(name);
const VALUE = "hunter2-very-secret-value";

describe("org secrets", () => {
  it("creates (request `type`, answer `secret_type`), lists and deletes; no answer carries the value", async () => {
    const orgId = await newOrg();
    const created = await emu().call<Secret>("POST", secrets(orgId), { type: "key-value", key: "API_TOKEN", value: VALUE, note: "for CI" });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      secret_id: expect.stringMatching(/^secret-[0-9a-f]{32}$/),
      key: "API_TOKEN",
      note: "for CI",
      is_sensitive: true,
      created_by: emu().adminServiceUserId,
      created_at: expect.any(Number),
      secret_type: "key-value",
      access_type: "org",
      updated_at: null,
      updated_by: null,
    });
    const totp = await emu().call<Secret>("POST", secrets(orgId), {
      type: "totp",
      key: "MFA",
      value: "JBSWY3DPEHPK3PXP",
      is_sensitive: false,
    });
    expect(totp.body).toMatchObject({ secret_type: "totp", is_sensitive: false, note: null });

    const list = await emu().call<Page<Secret>>("GET", secrets(orgId));
    expect(list.body).toEqual({ items: [created.body, totp.body], end_cursor: null, has_next_page: false, total: 2 });
    expect((await emu().call<Page<Secret>>("GET", `${secrets(orgId)}?first=1`)).body.has_next_page).toBe(true);

    const removed = await emu().call<Secret>("DELETE", `${secrets(orgId)}/${created.body.secret_id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual(created.body);
    expect((await emu().call<Page<Secret>>("GET", secrets(orgId))).body.items).toEqual([totp.body]);

    const logs = (await emu().auditLog()).filter((l) => l.action.endsWith("_secret"));
    expect(logs.map((l) => [l.action, l.org_id, l.data])).toEqual([
      ["create_secret", orgId, { secret_id: created.body.secret_id, key: "API_TOKEN", secret_type: "key-value" }],
      ["create_secret", orgId, { secret_id: totp.body.secret_id, key: "MFA", secret_type: "totp" }],
      ["delete_secret", orgId, { secret_id: created.body.secret_id, key: "API_TOKEN", secret_type: "key-value" }],
    ]);
    // There is no GET by id and no update.
    expect((await emu().call("GET", `${secrets(orgId)}/${totp.body.secret_id}`)).status).toBe(404);
    expect((await emu().call("PATCH", `${secrets(orgId)}/${totp.body.secret_id}`, { note: "x" })).status).toBe(404);
  });

  it("keeps the value write-only: in no answer, audit entry or request log entry, yet checkable through the control plane", async () => {
    const orgId = await newOrg();
    await emu().clearRequests();
    const answers: unknown[] = [];
    const created = await emu().call<Secret>("POST", secrets(orgId), { type: "cookie", key: "SESSION", value: VALUE });
    answers.push(created.body);
    // Failed writes do not echo it either: a duplicate key, a bad key, malformed JSON.
    answers.push((await emu().call("POST", secrets(orgId), { type: "cookie", key: "SESSION", value: VALUE })).body);
    answers.push((await emu().call("POST", secrets(orgId), { type: "cookie", key: "not a name", value: VALUE })).body);
    const raw = await fetch(`${emu().url}${secrets(orgId)}`, {
      method: "POST",
      headers: { authorization: `Bearer ${emu().token}`, "content-type": "application/json" },
      body: `{"type": "cookie", "key": "X", "value": ${VALUE}}`,
    });
    expect(raw.status).toBe(422);
    answers.push(await raw.json());
    answers.push((await emu().call("GET", secrets(orgId))).body);
    answers.push((await emu().call("DELETE", `${secrets(orgId)}/${created.body.secret_id}`)).body);
    answers.push((await emu().call("GET", "/v3/enterprise/audit-logs?first=200")).body);
    answers.push(await emu().requests());

    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain("hunter2");
    const again = (await emu().call<Secret>("POST", secrets(orgId), { type: "cookie", key: "SESSION", value: VALUE })).body;
    expect(await emu().secretValueMatches(again.secret_id, VALUE)).toBe(true);
    expect(await emu().secretValueMatches(again.secret_id, "something else")).toBe(false);
  });

  it("refuses a key already used in the org (409), and allows it in another org or after a delete", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    const first = (await emu().call<Secret>("POST", secrets(orgId), { type: "key-value", key: "TOKEN", value: "a" })).body;
    const clash = await emu().call<Problem>("POST", secrets(orgId), { type: "totp", key: "TOKEN", value: "b" });
    expect(clash.status).toBe(409);
    expect(clash.body.detail).toContain("'TOKEN'");
    expect((await emu().call("POST", secrets(orgId), { type: "key-value", key: "token", value: "b" })).status).toBe(200);
    expect((await emu().call("POST", secrets(other), { type: "key-value", key: "TOKEN", value: "b" })).status).toBe(200);
    await emu().call("DELETE", `${secrets(orgId)}/${first.secret_id}`);
    expect((await emu().call("POST", secrets(orgId), { type: "key-value", key: "TOKEN", value: "c" })).status).toBe(200);
  });

  it("answers 403 (as the real API does) for the DELETE of a secret that is gone or in another org", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    const secret = (await emu().call<Secret>("POST", secrets(orgId), { type: "key-value", key: "K", value: "v" })).body;
    expect((await emu().call("DELETE", `${secrets(other)}/${secret.secret_id}`)).status).toBe(403);
    expect((await emu().call("DELETE", `${secrets(orgId)}/${secret.secret_id}`)).status).toBe(200);
    const gone = await emu().call<Problem>("DELETE", `${secrets(orgId)}/${secret.secret_id}`);
    expect(gone.status).toBe(403);
    expect(gone.body.detail).toContain(secret.secret_id);
    expect((await emu().call("DELETE", `${secrets(orgId)}/secret-never-was`)).status).toBe(403);
  });

  it.each([
    ["no value", "body.value", { type: "key-value", key: "K" }],
    ["an empty value", "body.value", { type: "key-value", key: "K", value: "" }],
    ["no type", "body.type", { key: "K", value: "v" }],
    ["an unknown type", "body.type", { type: "password", key: "K", value: "v" }],
    ["a key that is not an environment variable name", "body.key", { type: "key-value", key: "1-KEY", value: "v" }],
    ["a string is_sensitive", "body.is_sensitive", { type: "key-value", key: "K", value: "v", is_sensitive: "no" }],
  ])("rejects %s with a 422 on %s", async (_what, field, body) => {
    const orgId = await newOrg();
    const res = await emu().call<Problem>("POST", secrets(orgId), body);
    expect(res.status).toBe(422);
    expect(res.body.errors?.map((e) => e.loc.join("."))).toContain(field);
  });

  it("answers 404 for every secret call in a deleted org (the org is checked before the secret)", async () => {
    const orgId = await newOrg();
    const secret = (await emu().call<Secret>("POST", secrets(orgId), { type: "key-value", key: "K", value: "v" })).body;
    await emu().call("DELETE", `/v3/enterprise/organizations/${orgId}`);
    const calls = [
      ["GET", secrets(orgId)],
      ["POST", secrets(orgId), { type: "key-value", key: "K2", value: "v" }],
      ["DELETE", `${secrets(orgId)}/${secret.secret_id}`],
      ["GET", secrets("org-missing")],
    ] as const;
    await expectEach(emu(), calls, emu().token, 404);
  });

  it("needs ManageOrgSecrets in the org (403 for an enterprise Member, an org Member, an org Admin elsewhere) and a token (401)", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    const calls = [
      ["GET", secrets(orgId)],
      ["POST", secrets(orgId), { type: "key-value", key: "K", value: "v" }],
      ["DELETE", `${secrets(orgId)}/secret-x`],
    ] as const;
    const member = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    await expectEach(emu(), calls, member.token, 403, "ManageOrgSecrets");
    const orgMember = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_member");
    await expectEach(emu(), calls, orgMember.token, 403, `ManageOrgSecrets in ${orgId}`);
    const orgAdmin = await emu().provision(`/v3beta1/organizations/${other}/service-users`, "org_admin");
    await expectEach(emu(), calls, orgAdmin.token, 403, "ManageOrgSecrets");
    await expectEach(emu(), calls, null, 401);
    // An org-scoped service user creates secrets in its own org, with the org id left out.
    const own = await emu().call<Secret>(
      "POST",
      "/v3/organizations/secrets",
      { type: "key-value", key: "MINE", value: "v" },
      orgAdmin.token,
    );
    expect(own.status).toBe(200);
    expect((await emu().call<Page<Secret>>("GET", secrets(other))).body.items).toEqual([own.body]);
    expect((await emu().call("DELETE", `/v3/organizations/secrets/${own.body.secret_id}`, undefined, orgAdmin.token)).status).toBe(200);
  });
});

describe("secrets on disk", () => {
  const start = useEmulatorsPerTest();

  it("keep no value in the state file", async () => {
    const stateDir = tempDir();
    const emulator = await start({ stateDir });
    const orgId = (await emulator.call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "o" })).body.org_id;
    const secret = await emulator.call<Secret>("POST", secrets(orgId), { type: "key-value", key: "DB_PASSWORD", value: VALUE });
    expect(secret.status).toBe(200);
    await emulator.close();
    const file = readFileSync(join(stateDir, "state.json"), "utf8");
    expect(file).toContain("DB_PASSWORD");
    expect(file).not.toContain("hunter2");
  });
});
