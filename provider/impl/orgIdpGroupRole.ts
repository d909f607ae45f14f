import { orgIdpGroupRole as table } from "../schema/roleAssignment";
import { seg } from "./api";
import { readIdpGroupRole, roleAssignment } from "./roleAssignment";

export const orgIdpGroupRolePaths = {
  /** An IdP group's role in an org: GET, POST assigns, PATCH changes, DELETE removes. */
  orgIdpGroupRole: (orgId: string, name: string) => `/v3/enterprise/organizations/${seg(orgId)}/members/idp-groups/${seg(name)}`,
} as const;

/** The role members of an IdP group inherit in one org. The group needs an enterprise role first. */
export const orgIdpGroupRole = roleAssignment({
  table,
  describe: (k) => `the role of IdP group '${k.idpGroupName}' in ${k.orgId}`,
  keys: [{ name: "orgId", prefix: "org" }, { name: "idpGroupName" }],
  roleType: "org",
  readRole: (client, k, operation) =>
    readIdpGroupRole(client, orgIdpGroupRolePaths.orgIdpGroupRole(k.orgId, k.idpGroupName), k.orgId, operation),
  assign: (k, body) => ({ method: "POST", path: orgIdpGroupRolePaths.orgIdpGroupRole(k.orgId, k.idpGroupName), body }),
  change: (k, body) => ({ method: "PATCH", path: orgIdpGroupRolePaths.orgIdpGroupRole(k.orgId, k.idpGroupName), body }),
  remove: (k) => ({ method: "DELETE", path: orgIdpGroupRolePaths.orgIdpGroupRole(k.orgId, k.idpGroupName) }),
});
