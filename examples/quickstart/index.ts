import * as devin from "pulumi-devin";

// Two organizations with per-cycle ACU caps, and a CI service user in each. Credentials come from the stack config
// (`pulumi config set --secret devin:token cog_...`) or DEVIN_TOKEN; never from the program.

const platform = new devin.Organization("platform", { name: "Platform", acuLimit: 500, maxSessionAcuLimit: 40 });
const research = new devin.Organization("research", { name: "Research", acuLimit: 200 });

const platformCi = new devin.ServiceUser("platform-ci", {
  orgId: platform.orgId,
  name: "platform-ci",
  role: "Member",
  ttlSeconds: 90 * 24 * 3600,
});
const researchCi = new devin.ServiceUser("research-ci", { orgId: research.orgId, name: "research-ci", role: "Member" });

export const orgIds = { platform: platform.orgId, research: research.orgId };
export const acuLimits = { platform: platform.acuLimit, research: research.acuLimit };
export const serviceUsers = {
  "platform-ci": {
    serviceUserId: platformCi.serviceUserId,
    orgId: platformCi.orgId,
    role: platformCi.roleName,
    expiresAt: platformCi.expiresAt,
  },
  "research-ci": {
    serviceUserId: researchCi.serviceUserId,
    orgId: researchCi.orgId,
    role: researchCi.roleName,
    expiresAt: researchCi.expiresAt,
  },
};
// Secret: `pulumi stack output apiKeys --show-secrets` reveals them.
export const apiKeys = { "platform-ci": platformCi.apiKey, "research-ci": researchCi.apiKey };
