import { adoptIdField } from "./fields";
import type { ResourceSchema } from "./types";

export const idpGroup: ResourceSchema = {
  kind: "IdpGroup",
  description:
    "An IdP group registered with the enterprise. A registered group grants nothing by itself: give it roles with `EnterpriseIdpGroupRole` and `OrgIdpGroupRole`. Deleting it unregisters the group, and the API drops its role mappings with it.",
  example: `const eng = new devin.IdpGroup("eng", { name: "engineering" });
new devin.EnterpriseIdpGroupRole("eng", { idpGroupName: eng.name, role: "Member" });`,
  importId: "the group's name",
  permissions: [{ method: "*", path: /^\/enterprise\/idp-groups(\/.+)?$/, permission: "ManageAccountMembership" }],
  fields: [
    {
      // Registering sends a list of names, `idp_group_names`; the API shows each group's as `idp_group_name`.
      name: "name",
      wire: "idp_group_name",
      type: "string",
      input: "required",
      replaces: true,
      description: "The group's name as your identity provider sends it (it may contain `/`). Changing it replaces the resource.",
    },
    adoptIdField("Manage a group already registered outside this stack: its name. Read only when the resource is created."),
  ],
  leftOut: {
    role_assignments: "A registered group's roles are EnterpriseIdpGroupRole's and OrgIdpGroupRole's.",
  },
};
