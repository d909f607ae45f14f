import * as pulumi from "@pulumi/pulumi";
import { RoleAssignmentResource } from "./roleAssignment";

/** The desired state of the enterprise role that members of an IdP group inherit. */
export interface EnterpriseIdpGroupRoleArgs {
  /** The IdP group's name (an IdpGroup's `name`): the name your identity provider sends. Changing it replaces the resource. */
  idpGroupName: pulumi.Input<string>;
  /** A role name ("Member", "Admin"; any case) or a role id from `getRoles()`: an enterprise-level role. Changes apply in place. */
  role: pulumi.Input<string>;
  /**
   * Manage a role the subject already holds here, set outside this stack: its id, `<idpGroupName>`. Without it,
   * creating the resource where a role exists is refused. Read only when the resource is created.
   */
  adoptId?: pulumi.Input<string>;
}

/**
 * The enterprise role that members of an IdP group inherit.
 * Users inherit it when their single sign-on carries the group. Deleting it removes the group's enterprise role (its
 * org roles stay). A group needs an enterprise role before it can have org roles (`OrgIdpGroupRole`).
 *
 * @example
 * new devin.EnterpriseIdpGroupRole("eng", { idpGroupName: group.name, role: "Member" });
 */
export class EnterpriseIdpGroupRole extends RoleAssignmentResource {
  declare readonly idpGroupName: pulumi.Output<string>;

  constructor(name: string, args: EnterpriseIdpGroupRoleArgs, opts?: pulumi.CustomResourceOptions) {
    super("EnterpriseIdpGroupRole", name, { ...args }, ["idpGroupName"], true, opts);
  }
}
