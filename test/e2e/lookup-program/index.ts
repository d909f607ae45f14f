import * as pulumi from "@pulumi/pulumi";
import * as devin from "pulumi-devin";

// A program that uses lookups the ways a user's program does, chosen by the stack config `e2e:lookup`: "output" (an
// Output form, exported), "async" (the plain async form, awaited in an async entry point), or "input" (an Output
// form whose result feeds a resource).
const how = new pulumi.Config("e2e").require("lookup");

export const roleCount = how === "output" ? devin.getRolesOutput().apply((roles) => roles.length) : undefined;
export const orgCount = how === "async" ? devin.getOrganizations().then((orgs) => orgs.length) : undefined;
if (how === "input") {
  const eng = devin.getOrganizationOutput({ name: "Engineering" });
  new devin.ServiceUser("ci", { orgId: eng.orgId, name: "ci", role: "Member" });
}
