import { orgUserRole as table } from "../schema/roleAssignment";
import { seg } from "./api";
import { readUserRole, roleAssignment } from "./roleAssignment";

export const orgUserRolePaths = {
  /** A user's direct role in an org: POST assigns, PATCH changes, DELETE removes. */
  orgUserRole: (orgId: string, userId: string) => `/v3/enterprise/organizations/${seg(orgId)}/members/users/${seg(userId)}`,
} as const;

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
  assign: (k, body) => ({ method: "POST", path: orgUserRolePaths.orgUserRole(k.orgId, k.userId), body }),
  change: (k, body) => ({ method: "PATCH", path: orgUserRolePaths.orgUserRole(k.orgId, k.userId), body }),
  remove: (k) => ({ method: "DELETE", path: orgUserRolePaths.orgUserRole(k.orgId, k.userId) }),
});
