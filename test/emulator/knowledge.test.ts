import { describe, expect, it } from "vitest";
import { expectEach, useTestEmulator, type Page, type Problem, type SeededFolder } from "../support/emulator";

const emu = useTestEmulator();

type Note = {
  note_id: string;
  name: string;
  body: string;
  trigger: string;
  folder_id: string | null;
  folder_path: string;
  is_enabled: boolean;
  created_at: number;
  updated_at: number;
  access_type: "enterprise" | "org";
  org_id: string | null;
  macro: string | null;
  pinned_repo: string | null;
};
type FolderTree = { folders: SeededFolder[]; root_note_count: number };

const ENTERPRISE = "/v3/enterprise/knowledge/notes";
const notesIn = (orgId: string) => `/v3/organizations/${orgId}/knowledge/notes`;
const foldersIn = (orgId: string) => `/v3/organizations/${orgId}/knowledge/folders`;
const newOrg = (name?: string) => emu().newOrg(name);
const NOTE = { name: "Style", body: "Use tabs.", trigger: "When editing code" };

async function seedFolders(orgId: string): Promise<{ eng: SeededFolder; backend: SeededFolder }> {
  const [eng] = (await emu().seed({ knowledgeFolders: [{ orgId, name: "Engineering" }] })).knowledgeFolders as SeededFolder[];
  const [backend] = (await emu().seed({ knowledgeFolders: [{ orgId, name: "Backend", parentId: eng.folder_id }] }))
    .knowledgeFolders as SeededFolder[];
  return { eng, backend };
}

