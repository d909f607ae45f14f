import * as pulumi from "@pulumi/pulumi";
import { DevinResource } from "./resource";

/** The desired state of an org's session tags. */
export interface OrgTagsArgs {
  /** The org (an Organization's `orgId`). Changing it replaces the resource. */
  orgId: pulumi.Input<string>;
  /** The session tags allowed in the org. Kept as the API keeps them: sorted, without duplicates. */
  tags: pulumi.Input<pulumi.Input<string>[]>;
  /** The tag sessions get when none is given; must be one of `tags`. Leave it out for no default. */
  defaultTag?: pulumi.Input<string>;
  /** Manage tags already set outside this stack: the org's id. Read only when the resource is created. */
  adoptId?: pulumi.Input<string>;
}

const ARGUMENTS: readonly (keyof OrgTagsArgs)[] = ["orgId", "tags", "defaultTag", "adoptId"];

/**
 * The session tags allowed in an org and its default tag. The resource owns the org's whole tag list: delete clears
 * it, with the default. The API offers tags only where the session-tags feature is enabled.
 *
 * @example
 * new devin.OrgTags("eng-tags", { orgId: eng.orgId, tags: ["feature", "bugfix"], defaultTag: "feature" });
 */
export class OrgTags extends DevinResource {
  declare readonly orgId: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<string[]>;
  declare readonly defaultTag: pulumi.Output<string | null>;
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: OrgTagsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "OrgTags",
      name,
      args,
      ARGUMENTS,
      { orgId: args.orgId, tags: args.tags, defaultTag: args.defaultTag, adoptId: args.adoptId, schemaVersion: undefined },
      opts,
    );
  }
}
