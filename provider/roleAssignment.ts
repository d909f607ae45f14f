import * as pulumi from "@pulumi/pulumi";
import { DevinResource } from "./resource";

/**
 * What every "X holds role R here" resource shares on the program side: the role as declared and as it lives, and the
 * fields that name who and where, which replace the resource when they change.
 */
export abstract class RoleAssignmentResource extends DevinResource {
  /** The role as declared: a name or an id. */
  declare readonly role: pulumi.Output<string>;
  /** The live role's id. */
  declare readonly roleId: pulumi.Output<string>;
  /** The live role's name. */
  declare readonly roleName: pulumi.Output<string>;
  declare readonly schemaVersion: pulumi.Output<number>;

  /**
   * @param keys the argument names that name who and where, in the order they make the id
   * @param adoptable whether `adoptId` is accepted (a role the subject may already hold, set outside the stack)
   */
  protected constructor(
    kind: string,
    name: string,
    args: Record<string, pulumi.Input<string> | undefined>,
    keys: readonly string[],
    adoptable: boolean,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const accepted = [...keys, "role", ...(adoptable ? ["adoptId"] : [])];
    const props: pulumi.Inputs = Object.fromEntries(accepted.map((k) => [k, args[k]]));
    super(kind, name, args, accepted, { ...props, roleId: undefined, roleName: undefined, schemaVersion: undefined }, opts);
  }
}
