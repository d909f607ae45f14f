import { adoptIdField } from "./fields";
import type { ResourceSchema } from "./types";

export const orgTags: ResourceSchema = {
  kind: "OrgTags",
  description:
    "The session tags allowed in an org and its default tag. The resource owns the org's whole tag list: delete clears it, with the default. The API offers tags only where the session-tags feature is enabled.",
  example: `new devin.OrgTags("eng-tags", { orgId: eng.orgId, tags: ["feature", "bugfix"], defaultTag: "feature" });`,
  importId: "the org id, `org-` + 32 hex",
  permissions: [{ method: "*", path: /^\/enterprise\/organizations\/[^/]+\/tags(\/.*)?$/, permission: "ManageEnterpriseSettings" }],
  fields: [
    {
      name: "orgId",
      type: "string",
      input: "required",
      replaces: true,
      description: "The org (an Organization's `orgId`). Changing it replaces the resource.",
    },
    {
      name: "tags",
      wire: "tags",
      type: { arrayOf: "string" },
      input: "required",
      description: "The session tags allowed in the org. Kept as the API keeps them: sorted, without duplicates.",
    },
    {
      name: "defaultTag",
      // Read as `default_tag` from `.../tags/default`; set there with a body `{tag}`.
      wire: "default_tag",
      requestWire: "tag",
      type: "string",
      input: "optional",
      nullable: true,
      description: "The tag sessions get when none is given; must be one of `tags`. Leave it out for no default.",
    },
    adoptIdField("Manage tags already set outside this stack: the org's id. Read only when the resource is created."),
  ],
};