describe("enterprise knowledge notes", () => {
  it("creates (enabled by default), reads, lists, updates and deletes", async () => {
    const created = await emu().call<Note>("POST", ENTERPRISE, NOTE);
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      note_id: expect.stringMatching(/^note-[0-9a-f]{32}$/),
      ...NOTE,
      folder_id: null,
      folder_path: "",
      is_enabled: true,
      created_at: expect.any(Number),
      updated_at: expect.any(Number),
      access_type: "enterprise",
      org_id: null,
      macro: null,
      pinned_repo: null,
    });
    const path = `${ENTERPRISE}/${created.body.note_id}`;
    expect((await emu().call<Note>("GET", path)).body).toEqual(created.body);
    expect((await emu().call<Page<Note>>("GET", ENTERPRISE)).body).toEqual({
      items: [created.body],
      end_cursor: null,
      has_next_page: false,
      total: 1,
    });

    const updated = await emu().call<Note>("PUT", path, { ...NOTE, body: "Use spaces.", pinned_repo: "github.com/example/pinned-repo" });
    expect(updated.body).toMatchObject({ body: "Use spaces.", pinned_repo: "github.com/example/pinned-repo", is_enabled: true });
    const removed = await emu().call<Note>("DELETE", path);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual(updated.body);
    expect((await emu().call("GET", path)).status).toBe(404);
    expect((await emu().call("DELETE", path)).status).toBe(404);

    const logs = (await emu().auditLog()).filter((l) => l.action.endsWith("_knowledge_note"));
    expect(logs.map((l) => [l.action, l.org_id, l.data])).toEqual([
      ["create_knowledge_note", null, { note_id: created.body.note_id, name: "Style" }],
      ["update_knowledge_note", null, { note_id: created.body.note_id, name: "Style" }],
      ["delete_knowledge_note", null, { note_id: created.body.note_id, name: "Style" }],
    ]);
  });

  it("refuses a folder on enterprise notes (400), on create and on PUT", async () => {
    const orgId = await newOrg();
    const { eng } = await seedFolders(orgId);
    const create = await emu().call<Problem>("POST", ENTERPRISE, { ...NOTE, folder_id: eng.folder_id });
    expect(create.status).toBe(400);
    expect(create.body.detail).toContain("folder");
    const note = (await emu().call<Note>("POST", ENTERPRISE, { ...NOTE, folder_id: null })).body;
    expect((await emu().call("PUT", `${ENTERPRISE}/${note.note_id}`, { ...NOTE, folder_id: "anything" })).status).toBe(400);
    expect((await emu().call<Page<Note>>("GET", ENTERPRISE)).body.total).toBe(1);
  });

  it("lists org notes too, filtered by access_type, search, folder_path and pinned_repo", async () => {
    const orgId = await newOrg();
    const { backend } = await seedFolders(orgId);
    const enterprise = (await emu().call<Note>("POST", ENTERPRISE, { ...NOTE, pinned_repo: "acme/api" })).body;
    const org = (
      await emu().call<Note>("POST", notesIn(orgId), {
        name: "Deploys",
        body: "Ask #ops first",
        trigger: "deploy",
        folder_id: backend.folder_id,
      })
    ).body;
    expect(org.folder_path).toBe("Engineering/Backend");

    const names = async (query: string) => (await emu().call<Page<Note>>("GET", `${ENTERPRISE}${query}`)).body.items.map((n) => n.name);
    expect(await names("")).toEqual(["Style", "Deploys"]);
    expect(await names("?access_type=org")).toEqual(["Deploys"]);
    expect(await names("?access_type=enterprise")).toEqual(["Style"]);
    expect(await names("?search=%23OPS")).toEqual(["Deploys"]);
    expect(await names("?search=tabs")).toEqual(["Style"]);
    expect(await names(`?folder_path=${encodeURIComponent("Engineering/Backend")}`)).toEqual(["Deploys"]);
    expect(await names("?folder_path=Engineering")).toEqual([]);
    expect(await names("?pinned_repo=acme/api")).toEqual(["Style"]);
    expect((await emu().call<Note>("GET", `${ENTERPRISE}/${org.note_id}`)).body).toEqual(org);
    expect((await emu().call<Problem>("GET", `${ENTERPRISE}?access_type=personal`)).status).toBe(422);

    // The enterprise PUT and DELETE change enterprise notes only.
    const put = await emu().call<Problem>("PUT", `${ENTERPRISE}/${org.note_id}`, NOTE);
    expect(put.status).toBe(404);
    expect(put.body.detail).toContain(`/v3/organizations/${orgId}/knowledge/notes/${org.note_id}`);
    expect((await emu().call("DELETE", `${ENTERPRISE}/${org.note_id}`)).status).toBe(404);
    expect((await emu().call("GET", `${notesIn(orgId)}/${enterprise.note_id}`)).status).toBe(404);
  });
});

