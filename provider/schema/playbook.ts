import { adoptIdField, orgIdField } from "./fields";
import type { ResourceSchema } from "./types";

/**
 * Org and enterprise playbooks share their fields and wire names; the org's has `orgId`, and each says its level in
 * its own words.
 */
export function playbookTable(level: "org" | "enterprise"): ResourceSchema {
  const org = level === "org";
  return {
    kind: org ? "Playbook" : "EnterprisePlaybook",
    // Both levels share one lifecycle module.
    lifecycleIn: "playbook",
    description: org
      ? "A playbook of an org: reusable instructions for sessions. Every field but the org updates in place."
      : "A playbook at the enterprise level. Every field updates in place. An org's playbook cannot be adopted as one.",
    example: org
      ? `const deploy = new devin.Playbook("deploy", {
  orgId: eng.orgId,
  title: "Deploy the web app",
  body: fs.readFileSync("playbooks/deploy.md", "utf8"),
  macro: "!deploy",
});`
      : `new devin.EnterprisePlaybook("release", { title: "Release checklist", body: fs.readFileSync("playbooks/release.md", "utf8") });`,
    importId: org ? "the playbook id, `playbook-…`, of a playbook of the org" : "the enterprise playbook's id, `playbook-…`",
    idOutput: "playbookId",
    naturalKey: org
      ? { of: ["orgId", "title"], describe: ([o, t]) => `the playbook title '${t}' in ${o}`, unlessAdopting: true }
      : { of: ["title"], describe: ([t]) => `the enterprise playbook title '${t}'`, unlessAdopting: true },
    // Both levels: the enterprise's and an org's playbooks need the same permission.
    permissions: [{ method: "*", path: /^\/(enterprise|organizations\/[^/]+)\/playbooks(\/.*)?$/, permission: "ManageAccountPlaybooks" }],
    fields: [
      {
        name: "playbookId",
        wire: "playbook_id",
        type: "string",
        description: "The playbook id (`playbook-…`), the same value as the resource id; known in a preview once it exists.",
      },
      ...(org ? [orgIdField("playbook", "org_id")] : []),
      {
        name: "title",
        wire: "title",
        type: "string",
        input: "required",
        description: org
          ? "The title. pulumi-devin refuses to create a second playbook with the same title in the org."
          : "The title. pulumi-devin refuses to create a second enterprise playbook with the same title.",
      },
      {
        name: "body",
        wire: "body",
        type: "string",
        input: "required",
        description: org
          ? 'The instructions, in Markdown. Keep them in a file beside the program so that reviewers read the text diff in the pull request: `body: fs.readFileSync("playbooks/deploy.md", "utf8")`.'
          : "The instructions, in Markdown; best loaded from a file in the repository with `fs.readFileSync`.",
      },
      {
        name: "macro",
        wire: "macro",
        type: "string",
        input: "optional",
        nullable: true,
        description: org
          ? "The macro that invokes it in a session: `!` and then letters, digits, `_` or `-`, such as `!deploy`. Omit it for none."
          : "The macro that invokes it, such as `!release`. Omit it for none.",
      },
      {
        name: "structuredOutputSchema",
        wire: "structured_output_schema",
        type: { mapOf: "json" },
        input: "optional",
        nullable: true,
        description: org
          ? "A JSON Schema (Draft 7) object for the structured output sessions using the playbook produce: at most 64 KB, self-contained (`$ref` only to `#/...`). Omit it for none. Key order does not matter."
          : "A self-contained JSON Schema object (at most 64 KB) for the sessions' structured output. Omit it for none.",
      },
      adoptIdField(
        org
          ? "Manage an existing playbook of the org (`playbook-…`) instead of creating one. Read only when the resource is created."
          : "Manage an existing enterprise playbook (`playbook-…`) instead of creating one. Read only when the resource is created.",
      ),
      { name: "createdBy", wire: "created_by", type: "string", description: "Who created it (a user or service user id)." },
      { name: "updatedBy", wire: "updated_by", type: "string", description: "Who last changed it (a user or service user id)." },
      { name: "createdAt", wire: "created_at", type: "integer", description: "Creation time, unix seconds." },
      { name: "updatedAt", wire: "updated_at", type: "integer", description: "Last update time, unix seconds." },
    ],
    leftOut: {
      access_type: "The level, which the resource type says: `Playbook` is an org's, `EnterprisePlaybook` the enterprise's.",
      ...(org ? {} : { org_id: "Always null at the enterprise level." }),
    },
  };
}

export const playbook = playbookTable("org");
