import { adoptIdField } from "./fields";
import type { ResourceSchema } from "./types";

export const orgGroupLimits: ResourceSchema = {
  kind: "OrgGroupLimits",
  description:
    "The enterprise's org group limits (one configuration per enterprise): named groups of orgs that share an ACU cap per billing cycle. The resource owns the whole configuration: create and update replace it, delete removes every group. Two groups with one name, or an org in two groups, fail at preview. The API offers this only where Devin has enabled the feature for the enterprise.",
  example: `new devin.OrgGroupLimits("limits", { groups: [{ name: "research", orgIds: [ml.orgId, data.orgId], maxCycleAcus: 5000 }] });`,
  importId: '"org-group-limits" (the enterprise has one configuration)',
  permissions: [{ method: "*", path: /^\/enterprise\/org-group-limits$/, permission: "ManageOrganizations" }],
  fields: [
    {
      name: "groups",
      // On the wire a map from each group's name to the rest of it (`{<name>: {org_ids, max_cycle_acus}}`), not a list.
      wire: "groups",
      type: { arrayOf: { object: "OrgGroup" } },
      input: "required",
      description: "The groups, sorted by name, each with its org ids sorted.",
    },
    adoptIdField('Manage limits already set outside this stack: "org-group-limits". Read only when the resource is created.'),
  ],
};