describe("org knowledge notes and folders", () => {
  it("keeps notes in their org, in folders of that org, and counts them in the folder tree", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    const { eng, backend } = await seedFolders(orgId);
    const [elsewhere] = (await emu().seed({ knowledgeFolders: [{ orgId: other, name: "Elsewhere" }] })).knowledgeFolders as SeededFolder[];
    expect(backend).toEqual({
      folder_id: expect.stringMatching(/^folder-[0-9a-f]{32}$/),
      name: "Backend",
      path: "Engineering/Backend",
      note_count: 0,
      parent_folder_id: eng.folder_id,
    });

    const inFolder = await emu().call<Note>("POST", notesIn(orgId), { ...NOTE, folder_id: eng.folder_id, is_enabled: false });
    expect(inFolder.body).toMatchObject({
      access_type: "org",
      org_id: orgId,
      folder_id: eng.folder_id,
      folder_path: "Engineering",
      is_enabled: false,
    });
    await emu().call("POST", notesIn(orgId), NOTE);
    await emu().call("POST", notesIn(other), NOTE);

    const wrongOrg = await emu().call<Problem>("POST", notesIn(orgId), { ...NOTE, folder_id: elsewhere.folder_id });
    expect(wrongOrg.status).toBe(422);
    expect(wrongOrg.body.errors?.[0].loc).toEqual(["body", "folder_id"]);

    expect((await emu().call<Page<Note>>("GET", notesIn(orgId))).body.total).toBe(2);
    expect((await emu().call<FolderTree>("GET", foldersIn(orgId))).body).toEqual({
      folders: [
        { ...eng, note_count: 1 },
        { ...backend, note_count: 0 },
      ],
      root_note_count: 1,
    });
    expect((await emu().call<FolderTree>("GET", "/v3/enterprise/knowledge/folders")).body).toEqual({ folders: [], root_note_count: 0 });
    expect((await emu().call("GET", `${notesIn(other)}/${inFolder.body.note_id}`)).status).toBe(404);
  });

  it("PUT replaces pinned_repo and folder_id (absent means none) and keeps is_enabled when it is absent", async () => {
    const orgId = await newOrg();
    const { eng } = await seedFolders(orgId);
    const note = (
      await emu().call<Note>("POST", notesIn(orgId), { ...NOTE, folder_id: eng.folder_id, pinned_repo: "acme/web", is_enabled: false })
    ).body;
    const path = `${notesIn(orgId)}/${note.note_id}`;

    const bare = await emu().call<Note>("PUT", path, { ...NOTE, trigger: "Always" });
    expect(bare.body).toMatchObject({ trigger: "Always", folder_id: null, folder_path: "", pinned_repo: null, is_enabled: false });
    const nulls = await emu().call<Note>("PUT", path, { ...NOTE, is_enabled: null, pinned_repo: null, folder_id: null });
    expect(nulls.body).toMatchObject({ is_enabled: false, pinned_repo: null, folder_id: null });
    const set = await emu().call<Note>("PUT", path, { ...NOTE, is_enabled: true, pinned_repo: "acme/api", folder_id: eng.folder_id });
    expect(set.body).toMatchObject({ is_enabled: true, pinned_repo: "acme/api", folder_id: eng.folder_id, folder_path: "Engineering" });
    expect((await emu().call<Note>("GET", path)).body).toEqual(set.body);

    const logs = (await emu().auditLog()).filter((l) => l.org_id === orgId && l.action.endsWith("_knowledge_note"));
    expect(logs.map((l) => l.action)).toEqual([
      "create_knowledge_note",
      "update_knowledge_note",
      "update_knowledge_note",
      "update_knowledge_note",
    ]);
  });

  it.each([
    ["no trigger", "body.trigger", { name: "n", body: "b" }],
    ["an empty name", "body.name", { name: "", body: "b", trigger: "t" }],
    ["a string is_enabled", "body.is_enabled", { ...NOTE, is_enabled: "yes" }],
    ["an empty pinned_repo", "body.pinned_repo", { ...NOTE, pinned_repo: "" }],
    ["an unknown folder", "body.folder_id", { ...NOTE, folder_id: "folder-missing" }],
  ])("rejects %s with a 422 on %s", async (_what, field, body) => {
    const orgId = await newOrg();
    const res = await emu().call<Problem>("POST", notesIn(orgId), body);
    expect(res.status).toBe(422);
    expect(res.body.errors?.map((e) => e.loc.join("."))).toContain(field);
  });

  it("names may repeat (no 409)", async () => {
    const orgId = await newOrg();
    expect((await emu().call("POST", notesIn(orgId), NOTE)).status).toBe(200);
    expect((await emu().call("POST", notesIn(orgId), NOTE)).status).toBe(200);
    expect((await emu().call<Page<Note>>("GET", notesIn(orgId))).body.items.map((n) => n.name)).toEqual(["Style", "Style"]);
  });

  it("seeds folders only where they fit (422 naming the field) and shows enterprise-level folders in the enterprise tree", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    const { eng } = await seedFolders(orgId);
    const bad = async (folder: object) =>
      (await emu().call<Problem>("POST", "/_emulator/seed", { knowledgeFolders: [folder] }, null)).body.errors?.map((e) => e.loc.join("."));
    expect(await bad({ orgId: "org-missing", name: "x" })).toEqual(["body.knowledgeFolders.0.orgId"]);
    expect(await bad({ orgId: other, name: "x", parentId: eng.folder_id })).toEqual(["body.knowledgeFolders.0.parentId"]);
    expect(await bad({ orgId, name: "Engineering" })).toEqual(["body.knowledgeFolders.0.name"]);
    expect(await bad({ orgId, name: "a/b" })).toEqual(["body.knowledgeFolders.0.name"]);

    const [top] = (await emu().seed({ knowledgeFolders: [{ name: "Company" }] })).knowledgeFolders as SeededFolder[];
    await emu().call("POST", ENTERPRISE, NOTE);
    expect((await emu().call<FolderTree>("GET", "/v3beta1/enterprise/knowledge/folders")).body).toEqual({
      folders: [top],
      root_note_count: 1,
    });
  });

  it("answers 404 for every note and folder call in a deleted org, and forgets its notes everywhere", async () => {
    const orgId = await newOrg();
    const note = (await emu().call<Note>("POST", notesIn(orgId), NOTE)).body;
    await emu().call("DELETE", `/v3/enterprise/organizations/${orgId}`);
    const one = `${notesIn(orgId)}/${note.note_id}`;
    const calls = [
      ["GET", notesIn(orgId)],
      ["POST", notesIn(orgId), NOTE],
      ["GET", one],
      ["PUT", one, NOTE],
      ["DELETE", one],
      ["GET", foldersIn(orgId)],
      ["GET", `${ENTERPRISE}/${note.note_id}`],
      ["GET", notesIn("org-missing")],
    ] as const;
    await expectEach(emu(), calls, emu().token, 404);
    expect((await emu().call<Page<Note>>("GET", ENTERPRISE)).body.items).toEqual([]);
  });

  it("needs ManageAccountKnowledge (403 for an enterprise Member, an org Member, and an org Admin elsewhere) and a token (401)", async () => {
    const orgId = await newOrg();
    const other = await newOrg("other");
    const calls = [
      ["GET", ENTERPRISE],
      ["POST", ENTERPRISE, NOTE],
      ["GET", `${ENTERPRISE}/note-x`],
      ["PUT", `${ENTERPRISE}/note-x`, NOTE],
      ["DELETE", `${ENTERPRISE}/note-x`],
      ["GET", "/v3/enterprise/knowledge/folders"],
      ["GET", notesIn(orgId)],
      ["POST", notesIn(orgId), NOTE],
      ["GET", `${notesIn(orgId)}/note-x`],
      ["PUT", `${notesIn(orgId)}/note-x`, NOTE],
      ["DELETE", `${notesIn(orgId)}/note-x`],
      ["GET", foldersIn(orgId)],
    ] as const;
    const member = await emu().provision("/v3beta1/enterprise/service-users", "account_member");
    await expectEach(emu(), calls, member.token, 403, "ManageAccountKnowledge");
    const orgMember = await emu().provision(`/v3beta1/organizations/${orgId}/service-users`, "org_member");
    await expectEach(emu(), calls, orgMember.token, 403, "ManageAccountKnowledge");
    await expectEach(emu(), calls, null, 401);

    // An org Admin manages its own org's notes (the org id may be left out), not the enterprise's or another org's.
    const orgAdmin = await emu().provision(`/v3beta1/organizations/${other}/service-users`, "org_admin");
    await expectEach(emu(), calls, orgAdmin.token, 403, "ManageAccountKnowledge");
    expect((await emu().call("POST", "/v3/organizations/knowledge/notes", NOTE, orgAdmin.token)).status).toBe(200);
    expect(
      (await emu().call<FolderTree>("GET", "/v3/organizations/knowledge/folders", undefined, orgAdmin.token)).body.root_note_count,
    ).toBe(1);
  });
});
