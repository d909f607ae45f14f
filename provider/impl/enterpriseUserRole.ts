import { enterpriseUserRole as table } from "../schema/roleAssignment";
import { paths } from "./api";
import { readUserRole, roleAssignment } from "./roleAssignment";

/** A direct member's enterprise role. Every member has one, so the resource manages it and cannot take it away. */
export const enterpriseUserRole = roleAssignment({
  table,
  describe: (k) => `the enterprise role of user ${k.userId}`,
  keys: [{ name: "userId", prefix: "user" }],
  roleType: "enterprise",
  alwaysHeld: true,
  readRole: (client, k, operation) => readUserRole(client, k.userId, null, operation),
  assign: (k, body) => ({ method: "PATCH", path: paths.user(k.userId), body }),
  change: (k, body) => ({ method: "PATCH", path: paths.user(k.userId), body }),
  kept: "the user keeps this enterprise role, since every member has one (remove the user from the enterprise to take it away)",
});
