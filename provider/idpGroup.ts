import * as pulumi from "@pulumi/pulumi";
import { DevinResource } from "./resource";

/** The desired state of an IdP group registration. */
export interface IdpGroupArgs {
  /** The group's name as your identity provider sends it (it may contain `/`). Changing it replaces the resource. */
  name: pulumi.Input<string>;
  /** Manage a group already registered outside this stack: its name. Read only when the resource is created. */
  adoptId?: pulumi.Input<string>;
}

const ARGUMENTS: readonly (keyof IdpGroupArgs)[] = ["name", "adoptId"];

/**
 * An IdP group registered with the enterprise. A registered group grants nothing by itself: give it roles with
 * `EnterpriseIdpGroupRole` and `OrgIdpGroupRole`. Deleting it unregisters the group, and the API drops its role
 * mappings with it.
 *
 * @example
 * const eng = new devin.IdpGroup("eng", { name: "engineering" });
 * new devin.EnterpriseIdpGroupRole("eng", { idpGroupName: eng.name, role: "Member" });
 */
export class IdpGroup extends DevinResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: IdpGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super("IdpGroup", name, args, ARGUMENTS, { name: args.name, adoptId: args.adoptId, schemaVersion: undefined }, opts);
  }
}
