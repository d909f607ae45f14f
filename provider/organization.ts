import * as pulumi from "@pulumi/pulumi";
import { claimNaturalKey, withClaim } from "./args";
import { DevinResource } from "./resource";

/** The desired state of a Devin organization. */
export interface OrganizationArgs {
  /**
   * Display name, 1 to 256 characters. Devin does not keep names unique; pulumi-devin refuses to create an org whose
   * name is already taken (by another resource of the program, or by an org this resource does not manage).
   */
  name: pulumi.Input<string>;
  /**
   * Per-billing-cycle ACU cap (`max_cycle_acu_limit`): a whole number, 0 or more; 0 blocks usage. Omit it for no cycle
   * limit; removing it later clears the limit.
   */
  acuLimit?: pulumi.Input<number>;
  /**
   * Per-session ACU cap (`max_session_acu_limit`). When omitted it is not managed: the server's default (or whatever
   * is set outside Pulumi) stays, and never shows as a change.
   */
  maxSessionAcuLimit?: pulumi.Input<number>;
  /**
   * An existing organization (`org-…`) for this resource to manage instead of creating one: `pulumi up` reads it and
   * changes only what differs from these arguments; from then on it is managed as if this stack had created it
   * (deleting the resource deletes the org; consider `protect: true`). Read only when the resource is created; it can
   * stay in the program afterwards.
   */
  adoptId?: pulumi.Input<string>;
}

const ARGUMENTS: readonly (keyof OrganizationArgs)[] = ["name", "acuLimit", "maxSessionAcuLimit", "adoptId"];

/**
 * A Devin organization with its ACU limits. Name and limits update in place with one PATCH.
 *
 * @example
 * const eng = new devin.Organization("eng", { name: "Engineering", acuLimit: 500 });
 * export const engId = eng.orgId;
 */
export class Organization extends DevinResource {
  /**
   * The organization id (`org-` + 32 hex), the same value as the resource id. Known during a preview whenever the
   * org already exists, so resources that reference it show no change when only the org is updated.
   */
  declare readonly orgId: pulumi.Output<string>;
  /** Display name. */
  declare readonly name: pulumi.Output<string>;
  /** Per-cycle ACU cap, or null when there is none. */
  declare readonly acuLimit: pulumi.Output<number | null>;
  /** Per-session ACU cap: the declared value, or the server's when not declared. */
  declare readonly maxSessionAcuLimit: pulumi.Output<number | null>;
  /** Creation time, unix seconds. */
  declare readonly createdAt: pulumi.Output<number>;
  /** Last update time, unix seconds. */
  declare readonly updatedAt: pulumi.Output<number>;
  /** Version of the state shape this resource was written with. */
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: OrganizationArgs, opts?: pulumi.CustomResourceOptions) {
    // An adopted org exists already: same-named adopted orgs are distinct objects, not a race to create two.
    const claim = args.adoptId
      ? undefined
      : claimNaturalKey("Organization", name, args.name, (n) => ({ key: n, describe: `the organization name '${n}'` }));
    super(
      "Organization",
      name,
      args,
      ARGUMENTS,
      {
        name: args.name,
        acuLimit: args.acuLimit,
        maxSessionAcuLimit: args.maxSessionAcuLimit,
        adoptId: args.adoptId,
        createdAt: undefined,
        updatedAt: undefined,
        schemaVersion: undefined,
      },
      withClaim(opts, claim),
    );
    // The engine keeps the id of an existing resource known during a preview; an output of the provider is unknown
    // there whenever the resource changes, which would show every dependent as replaced.
    this.orgId = this.id;
  }
}
