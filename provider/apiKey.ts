import * as pulumi from "@pulumi/pulumi";
import { claimNaturalKey, withClaim } from "./args";
import { DevinResource } from "./resource";

/** The desired state of a service user's API key. */
export interface ApiKeyArgs {
  /** The service user (a ServiceUser's `serviceUserId`, or the id of one that exists). Changing it replaces the key. */
  serviceUserId: pulumi.Input<string>;
  /**
   * The key's name, unique among the service user's active keys (default: the resource name). Changing it replaces
   * the key: the new one is issued before the old one is revoked.
   */
  name?: pulumi.Input<string>;
  /** Each key's lifetime in seconds (60 or more); omit it for keys that do not expire. Changing it rotates the key. */
  expiresInSeconds?: pulumi.Input<number>;
  /**
   * The age in seconds at which `pulumi up` rotates the key (60 or more; 30 days is 2592000), measured in the API's
   * clock. Run `pulumi up` on a schedule (a nightly CI job) to keep keys fresh: `pulumi preview` shows the rotation
   * that is due, and why. Must be less than `expiresInSeconds` when both are set.
   */
  rotateAfterSeconds?: pulumi.Input<number>;
  /** Any values; when they change, `pulumi up` rotates the key (like `keepers` in other providers). */
  rotationTriggers?: pulumi.Input<unknown>;
  /**
   * Take over an existing key of the service user (`api-key-…`, see `getApiKeys`), such as the one a ServiceUser was
   * provisioned with. Its token cannot be read back, so the stack issues its own key and then revokes the adopted one.
   */
  adoptId?: pulumi.Input<string>;
}

const ARGUMENTS: readonly (keyof ApiKeyArgs)[] = [
  "serviceUserId",
  "name",
  "expiresInSeconds",
  "rotateAfterSeconds",
  "rotationTriggers",
  "adoptId",
];

/**
 * An API key of a service user that rotates itself: when `rotationTriggers` change, when it is older than
 * `rotateAfterSeconds`, or when it was revoked or expired outside Pulumi. A rotation is an in-place update: the new key
 * is issued first, then the old one is revoked, so a working key exists at every moment; the old key stops working
 * when `pulumi up` has the new one. Delete revokes the key.
 *
 * @example
 * const ciKey = new devin.ApiKey("ci", { serviceUserId: ci.serviceUserId, rotateAfterSeconds: 30 * 86400 });
 * export const ciToken = ciKey.key; // secret
 */
export class ApiKey extends DevinResource {
  /** The current key's id. The resource id stays the id of the first key this resource issued. */
  declare readonly apiKeyId: pulumi.Output<string>;
  /** The `cog_` token. Secret: encrypted in the state, never shown in plaintext. */
  declare readonly key: pulumi.Output<string>;
  declare readonly serviceUserId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  /** When the current key was created, unix seconds (the API's clock). */
  declare readonly createdAt: pulumi.Output<number>;
  /** When the current key expires, unix seconds, or null. */
  declare readonly expiresAt: pulumi.Output<number | null>;
  /** When the current key replaced an earlier one, unix seconds; null for the first key. */
  declare readonly rotatedAt: pulumi.Output<number | null>;
  /** When the current key was issued, and why ("2026-12-28T09:00:00Z: rotated: rotationTriggers changed"). */
  declare readonly rotation: pulumi.Output<string>;
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    const claim = claimNaturalKey("ApiKey", name, pulumi.all([args.serviceUserId, args.name ?? name]), ([su, n]) => ({
      key: `${su}\u0000${n}`,
      describe: `the API key name '${n}' of ${su}`,
    }));
    super(
      "ApiKey",
      name,
      args,
      ARGUMENTS,
      {
        serviceUserId: args.serviceUserId,
        name: args.name ?? name,
        expiresInSeconds: args.expiresInSeconds,
        rotateAfterSeconds: args.rotateAfterSeconds,
        rotationTriggers: args.rotationTriggers,
        adoptId: args.adoptId,
        rotation: undefined,
        apiKeyId: undefined,
        key: undefined,
        createdAt: undefined,
        expiresAt: undefined,
        rotatedAt: undefined,
        schemaVersion: undefined,
      },
      pulumi.mergeOptions(withClaim(opts, claim), { additionalSecretOutputs: ["key"] }),
    );
  }
}
