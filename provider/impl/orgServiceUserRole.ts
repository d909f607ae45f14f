import { orgServiceUserRole as table } from "../schema/orgServiceUserRole";
import { paths } from "./api";
import { readServiceUserRole, roleAssignment } from "./roleAssignment";

/** A service user's role in an org other than the one it was provisioned in, or an enterprise service user's org role. */
export const orgServiceUserRole = roleAssignment({
  table,
  describe: (k) => `the role of service user ${k.serviceUserId} in ${k.orgId}`,
  keys: [
    { name: "orgId", prefix: "org" },
    { name: "serviceUserId", prefix: "service-user" },
  ],
  ownSubject: "serviceUserId",
  roleType: "org",
  readRole: (client, k, operation) => readServiceUserRole(client, k.serviceUserId, k.orgId, operation),
  assign: (k, body) => ({ method: "POST", path: paths.orgServiceUserRole(k.orgId, k.serviceUserId), body }),
  change: (k, body) => ({ method: "PATCH", path: paths.orgServiceUserRole(k.orgId, k.serviceUserId), body }),
  remove: (k) => ({ method: "DELETE", path: paths.orgServiceUserRole(k.orgId, k.serviceUserId) }),
});
