import * as pulumi from "@pulumi/pulumi";
import { claimNaturalKey, withClaim } from "./args";
import { DevinResource } from "./resource";

/** The desired state of an org's permission on repositories of a git connection. Set exactly one of the three paths. */
export interface GitPermissionArgs {
  /** The org (an Organization's `orgId`). Changing it replaces the permission. */
  orgId: pulumi.Input<string>;
  /** The git connection (see `getGitConnections`; connections are made in the Devin app). Changing it replaces the permission. */
  gitConnectionId: pulumi.Input<string>;
  /** One repository, such as `acme/web`. */
  repoPath?: pulumi.Input<string>;
  /** Every repository in a group, such as `acme/frontend` (no trailing `/`). */
  groupPrefix?: pulumi.Input<string>;
  /** Every repository whose path starts with it, host included, such as `github.com/acme`. */
  prefixPath?: pulumi.Input<string>;
  /** Read-only access (default false). The only field that changes in place. */
  readOnly?: pulumi.Input<boolean>;
  /** Manage an existing permission of the org (`git-permission-…`) instead of creating one. Read only when the resource is created. */
  adoptId?: pulumi.Input<string>;
}

const ARGUMENTS: readonly (keyof GitPermissionArgs)[] = [
  "orgId",
  "gitConnectionId",
  "repoPath",
  "groupPrefix",
  "prefixPath",
  "readOnly",
  "adoptId",
];

/**
 * Gives an org access to repositories of a git connection: one repository (`repoPath`), a group (`groupPrefix`) or a
 * path prefix (`prefixPath`); exactly one, checked at preview. Changing anything but `readOnly` replaces it.
 *
 * @example
 * const [github] = await devin.getGitConnections();
 * new devin.GitPermission("web", { orgId: eng.orgId, gitConnectionId: github.gitConnectionId, repoPath: "acme/web" });
 */
export class GitPermission extends DevinResource {
  /** The permission id (`git-permission-…`), the same value as the resource id. */
  declare readonly gitPermissionId: pulumi.Output<string>;
  declare readonly orgId: pulumi.Output<string>;
  declare readonly gitConnectionId: pulumi.Output<string>;
  declare readonly repoPath: pulumi.Output<string | null>;
  declare readonly groupPrefix: pulumi.Output<string | null>;
  declare readonly prefixPath: pulumi.Output<string | null>;
  declare readonly readOnly: pulumi.Output<boolean>;
  /** Unix seconds, or null when the API does not say. */
  declare readonly createdAt: pulumi.Output<number | null>;
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: GitPermissionArgs, opts?: pulumi.CustomResourceOptions) {
    const claim = args.adoptId
      ? undefined
      : claimNaturalKey(
          "GitPermission",
          name,
          pulumi.all([args.orgId, args.gitConnectionId, args.repoPath, args.groupPrefix, args.prefixPath]),
          ([org, conn, repo, group, prefix]) => ({
            key: [org, conn, repo, group, prefix].join("\u0000"),
            describe: `the same path of ${conn} in ${org}`,
          }),
        );
    super(
      "GitPermission",
      name,
      args,
      ARGUMENTS,
      {
        orgId: args.orgId,
        gitConnectionId: args.gitConnectionId,
        repoPath: args.repoPath,
        groupPrefix: args.groupPrefix,
        prefixPath: args.prefixPath,
        readOnly: args.readOnly,
        adoptId: args.adoptId,
        gitPermissionId: undefined,
        createdAt: undefined,
        schemaVersion: undefined,
      },
      withClaim(opts, claim),
    );
    this.gitPermissionId = this.id;
  }
}
