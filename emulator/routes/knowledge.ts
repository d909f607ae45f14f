import type { FastifyInstance } from "fastify";
import { orgScopedPaths } from "../auth";
import { newId } from "../ids";
import { presentFolder, presentNote } from "../presenters";
import { ApiError, unprocessable } from "../problem";
import { folderPath, own, type KnowledgeNoteRecord } from "../records";
import { scopedRoutes } from "../scoped";
import { liveOrg, type Emulator } from "../store";

const noteBody = {
  type: "object",
  required: ["name", "body", "trigger"],
  properties: {
    name: { type: "string", minLength: 1 },
    body: { type: "string", minLength: 1 },
    trigger: { type: "string", minLength: 1 },
    folder_id: { type: ["string", "null"] },
    is_enabled: { type: ["boolean", "null"] },
    pinned_repo: { type: ["string", "null"], minLength: 1 },
  },
} as const;

interface NoteBody {
  name: string;
  body: string;
  trigger: string;
  folder_id?: string | null;
  is_enabled?: boolean | null;
  pinned_repo?: string | null;
}

const nullableText = { type: ["string", "null"] } as const;

/**
 * Knowledge notes and folders (docs/api-notes.md section 19). Notes live at the enterprise level or in an org; folders
 * are seeded (the API cannot create them) and only org notes may be put in one. PUT rebuilds `pinned_repo` and
 * `folder_id` from the body (absent means null) and keeps `is_enabled` when it is absent or null.
 */
export function knowledgeRoutes(app: FastifyInstance, emu: Emulator): void {
  const state = () => emu.store.state;
  const pathOf = (note: KnowledgeNoteRecord) => folderPath(state(), note.folder_id);

  /** The folder a note goes in: null, or a folder of the note's own org; enterprise notes cannot have one (400). */
  function folderFor(body: NoteBody, orgId: string | null): string | null {
    const folderId = body.folder_id ?? null;
    if (folderId === null) return null;
    if (orgId === null) throw new ApiError(400, "folder_id is not supported for enterprise notes: folders are org-level only");
    if (own(state().knowledgeFolders, folderId)?.org_id !== orgId) {
      throw unprocessable(["body", "folder_id"], `folder ${folderId} not found in organization ${orgId}`);
    }
    return folderId;
  }

  scopedRoutes<KnowledgeNoteRecord, NoteBody>(app, emu, {
    noun: "Knowledge note",
    idParam: "note_id",
    enterprisePath: "/enterprise/knowledge/notes",
    orgPath: "/knowledge/notes",
    permission: "ManageAccountKnowledge",
    records: () => state().knowledgeNotes,
    idOf: (n) => n.note_id,
    body: noteBody,
    filters: { search: nullableText, folder_path: nullableText, pinned_repo: nullableText },
    enterpriseFilters: { access_type: { type: ["string", "null"], enum: ["org", "enterprise", null] } },
    matches(note, query) {
      const search = typeof query.search === "string" ? query.search.toLowerCase() : null;
      return (
        (query.access_type == null || note.access_type === query.access_type) &&
        (search === null || [note.name, note.body, note.trigger].some((text) => text.toLowerCase().includes(search))) &&
        (query.folder_path == null || pathOf(note) === query.folder_path) &&
        (query.pinned_repo == null || note.pinned_repo === query.pinned_repo)
      );
    },
    create(body, orgId) {
      const folderId = folderFor(body, orgId);
      const now = emu.clock.now();
      return {
        note_id: newId("note"),
        name: body.name,
        body: body.body,
        trigger: body.trigger,
        folder_id: folderId,
        is_enabled: body.is_enabled ?? true,
        pinned_repo: body.pinned_repo ?? null,
        created_at: now,
        updated_at: now,
        access_type: orgId === null ? "enterprise" : "org",
        org_id: orgId,
        seq: emu.store.nextSeq(),
      };
    },
    update(note, body) {
      note.folder_id = folderFor(body, note.org_id);
      note.name = body.name;
      note.body = body.body;
      note.trigger = body.trigger;
      note.pinned_repo = body.pinned_repo ?? null;
      if (typeof body.is_enabled === "boolean") note.is_enabled = body.is_enabled;
      note.updated_at = emu.clock.now();
    },
    present: (note) => presentNote(note, pathOf(note)),
    actions: { create: "create_knowledge_note", update: "update_knowledge_note", delete: "delete_knowledge_note" },
    auditData: (n) => ({ note_id: n.note_id, name: n.name }),
  });

  /** The whole tree of one scope in one answer; a folder counts the notes directly in it. */
  function folderTree(orgId: string | null) {
    const notes = Object.values(state().knowledgeNotes).filter((n) => n.org_id === orgId);
    const folders = Object.values(state().knowledgeFolders)
      .filter((f) => f.org_id === orgId)
      .sort((a, b) => a.seq - b.seq);
    return {
      folders: folders.map((f) =>
        presentFolder(f, folderPath(state(), f.folder_id), notes.filter((n) => n.folder_id === f.folder_id).length),
      ),
      root_note_count: notes.filter((n) => n.folder_id === null).length,
    };
  }

  const config = { access: { permission: "ManageAccountKnowledge" as const } };
  app.get("/enterprise/knowledge/folders", { config }, async () => folderTree(null));
  for (const path of orgScopedPaths("/knowledge/folders")) {
    app.get<{ Params: { org_id?: string } }>(path, { config }, async (req) => folderTree(liveOrg(emu, req.params.org_id ?? "").org_id));
  }
}
