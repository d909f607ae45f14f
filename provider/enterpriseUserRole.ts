import * as pulumi from "@pulumi/pulumi";
import { RoleAssignmentResource } from "./roleAssignment";

/** The desired state of a direct member's enterprise role. */
export interface EnterpriseUserRoleArgs {
  /** The user (`user-…`), a direct member of the enterprise; see `getUsers()`. Changing it replaces the resource. */
  userId: pulumi.Input<string>;
  /** A role name ("Member", "Admin"; any case) or a role id from `getRoles()`: an enterprise-level role. Changes apply in place. */
  role: pulumi.Input<string>;
}

/**
 * A direct member's enterprise role.
 * Every member holds an enterprise role, so this resource manages the one the user has: creating it sets the role
 * (one PATCH when it differs), and deleting it leaves the user with the role it then has, since only removing the
 * user from the enterprise takes it away. Members whose access comes from IdP groups are managed through
 * `EnterpriseIdpGroupRole` instead.
 *
 * @example
 * new devin.EnterpriseUserRole("alice", { userId: alice.userId, role: "Admin" });
 */
export class EnterpriseUserRole extends RoleAssignmentResource {
  declare readonly userId: pulumi.Output<string>;

  constructor(name: string, args: EnterpriseUserRoleArgs, opts?: pulumi.CustomResourceOptions) {
    super("EnterpriseUserRole", name, { ...args }, ["userId"], false, opts);
  }
}
