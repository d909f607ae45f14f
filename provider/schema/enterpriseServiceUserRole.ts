import { roleAssignmentSchema } from "./roleAssignment";
import { SERVICE_USER_PERMISSIONS } from "./serviceUser";

export const enterpriseServiceUserRole = roleAssignmentSchema({
  kind: "EnterpriseServiceUserRole",
  description:
    "A service user's enterprise role.\nGives a service user provisioned in an org an enterprise role, or manages the enterprise role of one this stack does not provision (adopt it). Unlike provisioning, it can grant the enterprise Admin role. The API has no way to take an enterprise role away (only deleting the service user does), so deleting this resource leaves the role in place. A ServiceUser without `orgId` already manages its own enterprise role through `role`.",
  example: `new devin.EnterpriseServiceUserRole("ops-admin", { serviceUserId: ops.serviceUserId, role: "Admin" });`,
  level: "enterprise",
  subject: { name: "serviceUserId", description: "The service user (a ServiceUser's `serviceUserId`). Changing it replaces the resource." },
  adoptable: true,
  permissions: SERVICE_USER_PERMISSIONS,
});
