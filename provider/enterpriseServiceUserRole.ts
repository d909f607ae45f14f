import * as pulumi from "@pulumi/pulumi";
import { RoleAssignmentResource } from "./roleAssignment";

/** The desired state of a service user's enterprise role. */
export interface EnterpriseServiceUserRoleArgs {
  /** The service user (a ServiceUser's `serviceUserId`). Changing it replaces the resource. */
  serviceUserId: pulumi.Input<string>;
  /** A role name ("Member", "Admin"; any case) or a role id from `getRoles()`: an enterprise-level role. Changes apply in place. */
  role: pulumi.Input<string>;
  /**
   * Manage a role the subject already holds here, set outside this stack: its id, `<serviceUserId>`. Without it,
   * creating the resource where a role exists is refused. Read only when the resource is created.
   */
  adoptId?: pulumi.Input<string>;
}

/**
 * A service user's enterprise role.
 * Gives a service user provisioned in an org an enterprise role, or manages the enterprise role of one this stack does
 * not provision (adopt it). Unlike provisioning, it can grant the enterprise Admin role. The API has no way to take an
 * enterprise role away (only deleting the service user does), so deleting this resource leaves the role in place.
 * A ServiceUser without `orgId` already manages its own enterprise role through `role`.
 *
 * @example
 * new devin.EnterpriseServiceUserRole("ops-admin", { serviceUserId: ops.serviceUserId, role: "Admin" });
 */
export class EnterpriseServiceUserRole extends RoleAssignmentResource {
  declare readonly serviceUserId: pulumi.Output<string>;

  constructor(name: string, args: EnterpriseServiceUserRoleArgs, opts?: pulumi.CustomResourceOptions) {
    super("EnterpriseServiceUserRole", name, { ...args }, ["serviceUserId"], true, opts);
  }
}
