import { orgIdpGroupRole as table } from "../schema/orgIdpGroupRole";
import { paths } from "./api";
import { readIdpGroupRole, roleAssignment } from "./roleAssignment";

/** The role members of an IdP group inherit in one org. The group needs an enterprise role first. */
export const orgIdpGroupRole = roleAssignment({
  table,
  describe: (k) => `the role of IdP group '${k.idpGroupName}' in ${k.orgId}`,
  keys: [{ name: "orgId", prefix: "org" }, { name: "idpGroupName" }],
  roleType: "org",
  readRole: (client, k, operation) => readIdpGroupRole(client, paths.orgIdpGroupRole(k.orgId, k.idpGroupName), k.orgId, operation),
  assign: (k, body) => ({ method: "POST", path: paths.orgIdpGroupRole(k.orgId, k.idpGroupName), body }),
  change: (k, body) => ({ method: "PATCH", path: paths.orgIdpGroupRole(k.orgId, k.idpGroupName), body }),
  remove: (k) => ({ method: "DELETE", path: paths.orgIdpGroupRole(k.orgId, k.idpGroupName) }),
});
