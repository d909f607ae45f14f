import type { Principal } from "./context";
import { findRole, holds, NEVER_PROVISIONED, type RoleDefinition, type RoleType } from "./permissions";
import { ApiError, unprocessable } from "./problem";

/**
 * The one rule for every grant of a role (provisioning or assignment): the role must exist and be of the right type,
 * it may hold only permissions the caller holds itself where it is granted, and never ManageAccountServiceUsers.
 */
export function checkGrant(principal: Principal, roleId: string, type: RoleType, orgId: string | null): RoleDefinition {
  const role = findRole(roleId);
  if (!role) {
    throw unprocessable(["body", "role_id"], `unknown role_id '${roleId}'; list roles with GET /v3/enterprise/roles`);
  }
  if (role.role_type !== type) {
    throw unprocessable(["body", "role_id"], `role '${roleId}' is an ${role.role_type}-level role; this call needs an ${type}-level role`);
  }
  if (role.permissions.includes(NEVER_PROVISIONED)) {
    throw new ApiError(403, `Role '${roleId}' holds ${NEVER_PROVISIONED}, which can never be granted through the API`);
  }
  const missing = role.permissions.filter((p) => !holds(principal.serviceUser.role_assignments, p, orgId));
  if (missing.length > 0) {
    throw new ApiError(403, `Cannot grant role '${roleId}': the caller lacks ${missing.join(", ")}`);
  }
  return role;
}
