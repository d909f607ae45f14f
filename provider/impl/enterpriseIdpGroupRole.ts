import { paths } from "./api";
import { readIdpGroupRole, roleAssignment } from "./roleAssignment";

/** The enterprise role members of an IdP group inherit. */
export const enterpriseIdpGroupRole = roleAssignment({
  describe: (k) => `the enterprise role of IdP group '${k.idpGroupName}'`,
  keys: [{ name: "idpGroupName" }],
  roleType: "enterprise",
  readRole: (client, k, operation) => readIdpGroupRole(client, paths.idpGroupRole(k.idpGroupName), null, operation),
  assign: (k, roleId) => ({ method: "POST", path: paths.idpGroupRole(k.idpGroupName), body: { role_id: roleId } }),
  change: (k, roleId) => ({ method: "PATCH", path: paths.idpGroupRole(k.idpGroupName), body: { role_id: roleId } }),
  remove: (k) => ({ method: "DELETE", path: paths.idpGroupRole(k.idpGroupName) }),
});
