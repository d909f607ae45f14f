import * as devin from "pulumi-devin";

// A team's org, ACU cap and CI bot, declared as a function so that a unit test can run it under Pulumi's mocks
// (index.test.ts) and check the wiring before anything reaches Devin.

export interface Team {
  name: string;
  acuLimit: number;
}

export function team({ name, acuLimit }: Team) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const org = new devin.Organization(slug, { name, acuLimit });
  const bot = new devin.ServiceUser(`${slug}-ci`, { orgId: org.orgId, name: `${slug}-ci`, role: "Member", ttlSeconds: 30 * 24 * 3600 });
  return { org, bot };
}

/** A CI bot for an org that already exists, found by its name with a lookup (under the mocks, their `call` answers it). */
export function botFor(orgName: string) {
  const org = devin.getOrganizationOutput({ name: orgName });
  return new devin.ServiceUser(`${orgName.toLowerCase()}-bot`, { orgId: org.orgId, name: `${orgName.toLowerCase()}-bot`, role: "Member" });
}

export const platform = team({ name: "Platform", acuLimit: 500 });
