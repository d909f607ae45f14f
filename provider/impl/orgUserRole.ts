import { orgUserRole as table } from "../schema/orgUserRole";
import { paths } from "./api";
import { readUserRole, roleAssignment } from "./roleAssignment";

/** A user's direct role in one org. */
export const orgUserRole = roleAssignment({
  table,
  describe: (k) => `the role of user ${k.userId} in ${k.orgId}`,
  keys: [
    { name: "orgId", prefix: "org" },
    { name: "userId", prefix: "user" },
  ],
  roleType: "org",
  readRole: (client, k, operation) => readUserRole(client, k.userId, k.orgId, operation),
  assign: (k, body) => ({ method: "POST", path: paths.orgUserRole(k.orgId, k.userId), body }),
  change: (k, body) => ({ method: "PATCH", path: paths.orgUserRole(k.orgId, k.userId), body }),
  remove: (k) => ({ method: "DELETE", path: paths.orgUserRole(k.orgId, k.userId) }),
});
