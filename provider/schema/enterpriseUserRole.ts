import { MEMBER_ROLE_PERMISSIONS, roleAssignmentSchema } from "./roleAssignment";

export const enterpriseUserRole = roleAssignmentSchema({
  kind: "EnterpriseUserRole",
  description:
    "A direct member's enterprise role.\nEvery member holds an enterprise role, so this resource manages the one the user has: creating it sets the role (one PATCH when it differs), and deleting it leaves the user with the role it then has, since only removing the user from the enterprise takes it away. Members whose access comes from IdP groups are managed through `EnterpriseIdpGroupRole` instead.",
  example: `new devin.EnterpriseUserRole("alice", { userId: alice.userId, role: "Admin" });`,
  level: "enterprise",
  subject: {
    name: "userId",
    description: "The user (`user-…`), a direct member of the enterprise; see `getUsers()`. Changing it replaces the resource.",
  },
  adoptable: false,
  permissions: MEMBER_ROLE_PERMISSIONS,
});
