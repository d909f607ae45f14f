import { MEMBER_ROLE_PERMISSIONS, roleAssignmentSchema } from "./roleAssignment";

export const orgUserRole = roleAssignmentSchema({
  kind: "OrgUserRole",
  description:
    "A user's direct role in an org.\nCreating it adds the user to the org with the role; changing `role` updates it in place; deleting it removes the user from the org. The user must not have a direct role in the org already, unless this resource adopts it.",
  example: `new devin.OrgUserRole("alice-eng", { orgId: eng.orgId, userId: alice.userId, role: "Admin" });`,
  level: "org",
  subject: {
    name: "userId",
    description: "The user (`user-…`), already a member of the enterprise; see `getUsers()`. Changing it replaces the resource.",
  },
  adoptable: true,
  permissions: MEMBER_ROLE_PERMISSIONS,
});
