import * as pulumi from "@pulumi/pulumi";
import * as devin from "pulumi-devin";

// An enterprise's access, declared: who holds which role where, which networks may call the API, which orgs share an
// ACU budget, and which session tags each org allows. Every value comes from stack config where a real enterprise
// differs (the defaults suit the local emulator).

const config = new pulumi.Config();

const platform = new devin.Organization(
  "platform",
  { name: "Platform", acuLimit: 500 },
  { protect: config.getBoolean("protect") ?? false },
);
const research = new devin.Organization(
  "research",
  { name: "Research", acuLimit: 300 },
  { protect: config.getBoolean("protect") ?? false },
);

// Engineers sign in through the identity provider: Members of the enterprise, Admins of Platform. A group needs its
// enterprise role before any org role.
const engineers = new devin.IdpGroup("engineers", { name: config.get("idpGroup") ?? "engineering" });
const engineersRole = new devin.EnterpriseIdpGroupRole("engineers", { idpGroupName: engineers.name, role: "Member" });
new devin.OrgIdpGroupRole(
  "engineers-platform",
  { orgId: platform.orgId, idpGroupName: engineers.name, role: "Admin" },
  { dependsOn: [engineersRole] },
);

// A direct member, found by email, runs Research.
const lead = devin.getUsersOutput({ email: config.get("leadEmail") ?? "owner@example.com" }).apply((users) => {
  if (users.length !== 1) throw new pulumi.RunError(`expected one user with the email in 'leadEmail', found ${users.length}`);
  return users[0];
});
new devin.OrgUserRole("lead-research", { orgId: research.orgId, userId: lead.userId, role: "Admin" });

// Only the office network, and the machine that runs Pulumi, may call the API. Keep the second: the list applies from
// the very next request (against the local emulator that machine is 127.0.0.1).
new devin.IpAccessList("network", { ipRanges: config.getObject<string[]>("ipRanges") ?? ["127.0.0.1/32", "203.0.113.0/24"] });

// Platform and Research share one ACU budget per billing cycle.
new devin.OrgGroupLimits("budgets", { groups: [{ name: "product", orgIds: [platform.orgId, research.orgId], maxCycleAcus: 1000 }] });

// Sessions in Platform are tagged; untagged ones get "feature".
new devin.OrgTags("platform-tags", { orgId: platform.orgId, tags: ["feature", "bugfix", "incident"], defaultTag: "feature" });

export const orgIds = { platform: platform.orgId, research: research.orgId };
export const leadUserId = lead.userId;
