import * as pulumi from "@pulumi/pulumi";
import { RoleAssignmentResource } from "./roleAssignment";

/** The desired state of the role that members of an IdP group inherit in one org. */
export interface OrgIdpGroupRoleArgs {
  /** The org (an Organization's `orgId`). Changing it replaces the resource. */
  orgId: pulumi.Input<string>;
  /** The IdP group's name. The group needs an enterprise role first: pass the EnterpriseIdpGroupRole in `dependsOn`. Changing it replaces the resource. */
  idpGroupName: pulumi.Input<string>;
  /** A role name ("Member", "Admin"; any case) or a role id from `getRoles()`: an org-level role. Changes apply in place. */
  role: pulumi.Input<string>;
  /**
   * Manage a role the subject already holds here, set outside this stack: its id, `<orgId>/<idpGroupName>`. Without it,
   * creating the resource where a role exists is refused. Read only when the resource is created.
   */
  adoptId?: pulumi.Input<string>;
}

/**
 * The role that members of an IdP group inherit in one org.
 * The API accepts an org role only for a group that already has an enterprise role, so declare the
 * `EnterpriseIdpGroupRole` first and make this one depend on it.
 *
 * @example
 * new devin.OrgIdpGroupRole("eng-admins", { orgId: eng.orgId, idpGroupName: group.name, role: "Admin" }, { dependsOn: [groupRole] });
 */
export class OrgIdpGroupRole extends RoleAssignmentResource {
  declare readonly orgId: pulumi.Output<string>;
  declare readonly idpGroupName: pulumi.Output<string>;

  constructor(name: string, args: OrgIdpGroupRoleArgs, opts?: pulumi.CustomResourceOptions) {
    super("OrgIdpGroupRole", name, { ...args }, ["orgId", "idpGroupName"], true, opts);
  }
}
