import * as pulumi from "@pulumi/pulumi";
import { claimNaturalKey, withClaim } from "./args";
import { DevinResource } from "./resource";

/** The desired state of a Devin service user. */
export interface ServiceUserArgs {
  /** The organization to provision in (an Organization's `orgId`). Omit it for an enterprise service user. Changing it replaces the service user. */
  orgId?: pulumi.Input<string>;
  /** Display name, 1 to 256 characters, unique within its org (or among enterprise service users). Changing it replaces the service user (there is no rename). */
  name: pulumi.Input<string>;
  /**
   * A role name ("Member", "Admin"; case-insensitive) or a role id from `getRoles()`. Org service users take org-level
   * roles, enterprise service users enterprise-level roles; the enterprise Admin role cannot be provisioned (the API
   * never grants ManageAccountServiceUsers that way). Changes apply in place.
   */
  role: pulumi.Input<string>;
  /** Lifetime in seconds, 1 to 31536000 (365 days, the default). Changing it replaces the service user. */
  ttlSeconds?: pulumi.Input<number>;
  /**
   * An existing service user (`service-user-…`) for this resource to manage instead of provisioning one. It must have
   * this `name` and live in this `orgId` (or be an enterprise one without it); its role is set to `role`. Read only
   * when the resource is created; it can stay in the program afterwards.
   */
  adoptId?: pulumi.Input<string>;
  /**
   * What happens to an adopted service user's API keys (only with `adoptId`). `"none"` (the default): they are left
   * alone and `apiKey` is empty, since the API never shows a key again. `"issue"`: one more key is issued, held in
   * `apiKey`. `"rotate"`: a key is issued and every other one revoked; use it for a service user left behind by an
   * interrupted run, whose first key nobody holds.
   */
  apiKeyOnAdopt?: pulumi.Input<"none" | "issue" | "rotate">;
}

const ARGUMENTS: readonly (keyof ServiceUserArgs)[] = ["orgId", "name", "role", "ttlSeconds", "adoptId", "apiKeyOnAdopt"];

/**
 * A Devin service user and its one-time API key. The key (`apiKey`) is a secret output, kept in state from the moment
 * it is created because the API never shows it again.
 *
 * @example
 * const bot = new devin.ServiceUser("ci", { orgId: eng.orgId, name: "ci-bot", role: "Member" });
 * export const ciKey = bot.apiKey; // secret
 */
export class ServiceUser extends DevinResource {
  /** The service user id (`service-user-` + 32 hex), the same value as the resource id; known during a preview once it exists. */
  declare readonly serviceUserId: pulumi.Output<string>;
  /** The org it was provisioned in, or null for an enterprise service user. */
  declare readonly orgId: pulumi.Output<string | null>;
  declare readonly name: pulumi.Output<string>;
  /** The role as declared. */
  declare readonly role: pulumi.Output<string>;
  /** The live role's id and name. */
  declare readonly roleId: pulumi.Output<string | null>;
  declare readonly roleName: pulumi.Output<string | null>;
  declare readonly ttlSeconds: pulumi.Output<number>;
  /** When the service user expires, unix seconds. */
  declare readonly expiresAt: pulumi.Output<number | null>;
  /** The `cog_` API key, shown once by the API. Secret. Empty for a service user adopted with apiKeyOnAdopt "none". */
  declare readonly apiKey: pulumi.Output<string>;
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: ServiceUserArgs, opts?: pulumi.CustomResourceOptions) {
    // Gated on orgId rather than name: while a new org's id is unknown in a preview, the name stays readable. An
    // adopted service user exists already, so it races nothing.
    const claim = args.adoptId
      ? undefined
      : claimNaturalKey("ServiceUser", name, pulumi.all([args.orgId, args.name]), ([org, n]) => ({
          key: `${org ?? "enterprise"}\u0000${n}`,
          describe: org ? `the service user name '${n}' in ${org}` : `the enterprise service user name '${n}'`,
        }));
    super(
      "ServiceUser",
      name,
      args,
      ARGUMENTS,
      {
        orgId: args.orgId,
        name: args.name,
        role: args.role,
        ttlSeconds: args.ttlSeconds,
        adoptId: args.adoptId,
        apiKeyOnAdopt: args.apiKeyOnAdopt,
        roleId: undefined,
        roleName: undefined,
        expiresAt: undefined,
        apiKey: undefined,
        schemaVersion: undefined,
      },
      pulumi.mergeOptions(withClaim(opts, claim), { additionalSecretOutputs: ["apiKey"] }),
    );
    this.serviceUserId = this.id;
  }
}
