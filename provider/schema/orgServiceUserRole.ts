import { roleAssignmentSchema } from "./roleAssignment";
import { SERVICE_USER_PERMISSIONS } from "./serviceUser";

export const orgServiceUserRole = roleAssignmentSchema({
  kind: "OrgServiceUserRole",
  description:
    "A service user's role in an org.\nFor an enterprise service user, or one provisioned in another org. (The role a ServiceUser holds in the org it was provisioned in is its own `role`.) Deleting it removes the service user from the org.",
  example: `new devin.OrgServiceUserRole("ci-in-data", { orgId: data.orgId, serviceUserId: ci.serviceUserId, role: "Member" });`,
  level: "org",
  subject: { name: "serviceUserId", description: "The service user (a ServiceUser's `serviceUserId`). Changing it replaces the resource." },
  adoptable: true,
  permissions: SERVICE_USER_PERMISSIONS,
});
