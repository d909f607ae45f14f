import { enterpriseServiceUserRole as table } from "../schema/roleAssignment";
import { paths } from "./api";
import { readServiceUserRole, roleAssignment } from "./roleAssignment";

/**
 * A service user's enterprise role: assigned to a service user provisioned in an org (which has none), or taken over
 * and changed. The API assigns the enterprise Admin role to an existing service user, which provisioning cannot.
 */
export const enterpriseServiceUserRole = roleAssignment({
  table,
  describe: (k) => `the enterprise role of service user ${k.serviceUserId}`,
  keys: [{ name: "serviceUserId", prefix: "service-user" }],
  ownSubject: "serviceUserId",
  roleType: "enterprise",
  readRole: (client, k, operation) => readServiceUserRole(client, k.serviceUserId, null, operation),
  assign: (k, body) => ({ method: "POST", path: paths.serviceUser(k.serviceUserId), body }),
  change: (k, body) => ({ method: "PATCH", path: paths.serviceUser(k.serviceUserId), body }),
  kept: "the service user keeps this enterprise role: the API cannot take it away (only deleting the service user does)",
});
