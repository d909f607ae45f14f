import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, useEmulatorsPerTest, type Page, type SeededFolder, type TestEmulator } from "../support/emulator";

const start = useEmulatorsPerTest();

type Listed = Page<Record<string, unknown>>;

describe("content state", () => {
  it("survives a restart: git connections and permissions, playbooks, notes and folders, schedules (soft-deleted too), secrets", async () => {
    const stateDir = tempDir();
    const first = await start({ stateDir });
    const orgId = (await first.call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "kept" })).body.org_id;
    const [gitlab] =
      (await first.seed({ gitConnections: [{ gitProviderType: "gitlab_oauth", host: "gitlab.com", repositories: [{ repoPath: "g/r" }] }] }))
        .gitConnections ?? [];
    const [folder] = (await first.seed({ knowledgeFolders: [{ orgId, name: "Docs" }] })).knowledgeFolders as SeededFolder[];
    const permissions = `/v3/enterprise/organizations/${orgId}/git-providers/permissions`;
    await first.call("POST", permissions, { permissions: [{ git_connection_id: gitlab.git_connection_id, group_prefix: "g" }] });
    const playbook = (
      await first.call<{ playbook_id: string }>("POST", `/v3/organizations/${orgId}/playbooks`, { title: "P", body: "b", macro: "!p" })
    ).body;
    await first.call("POST", "/v3/enterprise/knowledge/notes", { name: "E", body: "b", trigger: "t" });
    await first.call("POST", `/v3/organizations/${orgId}/knowledge/notes`, {
      name: "O",
      body: "b",
      trigger: "t",
      folder_id: folder.folder_id,
    });
    const schedules = `/v3/organizations/${orgId}/schedules`;
    const kept = (
      await first.call<{ scheduled_session_id: string }>("POST", schedules, {
        name: "kept",
        prompt: "p",
        frequency: "0 * * * *",
        playbook_id: playbook.playbook_id,
      })
    ).body;
    const dropped = (
      await first.call<{ scheduled_session_id: string }>("POST", schedules, { name: "dropped", prompt: "p", frequency: "0 * * * *" })
    ).body;
    await first.call("DELETE", `${schedules}/${dropped.scheduled_session_id}`);
    const secret = (
      await first.call<{ secret_id: string }>("POST", `/v3/organizations/${orgId}/secrets`, { type: "key-value", key: "K", value: "v" })
    ).body;

    /** Everything the content endpoints show, to compare before and after the restart. */
    const snapshot = async (emu: TestEmulator) => ({
      connections: (await emu.call<Listed>("GET", "/v3/enterprise/git-providers/connections")).body,
      permissions: (await emu.call<Listed>("GET", permissions)).body,
      playbooks: (await emu.call<Listed>("GET", "/v3/enterprise/playbooks")).body,
      notes: (await emu.call<Listed>("GET", "/v3/enterprise/knowledge/notes")).body,
      folders: (await emu.call("GET", `/v3/organizations/${orgId}/knowledge/folders`)).body,
      schedules: (await emu.call<Listed>("GET", schedules)).body,
      secrets: (await emu.call<Listed>("GET", `/v3/organizations/${orgId}/secrets`)).body,
    });
    const before = await snapshot(first);
    await first.close();

    const second = await start({ stateDir, token: first.token });
    expect(await snapshot(second)).toEqual(before);
    // The default connection is not seeded twice; the soft-deleted schedule stays deleted.
    expect(before.connections.total).toBe(2);
    expect(before.schedules.items.map((s) => s.scheduled_session_id)).toEqual([kept.scheduled_session_id]);
    expect((await second.call("GET", `${schedules}/${dropped.scheduled_session_id}`)).status).toBe(404);
    expect(await second.secretValueMatches(secret.secret_id, "v")).toBe(true);
    // Uniqueness rules still see the stored objects.
    expect((await second.call("POST", `/v3/organizations/${orgId}/secrets`, { type: "key-value", key: "K", value: "w" })).status).toBe(409);
    expect((await second.call("POST", `/v3/organizations/${orgId}/playbooks`, { title: "Q", body: "b", macro: "!p" })).status).toBe(409);
  });

  it("loads a state file written before the content collections existed, and gives it the default git connection", async () => {
    const stateDir = tempDir();
    const old = await start({ stateDir });
    const orgId = (await old.call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name: "old" })).body.org_id;
    await old.close();
    const file = join(stateDir, "state.json");
    const state = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const content = ["gitConnections", "gitPermissions", "playbooks", "knowledgeFolders", "knowledgeNotes", "schedules", "secrets"];
    for (const key of content) expect(state, key).toHaveProperty(key);
    writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(state).filter(([k]) => !content.includes(k)))));

    const emu = await start({ stateDir, token: old.token });
    expect((await emu.call<Listed>("GET", "/v3/enterprise/git-providers/connections")).body.items.map((c) => c.host)).toEqual([
      "github.com",
    ]);
    for (const path of [
      "/v3/enterprise/playbooks",
      "/v3/enterprise/knowledge/notes",
      `/v3/organizations/${orgId}/schedules`,
      `/v3/organizations/${orgId}/secrets`,
      `/v3/enterprise/organizations/${orgId}/git-providers/permissions`,
    ]) {
      expect((await emu.call<Listed>("GET", path)).body.items, path).toEqual([]);
    }
    expect((await emu.call("GET", `/v3/organizations/${orgId}/knowledge/folders`)).body).toEqual({ folders: [], root_note_count: 0 });
    expect((await emu.call("POST", `/v3/organizations/${orgId}/secrets`, { type: "key-value", key: "K", value: "v" })).status).toBe(200);
  });
});
