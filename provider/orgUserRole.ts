import * as pulumi from "@pulumi/pulumi";
import { RoleAssignmentResource } from "./roleAssignment";

/** The desired state of a user's direct role in an org. */
export interface OrgUserRoleArgs {
  /** The org (an Organization's `orgId`). Changing it replaces the resource. */
  orgId: pulumi.Input<string>;
  /** The user (`user-…`), already a member of the enterprise; see `getUsers()`. Changing it replaces the resource. */
  userId: pulumi.Input<string>;
  /** A role name ("Member", "Admin"; any case) or a role id from `getRoles()`: an org-level role. Changes apply in place. */
  role: pulumi.Input<string>;
  /**
   * Manage a role the subject already holds here, set outside this stack: its id, `<orgId>/<userId>`. Without it,
   * creating the resource where a role exists is refused. Read only when the resource is created.
   */
  adoptId?: pulumi.Input<string>;
}

/**
 * A user's direct role in an org.
 * Creating it adds the user to the org with the role; changing `role` updates it in place; deleting it removes the
 * user from the org. The user must not have a direct role in the org already, unless this resource adopts it.
 *
 * @example
 * new devin.OrgUserRole("alice-eng", { orgId: eng.orgId, userId: alice.userId, role: "Admin" });
 */
export class OrgUserRole extends RoleAssignmentResource {
  declare readonly orgId: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<string>;

  constructor(name: string, args: OrgUserRoleArgs, opts?: pulumi.CustomResourceOptions) {
    super("OrgUserRole", name, { ...args }, ["orgId", "userId"], true, opts);
  }
}
