import { PolicyPack } from "@pulumi/policy";
import { policies } from "./rules";

/**
 * The policy pack the Pulumi CLI runs for `--policy-pack <this directory>`, through ./index.js. Every rule is
 * mandatory unless the policy config (`--policy-pack-config`) says otherwise.
 */
new PolicyPack("pulumi-devin-guardrails", {
  description:
    "Guardrails for a Devin enterprise declared with pulumi-devin: ACU limits, admin service users, key rotation, protected orgs.",
  enforcementLevel: "mandatory",
  policies,
});
