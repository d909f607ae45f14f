import * as pulumi from "@pulumi/pulumi";
import { checkArgumentKeys, claimNaturalKey, withClaim } from "./args";
import type { ResourceSchema } from "./schema/types";
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
 * What every pulumi-devin resource shares on the program side, all read from the type's table
 * (`provider/schema/<type>.ts`): the one serialized provider, the type token `pulumi-nodejs:dynamic/devin:<kind>`,
 * the `__kind` the implementation dispatches on, the refusal of argument names the resource does not know, the
 * defaults, the claim on the natural key, the secret outputs, the id output known in previews, and the provider's
 * input rules run before the resource is registered. The classes (`provider/<type>.ts`) are generated from the same
 * tables and only pass theirs.
 */
export abstract class DevinResource extends pulumi.dynamic.Resource {
  protected constructor(schema: ResourceSchema, name: string, args: object, opts: pulumi.CustomResourceOptions | undefined) {
    const { kind, fields, idOutput, naturalKey } = schema;
    const inputs = fields.filter((f) => f.input !== undefined);
    checkArgumentKeys(
      kind,
      name,
      args,
      inputs.map((f) => f.name),
    );
    const given = args as Record<string, pulumi.Input<unknown> | undefined>;
    const props: pulumi.Inputs = {};
    for (const f of inputs) {
      const value = given[f.name] ?? (f.defaultsToResourceName ? name : undefined);
      // A secret input is secret whatever the program passed: a plain string would otherwise sit in the state and the
      // preview as is.
      props[f.name] = f.secret && value !== undefined ? pulumi.secret(value) : value;
    }
    // Each output as undefined, so that Pulumi gives the class an output property for it.
    for (const f of fields) if (f.input === undefined && f.name !== idOutput) props[f.name] = undefined;
    props.schemaVersion = undefined;

    const claim =
      naturalKey && !(naturalKey.unlessAdopting && given.adoptId)
        ? claimNaturalKey(kind, name, pulumi.all(naturalKey.of.map((k) => props[k])), (values) => {
            const parts = (values as unknown[]).map((v) => (v === undefined || v === null ? undefined : String(v)));
            return { key: parts.map((p) => p ?? "").join("\u0000"), describe: naturalKey.describe(parts) };
          })
        : undefined;
    const secrets = fields.filter((f) => f.secret && f.output !== false).map((f) => f.name);
    // Bad input keeps the resource from the engine, which would stop the run at the first one (inputCheck.ts).
    const inputCheck = checkInputs(kind, name, props);
    const options = withClaim(withClaim(opts, claim), inputCheck.dependency);
    super(
      provider,
      name,
      { ...props, __kind: kind },
      secrets.length > 0 ? { ...options, additionalSecretOutputs: [...(options?.additionalSecretOutputs ?? []), ...secrets] } : options,
      "devin",
      kind,
    );
    inputCheck.track(this);
    // The engine keeps the id of an existing resource known during a preview; an output of the provider is unknown
    // there whenever the resource changes, which would show every dependent as replaced.
    if (idOutput) (this as unknown as Record<string, pulumi.Output<string>>)[idOutput] = this.id;
  }
}
