import { paths } from "./api";
import { readUserRole, roleAssignment } from "./roleAssignment";

/** A direct member's enterprise role. Every member has one, so the resource manages it and cannot take it away. */
export const enterpriseUserRole = roleAssignment({
  describe: (k) => `the enterprise role of user ${k.userId}`,
  keys: [{ name: "userId", prefix: "user" }],
  roleType: "enterprise",
  alwaysHeld: true,
  readRole: (client, k, operation) => readUserRole(client, k.userId, null, operation),
  assign: (k, roleId) => ({ method: "PATCH", path: paths.user(k.userId), body: { role_id: roleId } }),
  change: (k, roleId) => ({ method: "PATCH", path: paths.user(k.userId), body: { role_id: roleId } }),
  kept: "the user keeps this enterprise role, since every member has one (remove the user from the enterprise to take it away)",
});
