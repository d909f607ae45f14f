import { enterpriseIdpGroupRole as table } from "../schema/enterpriseIdpGroupRole";
import { paths } from "./api";
import { readIdpGroupRole, roleAssignment } from "./roleAssignment";

/** The enterprise role members of an IdP group inherit. */
export const enterpriseIdpGroupRole = roleAssignment({
  table,
  describe: (k) => `the enterprise role of IdP group '${k.idpGroupName}'`,
  keys: [{ name: "idpGroupName" }],
  roleType: "enterprise",
  readRole: (client, k, operation) => readIdpGroupRole(client, paths.idpGroupRole(k.idpGroupName), null, operation),
  assign: (k, body) => ({ method: "POST", path: paths.idpGroupRole(k.idpGroupName), body }),
  change: (k, body) => ({ method: "PATCH", path: paths.idpGroupRole(k.idpGroupName), body }),
  remove: (k) => ({ method: "DELETE", path: paths.idpGroupRole(k.idpGroupName) }),
});
