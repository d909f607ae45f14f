import { adoptIdField, orgIdField } from "./fields";
import type { ResourceSchema } from "./types";

export const gitPermission: ResourceSchema = {
  kind: "GitPermission",
  description:
    "Gives an org access to repositories of a git connection: one repository (`repoPath`), a group (`groupPrefix`) or a path prefix (`prefixPath`); exactly one, checked at preview. Changing anything but `readOnly` replaces it.",
  example: `const [github] = await devin.getGitConnections();
new devin.GitPermission("web", { orgId: eng.orgId, gitConnectionId: github.gitConnectionId, repoPath: "acme/web" });`,
  importId: "the permission id, `git-permission-…`, of a permission of the org",
  idOutput: "gitPermissionId",
  naturalKey: {
    of: ["orgId", "gitConnectionId", "repoPath", "groupPrefix", "prefixPath"],
    describe: ([o, c]) => `the same path of ${c} in ${o}`,
    unlessAdopting: true,
  },
  permissions: [{ method: "*", path: /^\/enterprise\/organizations\/[^/]+\/git-providers\//, permission: "ManageGitIntegrations" }],
  fields: [
    {
      name: "gitPermissionId",
      wire: "git_permission_id",
      type: "string",
      description: "The permission id (`git-permission-…`), the same value as the resource id.",
    },
    // In the path only: the API's permissions do not say their org.
    orgIdField("permission"),
    {
      name: "gitConnectionId",
      wire: "git_connection_id",
      type: "string",
      input: "required",
      replaces: true,
      description:
        "The git connection (see `getGitConnections`; connections are made in the Devin app). Changing it replaces the permission.",
    },
    {
      name: "repoPath",
      wire: "repo_path",
      type: "string",
      input: "optional",
      nullable: true,
      replaces: true,
      description: "One repository, such as `acme/web`.",
    },
    {
      name: "groupPrefix",
      wire: "group_prefix",
      type: "string",
      input: "optional",
      nullable: true,
      replaces: true,
      description: "Every repository in a group, such as `acme/frontend` (no trailing `/`).",
    },
    {
      name: "prefixPath",
      wire: "prefix_path",
      type: "string",
      input: "optional",
      nullable: true,
      replaces: true,
      description: "Every repository whose path starts with it, host included, such as `github.com/acme`.",
    },
    {
      name: "readOnly",
      wire: "read_only",
      type: "boolean",
      input: "optional",
      description: "Read-only access (default false). The only field that changes in place.",
    },
    adoptIdField(
      "Manage an existing permission of the org (`git-permission-…`) instead of creating one. Read only when the resource is created.",
    ),
    {
      name: "createdAt",
      wire: "created_at",
      type: "integer",
      nullable: true,
      description: "Unix seconds, or null when the API does not say.",
    },
  ],
};
