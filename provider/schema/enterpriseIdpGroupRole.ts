import { MEMBER_ROLE_PERMISSIONS, roleAssignmentSchema } from "./roleAssignment";

export const enterpriseIdpGroupRole = roleAssignmentSchema({
  kind: "EnterpriseIdpGroupRole",
  description:
    "The enterprise role that members of an IdP group inherit.\nUsers inherit it when their single sign-on carries the group. Deleting it removes the group's enterprise role (its org roles stay). A group needs an enterprise role before it can have org roles (`OrgIdpGroupRole`).",
  example: `new devin.EnterpriseIdpGroupRole("eng", { idpGroupName: group.name, role: "Member" });`,
  level: "enterprise",
  subject: {
    name: "idpGroupName",
    description: "The IdP group's name (an IdpGroup's `name`): the name your identity provider sends. Changing it replaces the resource.",
  },
  adoptable: true,
  permissions: MEMBER_ROLE_PERMISSIONS,
});
