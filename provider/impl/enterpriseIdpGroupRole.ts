import { enterpriseIdpGroupRole as table } from "../schema/roleAssignment";
import { seg } from "./api";
import { readIdpGroupRole, roleAssignment } from "./roleAssignment";

export const enterpriseIdpGroupRolePaths = {
  /** An IdP group's enterprise role: GET, POST assigns, PATCH changes, DELETE removes. */
  idpGroupRole: (name: string) => `/v3/enterprise/members/idp-groups/${seg(name)}`,
} as const;

/** The enterprise role members of an IdP group inherit. */
export const enterpriseIdpGroupRole = roleAssignment({
  table,
  describe: (k) => `the enterprise role of IdP group '${k.idpGroupName}'`,
  keys: [{ name: "idpGroupName" }],
  roleType: "enterprise",
  readRole: (client, k, operation) => readIdpGroupRole(client, enterpriseIdpGroupRolePaths.idpGroupRole(k.idpGroupName), null, operation),
  assign: (k, body) => ({ method: "POST", path: enterpriseIdpGroupRolePaths.idpGroupRole(k.idpGroupName), body }),
  change: (k, body) => ({ method: "PATCH", path: enterpriseIdpGroupRolePaths.idpGroupRole(k.idpGroupName), body }),
  remove: (k) => ({ method: "DELETE", path: enterpriseIdpGroupRolePaths.idpGroupRole(k.idpGroupName) }),
});
