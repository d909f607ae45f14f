import { paths } from "./api";
import { readServiceUserRole, roleAssignment } from "./roleAssignment";

/**
 * A service user's enterprise role: assigned to a service user provisioned in an org (which has none), or taken over
 * and changed. The API assigns the enterprise Admin role to an existing service user, which provisioning cannot.
 */
export const enterpriseServiceUserRole = roleAssignment({
  describe: (k) => `the enterprise role of service user ${k.serviceUserId}`,
  keys: [{ name: "serviceUserId", prefix: "service-user" }],
  ownSubject: "serviceUserId",
  roleType: "enterprise",
  readRole: (client, k, operation) => readServiceUserRole(client, k.serviceUserId, null, operation),
  assign: (k, roleId) => ({ method: "POST", path: paths.serviceUser(k.serviceUserId), body: { role_id: roleId } }),
  change: (k, roleId) => ({ method: "PATCH", path: paths.serviceUser(k.serviceUserId), body: { role_id: roleId } }),
  kept: "the service user keeps this enterprise role: the API cannot take it away (only deleting the service user does)",
});
