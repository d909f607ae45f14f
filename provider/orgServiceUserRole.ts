import * as pulumi from "@pulumi/pulumi";
import { RoleAssignmentResource } from "./roleAssignment";

/** The desired state of a service user's role in an org. */
export interface OrgServiceUserRoleArgs {
  /** The org (an Organization's `orgId`). Changing it replaces the resource. */
  orgId: pulumi.Input<string>;
  /** The service user (a ServiceUser's `serviceUserId`). Changing it replaces the resource. */
  serviceUserId: pulumi.Input<string>;
  /** A role name ("Member", "Admin"; any case) or a role id from `getRoles()`: an org-level role. Changes apply in place. */
  role: pulumi.Input<string>;
  /**
   * Manage a role the subject already holds here, set outside this stack: its id, `<orgId>/<serviceUserId>`. Without it,
   * creating the resource where a role exists is refused. Read only when the resource is created.
   */
  adoptId?: pulumi.Input<string>;
}

/**
 * A service user's role in an org.
 * For an enterprise service user, or one provisioned in another org. (The role a ServiceUser holds in the org it was
 * provisioned in is its own `role`.) Deleting it removes the service user from the org.
 *
 * @example
 * new devin.OrgServiceUserRole("ci-in-data", { orgId: data.orgId, serviceUserId: ci.serviceUserId, role: "Member" });
 */
export class OrgServiceUserRole extends RoleAssignmentResource {
  declare readonly orgId: pulumi.Output<string>;
  declare readonly serviceUserId: pulumi.Output<string>;

  constructor(name: string, args: OrgServiceUserRoleArgs, opts?: pulumi.CustomResourceOptions) {
    super("OrgServiceUserRole", name, { ...args }, ["orgId", "serviceUserId"], true, opts);
  }
}
