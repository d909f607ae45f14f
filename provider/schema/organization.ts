import { adoptIdField } from "./fields";
import type { ResourceSchema } from "./types";

export const organization: ResourceSchema = {
  kind: "Organization",
  description: "A Devin organization with its ACU limits. Name and limits update in place with one PATCH.",
  example: `const eng = new devin.Organization("eng", { name: "Engineering", acuLimit: 500 });
export const engId = eng.orgId;`,
  importId: "the org id, `org-` + 32 hex",
  idOutput: "orgId",
  naturalKey: { of: ["name"], describe: ([n]) => `the organization name '${n}'`, unlessAdopting: true },
  // Reading the organizations needs the same permission as changing them.
  permissions: [{ method: "*", path: /^\/enterprise\/organizations(\/[^/]+)?$/, permission: "ManageOrganizations" }],
  fields: [
    {
      name: "orgId",
      wire: "org_id",
      type: "string",
      description:
        "The organization id (`org-` + 32 hex), the same value as the resource id. Known during a preview whenever the org already exists, so resources that reference it show no change when only the org is updated.",
    },
    {
      name: "name",
      wire: "name",
      type: "string",
      input: "required",
      description:
        "Display name, 1 to 256 characters. Devin does not keep names unique; pulumi-devin refuses to create an org whose name is already taken (by another resource of the program, or by an org this resource does not manage).",
    },
    {
      name: "acuLimit",
      wire: "max_cycle_acu_limit",
      type: "integer",
      input: "optional",
      nullable: true,
      description:
        "Per-billing-cycle ACU cap (`max_cycle_acu_limit`): a whole number, 0 or more; 0 blocks usage. Omit it for no cycle limit; removing it later clears the limit. As an output: null when there is none.",
    },
    {
      name: "maxSessionAcuLimit",
      wire: "max_session_acu_limit",
      type: "integer",
      input: "optional",
      nullable: true,
      serverDefault: true,
      description:
        "Per-session ACU cap (`max_session_acu_limit`). When omitted it is not managed: the server's default (or whatever is set outside Pulumi) stays, and never shows as a change. As an output: the declared value, or the server's.",
    },
    adoptIdField(
      "An existing organization (`org-…`) for this resource to manage instead of creating one: `pulumi up` reads it and changes only what differs from these arguments; from then on it is managed as if this stack had created it (deleting the resource deletes the org; consider `protect: true`). Read only when the resource is created; it can stay in the program afterwards.",
    ),
    { name: "createdAt", wire: "created_at", type: "integer", description: "Creation time, unix seconds." },
    { name: "updatedAt", wire: "updated_at", type: "integer", description: "Last update time, unix seconds." },
  ],
};
