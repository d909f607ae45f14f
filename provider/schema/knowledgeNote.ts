import { adoptIdField, orgIdField } from "./fields";
import type { FieldSpec, ResourceSchema } from "./types";

/**
 * Org and enterprise knowledge notes share their fields and wire names; the org's has `orgId` and a folder (folders
 * are org-level only), and each says its level in its own words.
 */
export function knowledgeNoteTable(level: "org" | "enterprise"): ResourceSchema {
  const org = level === "org";
  const folderFields: FieldSpec[] = [
    {
      name: "folderId",
      wire: "folder_id",
      type: "string",
      input: "optional",
      nullable: true,
      description:
        "The folder it sits in (a `folderId` from `getKnowledgeFolders`; folders are made in the Devin app). Omit it for the root.",
    },
  ];
  return {
    kind: org ? "KnowledgeNote" : "EnterpriseKnowledgeNote",
    // Both levels share one lifecycle module.
    lifecycleIn: "knowledgeNote",
    description: org
      ? "A knowledge note of an org. Every field but the org updates in place."
      : "A knowledge note at the enterprise level. Every field updates in place. An org's note cannot be adopted as one.",
    example: org
      ? `new devin.KnowledgeNote("deploys", {
  orgId: eng.orgId,
  name: "How we deploy",
  body: fs.readFileSync("knowledge/deploys.md", "utf8"),
  trigger: "When deploying or rolling back the web app",
  pinnedRepo: "acme/web",
});`
      : `new devin.EnterpriseKnowledgeNote("style", { name: "Code style", body: "...", trigger: "When writing code" });`,
    importId: org ? "the note id, `note-…`, of a note of the org" : "the enterprise note's id, `note-…`",
    idOutput: "noteId",
    naturalKey: org
      ? { of: ["orgId", "name"], describe: ([o, n]) => `the knowledge note name '${n}' in ${o}`, unlessAdopting: true }
      : { of: ["name"], describe: ([n]) => `the enterprise knowledge note name '${n}'`, unlessAdopting: true },
    // Both levels: the enterprise's and an org's notes need the same permission.
    permissions: [
      { method: "*", path: /^\/(enterprise|organizations\/[^/]+)\/knowledge\/notes(\/.*)?$/, permission: "ManageAccountKnowledge" },
    ],
    fields: [
      { name: "noteId", wire: "note_id", type: "string", description: "The note id (`note-…`), the same value as the resource id." },
      ...(org ? [orgIdField("note", "org_id")] : []),
      {
        name: "name",
        wire: "name",
        type: "string",
        input: "required",
        description: org
          ? "The note's name. pulumi-devin refuses to create a second note with the same name in the org."
          : "The note's name. pulumi-devin refuses to create a second enterprise note with the same name.",
      },
      {
        name: "body",
        wire: "body",
        type: "string",
        input: "required",
        description: org
          ? "What Devin should know; best kept in a Markdown file beside the program and read with `fs.readFileSync`."
          : "What Devin should know.",
      },
      {
        name: "trigger",
        wire: "trigger",
        type: "string",
        input: "required",
        description: org
          ? 'When Devin should recall it, in words, such as "When deploying the web app".'
          : "When Devin should recall it, in words.",
      },
      ...(org ? folderFields : []),
      {
        name: "pinnedRepo",
        wire: "pinned_repo",
        type: "string",
        input: "optional",
        nullable: true,
        description: org
          ? "A repository the note is pinned to, such as `acme/web`. Omit it for none."
          : "A repository the note is pinned to, such as `acme/web`. Omit it for none. (Folders are org-level only.)",
      },
      {
        name: "isEnabled",
        wire: "is_enabled",
        type: "boolean",
        input: "optional",
        serverDefault: true,
        description: org
          ? "Whether sessions use it. When omitted it is not managed: new notes are enabled, and a change made in the app stays."
          : "Whether sessions use it. When omitted it is not managed.",
      },
      adoptIdField(
        org
          ? "Manage an existing note of the org (`note-…`) instead of creating one. Read only when the resource is created."
          : "Manage an existing enterprise note (`note-…`) instead of creating one. Read only when the resource is created.",
      ),
      { name: "folderPath", wire: "folder_path", type: "string", description: 'The folder\'s path from the root, `""` at the root.' },
      { name: "macro", wire: "macro", type: "string", nullable: true, description: "Set by the server." },
      { name: "createdAt", wire: "created_at", type: "integer", description: "Creation time, unix seconds." },
      { name: "updatedAt", wire: "updated_at", type: "integer", description: "Last update time, unix seconds." },
    ],
    leftOut: {
      access_type: "The level, which the resource type says: `KnowledgeNote` is an org's, `EnterpriseKnowledgeNote` the enterprise's.",
      ...(org ? {} : { org_id: "Always null at the enterprise level.", folder_id: "Folders are org-level only: always null here." }),
    },
  };
}

export const knowledgeNote = knowledgeNoteTable("org");
