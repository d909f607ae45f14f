import { paths } from "./api";
import { readUserRole, roleAssignment } from "./roleAssignment";

/** A user's direct role in one org. */
export const orgUserRole = roleAssignment({
  describe: (k) => `the role of user ${k.userId} in ${k.orgId}`,
  keys: [
    { name: "orgId", prefix: "org" },
    { name: "userId", prefix: "user" },
  ],
  roleType: "org",
  readRole: (client, k, operation) => readUserRole(client, k.userId, k.orgId, operation),
  assign: (k, roleId) => ({ method: "POST", path: paths.orgUserRole(k.orgId, k.userId), body: { role_id: roleId } }),
  change: (k, roleId) => ({ method: "PATCH", path: paths.orgUserRole(k.orgId, k.userId), body: { role_id: roleId } }),
  remove: (k) => ({ method: "DELETE", path: paths.orgUserRole(k.orgId, k.userId) }),
});
