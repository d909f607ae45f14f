import * as devin from "pulumi-devin";

// The Devin enterprise this repository manages. Every change to it is a pull request: the "Devin preview" check
// comments what would change, and merging to main applies it (.github/workflows/devin.yml). The values are written
// out here, not read from stack config, so that the pull request's diff shows each one that changes.
//
// Credentials never appear here: the workflow passes DEVIN_TOKEN from a repository secret.

const DAY = 86_400;

// Protected: no change to this file can delete the organization; `pulumi state unprotect` first, on purpose.
const platform = new devin.Organization("platform", { name: "Platform", acuLimit: 500, maxSessionAcuLimit: 40 }, { protect: true });

// The service user another system's CI signs in as.
const deployer = new devin.ServiceUser("platform-deployer", { orgId: platform.orgId, name: "platform-deployer", role: "Member" });

// Its key rotates itself: the nightly `pulumi up` of main rotates it once it is 30 days old, and each key expires 15
// days after that, so a missed night or two never leaves the deployer without a working key.
const key = new devin.ApiKey("platform-deployer-key", {
  serviceUserId: deployer.serviceUserId,
  rotateAfterSeconds: 30 * DAY,
  expiresInSeconds: 45 * DAY,
});

export const orgId = platform.orgId;
export const acuLimit = platform.acuLimit;
export const deployerId = deployer.serviceUserId;
/** Secret: the system that needs it reads `pulumi stack output deployerKey --show-secrets` after each up. */
export const deployerKey = key.key;
export const deployerKeyExpiresAt = key.expiresAt;
export const deployerKeyRotation = key.rotation;
