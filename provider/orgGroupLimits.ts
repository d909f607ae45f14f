import * as pulumi from "@pulumi/pulumi";
import { DevinResource } from "./resource";

/** A group of orgs sharing an ACU cap. */
export interface OrgGroupArgs {
  /** The group's name; unique among the groups. */
  name: pulumi.Input<string>;
  /** The orgs in the group (Organizations' `orgId`); an org belongs to one group at most. */
  orgIds: pulumi.Input<pulumi.Input<string>[]>;
  /** ACUs the group's orgs may use together per billing cycle; leave it out for no cap. */
  maxCycleAcus?: pulumi.Input<number>;
}

/** The desired state of the enterprise's org group limits. */
export interface OrgGroupLimitsArgs {
  groups: pulumi.Input<pulumi.Input<OrgGroupArgs>[]>;
  /** Manage limits already set outside this stack: "org-group-limits". Read only when the resource is created. */
  adoptId?: pulumi.Input<string>;
}

const ARGUMENTS: readonly (keyof OrgGroupLimitsArgs)[] = ["groups", "adoptId"];

/**
 * The enterprise's org group limits (one configuration per enterprise): named groups of orgs that share an ACU cap
 * per billing cycle. The resource owns the whole configuration: create and update replace it, delete removes every
 * group. Two groups with one name, or an org in two groups, fail at preview. The API offers this only where Devin
 * has enabled the feature for the enterprise.
 *
 * @example
 * new devin.OrgGroupLimits("limits", { groups: [{ name: "research", orgIds: [ml.orgId, data.orgId], maxCycleAcus: 5000 }] });
 */
export class OrgGroupLimits extends DevinResource {
  /** The groups, sorted by name, each with its org ids sorted. */
  declare readonly groups: pulumi.Output<{ name: string; orgIds: string[]; maxCycleAcus: number | null }[]>;
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: OrgGroupLimitsArgs, opts?: pulumi.CustomResourceOptions) {
    super("OrgGroupLimits", name, args, ARGUMENTS, { groups: args.groups, adoptId: args.adoptId, schemaVersion: undefined }, opts);
  }
}
