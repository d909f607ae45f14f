import { enterpriseKnowledgeNote as enterpriseTable } from "../schema/enterpriseKnowledgeNote";
import { knowledgeNote as orgTable } from "../schema/knowledgeNote";
import { seg } from "./api";
import { checkBoolean, checkOptionalText, checkRequiredOrgId, checkText, failures } from "./check";
import { duplicateObjectError } from "./errors";
import { type CommonOutputs, levelled, noneAsNull, objectLifecycle, requestBody, scopeOf } from "./objectLifecycle";
import { declaredArguments } from "./values";

export const knowledgeNotePaths = {
  /** Knowledge notes: `orgId` null is the enterprise level, whose list also shows every org's notes. */
  knowledgeNotes: (orgId: string | null) => (orgId ? `/v3/organizations/${seg(orgId)}/knowledge/notes` : "/v3/enterprise/knowledge/notes"),
  knowledgeNote: (orgId: string | null, noteId: string) =>
    orgId ? `/v3/organizations/${seg(orgId)}/knowledge/notes/${seg(noteId)}` : `/v3/enterprise/knowledge/notes/${seg(noteId)}`,
} as const;

export interface ApiKnowledgeNote {
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
}

/**
 * Knowledge notes, in an org (`KnowledgeNote`, which may sit in a folder) or at the enterprise level
 * (`EnterpriseKnowledgeNote`; folders are org-level only). PUT rebuilds the pin and the folder from the request, so
 * every update sends both, with null for "none"; `isEnabled` is sent only when the program declares it.
 */

export interface KnowledgeNoteInputs {
  /** Absent for an enterprise note. */
  orgId?: string;
  name: string;
  body: string;
  trigger: string;
  folderId?: string;
  pinnedRepo?: string;
  isEnabled?: boolean;
  adoptId?: string;
}

export interface KnowledgeNoteOutputs extends CommonOutputs {
  noteId: string;
  orgId?: string;
  name: string;
  body: string;
  trigger: string;
  folderId?: string | null;
  folderPath: string;
  pinnedRepo: string | null;
  isEnabled: boolean;
  macro: string | null;
  createdAt: number;
  updatedAt: number;
}

function lifecycleFor(level: "org" | "enterprise") {
  const table = level === "org" ? orgTable : enterpriseTable;
  const noun = level === "org" ? "knowledge note" : "enterprise knowledge note";
  // None is null, and isEnabled (not managed when left out) is sent only when declared. The enterprise table has no
  // folder: its endpoints refuse one even as null.
  const body = (inputs: KnowledgeNoteInputs) => requestBody(table, noneAsNull(table, inputs));
  return objectLifecycle<KnowledgeNoteInputs, ApiKnowledgeNote, KnowledgeNoteOutputs>({
    table,
    noun,
    idPrefix: "note",
    describe: (inputs) => `${noun} '${inputs.name}'${level === "org" ? ` in ${inputs.orgId}` : ""}`,
    check: (_olds, news) => ({
      inputs: declaredArguments(table, news),
      failures: failures([
        ["orgId", level === "org" ? checkRequiredOrgId(news.orgId, "the note") : undefined],
        ["name", checkText("name", news.name, "the note's name")],
        ["body", checkText("body", news.body, "what Devin should know")],
        ["trigger", checkText("trigger", news.trigger, "when Devin should recall the note, such as 'When deploying the web app'")],
        ["folderId", checkOptionalText("folderId", news.folderId, "a folder id from getKnowledgeFolders")],
        ["pinnedRepo", checkOptionalText("pinnedRepo", news.pinnedRepo, "a repository such as 'acme/web'")],
        ["isEnabled", checkBoolean("isEnabled", news.isEnabled)],
      ]),
    }),
    ...levelled<ApiKnowledgeNote>(
      level,
      table,
      { list: knowledgeNotePaths.knowledgeNotes, item: knowledgeNotePaths.knowledgeNote, key: "name" },
      (orgId) => `it is a note of ${orgId}; declare it with KnowledgeNote and orgId '${orgId}'.`,
    ),
    refuse: (ids, inputs, operation) =>
      duplicateObjectError(
        operation,
        `a knowledge note named '${inputs.name}'${level === "org" ? ` in ${inputs.orgId}` : " at the enterprise level"}`,
        ids,
        level === "org" ? "KnowledgeNote" : "EnterpriseKnowledgeNote",
      ),
    post: (inputs) => ({ method: "POST", path: knowledgeNotePaths.knowledgeNotes(scopeOf(inputs)), body: body(inputs) }),
    update: async (client, id, olds, news, _changed, operation) =>
      (
        await client.call<ApiKnowledgeNote>(
          { method: "PUT", path: knowledgeNotePaths.knowledgeNote(scopeOf(olds), id), body: body(news) },
          { operation },
        )
      ).body,
    itemPath: knowledgeNotePaths.knowledgeNote,
    outputs: (n, known) => ({
      // A note of an org the API answers without its org is still in the declared one.
      ...(level === "org" ? { orgId: n.orgId ?? known.orgId } : {}),
      folderPath: n.folderPath ?? "",
    }),
  });
}

export const knowledgeNote = lifecycleFor("org");
export const enterpriseKnowledgeNote = lifecycleFor("enterprise");
