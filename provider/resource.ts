import * as pulumi from "@pulumi/pulumi";
import { checkArgumentKeys, withClaim } from "./args";
import { checkInputs } from "./inputCheck";

/**
 * The provider object Pulumi serializes into the state of every pulumi-devin resource: a thin shim. It holds no token,
 * client, library code or resource type; each method requires the installed implementation by package name (resolved
 * at run time in the dynamic-provider host, whose working directory is the Pulumi project) and delegates, and the
 * implementation dispatches on the resource's `__kind`. So `refresh` and `destroy` always run the installed code, and
 * the serialized text stays under 2 KB. It must capture no variable: each one would be copied into every method.
 * There is one object for every resource, because Pulumi serializes once per provider object.
 */
const provider: pulumi.dynamic.ResourceProvider = {
  configure: (req) => require("pulumi-devin/impl").configure(req),
  check: (...a) => require("pulumi-devin/impl").check(...a),
  diff: (...a) => require("pulumi-devin/impl").diff(...a),
  create: (...a) => require("pulumi-devin/impl").create(...a),
  read: (...a) => require("pulumi-devin/impl").read(...a),
  update: (...a) => require("pulumi-devin/impl").update(...a),
  delete: (...a) => require("pulumi-devin/impl").delete(...a),
};
/** @internal Exported for scripts/measure-shims.js only. */
export { provider as shim };

/**
 * What every pulumi-devin resource shares on the program side: the one serialized provider, the type token
 * `pulumi-nodejs:dynamic/devin:<kind>`, the `__kind` the implementation dispatches on, the refusal of argument
 * names the resource does not know, and the provider's input rules run before the resource is registered.
 */
export abstract class DevinResource extends pulumi.dynamic.Resource {
  /**
   * @param kind the resource type, as in its type token and `__kind`
   * @param accepted the argument names `args` may carry
   * @param props the inputs, plus each output as `undefined` so that Pulumi gives the class an output property for it
   */
  protected constructor(
    kind: string,
    name: string,
    args: object,
    accepted: readonly string[],
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    checkArgumentKeys(kind, name, args, accepted);
    // Bad input keeps the resource from the engine, which would stop the run at the first one (inputCheck.ts).
    const inputCheck = checkInputs(kind, name, props);
    super(provider, name, { ...props, __kind: kind }, withClaim(opts, inputCheck.dependency), "devin", kind);
    inputCheck.track(this);
  }
}
