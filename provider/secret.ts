import * as pulumi from "@pulumi/pulumi";
import { claimNaturalKey, withClaim } from "./args";
import { DevinResource } from "./resource";

/** The desired state of a secret of an org. */
export interface SecretArgs {
  /** The org (an Organization's `orgId`). Changing it replaces the secret. */
  orgId: pulumi.Input<string>;
  /** The environment variable sessions read it from, such as `NPM_TOKEN`; unique in the org. Changing it replaces the secret. */
  key: pulumi.Input<string>;
  /**
   * The value. Always treated as a Pulumi secret: it is encrypted in the state and shown as `[secret]` in previews,
   * even when given as a plain string. Take it from stack config set with `pulumi config set --secret`. The API never
   * shows it back, so a change made in the Devin app cannot be seen; changing it here replaces the secret.
   */
  value: pulumi.Input<string>;
  /** `"key-value"` (the default), `"cookie"` or `"totp"`. Changing it replaces the secret. */
  type?: pulumi.Input<"key-value" | "cookie" | "totp">;
  /** Whether the app hides the value (default true). Changing it replaces the secret. */
  isSensitive?: pulumi.Input<boolean>;
  /** A note for people. Changing it replaces the secret. */
  note?: pulumi.Input<string>;
  /**
   * Manage an existing secret of the org (`secret-…`) instead of creating one. Its value cannot be read, so the stack
   * takes it to be `value`; change `value` later to replace it. Read only when the resource is created.
   */
  adoptId?: pulumi.Input<string>;
}

const ARGUMENTS: readonly (keyof SecretArgs)[] = ["orgId", "key", "value", "type", "isSensitive", "note", "adoptId"];

/**
 * A secret of an org, given to its sessions as an environment variable. The API has no update: any change replaces
 * the secret (deleting the old one first when the key stays the same, as keys are unique in the org). New values reach
 * only sessions started afterwards.
 *
 * @example
 * const config = new pulumi.Config();
 * new devin.Secret("npm", { orgId: eng.orgId, key: "NPM_TOKEN", value: config.requireSecret("npmToken") });
 */
export class Secret extends DevinResource {
  /** The secret id (`secret-…`), the same value as the resource id. */
  declare readonly secretId: pulumi.Output<string>;
  declare readonly orgId: pulumi.Output<string>;
  declare readonly key: pulumi.Output<string>;
  /** The declared value. Secret. */
  declare readonly value: pulumi.Output<string>;
  declare readonly type: pulumi.Output<string>;
  declare readonly isSensitive: pulumi.Output<boolean>;
  declare readonly note: pulumi.Output<string | null>;
  declare readonly createdBy: pulumi.Output<string>;
  /** Unix seconds. */
  declare readonly createdAt: pulumi.Output<number>;
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: SecretArgs, opts?: pulumi.CustomResourceOptions) {
    const claim = args.adoptId
      ? undefined
      : claimNaturalKey("Secret", name, pulumi.all([args.orgId, args.key]), ([org, k]) => ({
          key: `${org}\u0000${k}`,
          describe: `the secret key '${k}' in ${org}`,
        }));
    super(
      "Secret",
      name,
      args,
      ARGUMENTS,
      {
        orgId: args.orgId,
        key: args.key,
        // Secret whatever the program passed: a plain string would otherwise sit in the state and the preview as is.
        value: pulumi.secret(args.value),
        type: args.type,
        isSensitive: args.isSensitive,
        note: args.note,
        adoptId: args.adoptId,
        secretId: undefined,
        createdBy: undefined,
        createdAt: undefined,
        schemaVersion: undefined,
      },
      pulumi.mergeOptions(withClaim(opts, claim), { additionalSecretOutputs: ["value"] }),
    );
    this.secretId = this.id;
  }
}
