import { orgServiceUserRole as table } from "../schema/roleAssignment";
import { seg } from "./api";
import { readServiceUserRole, roleAssignment } from "./roleAssignment";

export const orgServiceUserRolePaths = {
  /** A service user's role in an org: POST assigns, PATCH changes, DELETE removes. */
  orgServiceUserRole: (orgId: string, serviceUserId: string) =>
    `/v3/enterprise/organizations/${seg(orgId)}/members/service-users/${seg(serviceUserId)}`,
} as const;

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
  assign: (k, body) => ({ method: "POST", path: orgServiceUserRolePaths.orgServiceUserRole(k.orgId, k.serviceUserId), body }),
  change: (k, body) => ({ method: "PATCH", path: orgServiceUserRolePaths.orgServiceUserRole(k.orgId, k.serviceUserId), body }),
  remove: (k) => ({ method: "DELETE", path: orgServiceUserRolePaths.orgServiceUserRole(k.orgId, k.serviceUserId) }),
});
