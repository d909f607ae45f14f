import * as pulumi from "@pulumi/pulumi";
import * as devin from "pulumi-devin";

// A CI system's key that rotates itself: every `pulumi up` (run nightly by a scheduled job) rotates it once it is 30
// days old. Each key lives 45 days, so a missed night or two never leaves CI with an expired key; the new key exists
// before the old one is revoked.

const config = new pulumi.Config();
const DAY = 86_400;

const ci = new devin.ServiceUser("ci-deployer", {
  name: config.get("serviceUserName") ?? "ci-deployer",
  role: "Member",
});

const key = new devin.ApiKey("ci-deployer-key", {
  serviceUserId: ci.serviceUserId,
  rotateAfterSeconds: 30 * DAY,
  expiresInSeconds: 45 * DAY,
  // Bump to rotate right now, say after a suspected leak.
  rotationTriggers: { revision: config.getNumber("keyRevision") ?? 1 },
});

export const serviceUserId = ci.serviceUserId;
/** The CI system reads it with `pulumi stack output ciKey --show-secrets` after each `pulumi up`. */
export const ciKey = key.key;
export const ciKeyExpiresAt = key.expiresAt;
export const ciKeyRotation = key.rotation;
