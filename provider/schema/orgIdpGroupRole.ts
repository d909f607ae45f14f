import { MEMBER_ROLE_PERMISSIONS, roleAssignmentSchema } from "./roleAssignment";

export const orgIdpGroupRole = roleAssignmentSchema({
  kind: "OrgIdpGroupRole",
  description:
    "The role that members of an IdP group inherit in one org.\nThe API accepts an org role only for a group that already has an enterprise role, so declare the `EnterpriseIdpGroupRole` first and make this one depend on it.",
  example: `new devin.OrgIdpGroupRole("eng-admins", { orgId: eng.orgId, idpGroupName: group.name, role: "Admin" }, { dependsOn: [groupRole] });`,
  level: "org",
  subject: {
    name: "idpGroupName",
    description:
      "The IdP group's name. The group needs an enterprise role first: pass the EnterpriseIdpGroupRole in `dependsOn`. Changing it replaces the resource.",
  },
  adoptable: true,
  permissions: MEMBER_ROLE_PERMISSIONS,
});
