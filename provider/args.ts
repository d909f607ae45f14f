import * as pulumi from "@pulumi/pulumi";
import { naturalKeyClashMessage, unknownArgumentsMessage } from "./argumentNames";

export { suggestArgument } from "./argumentNames";

/**
 * Program-side rules: they run while the Pulumi program builds its resources, before anything reaches the provider, so
 * they can see what the provider cannot (the resource's own name, its siblings in the program). Each failure is a
 * `pulumi.RunError`, which the CLI prints once, without a stack trace.
 */

/**
 * A RunError whose stack is its message. The CLI never shows a RunError's stack, but the SDK still renders the error
 * with util.inspect for its tracing span, and with source-map lookups over every frame that costs tens of seconds
 * when the error is thrown inside an apply.
 */
export function runError(message: string): pulumi.RunError {
  const error = new pulumi.RunError(message);
  error.stack = message;
  return error;
}

/**
 * Refuses argument keys the resource does not know. TypeScript catches them in object literals, but not in values
 * built from JSON or stack config, where a dropped `acu_limit` would silently preview as "remove the limit".
 */
export function checkArgumentKeys(type: string, name: string, args: object | undefined, accepted: readonly string[]): void {
  if (args === null || typeof args !== "object") {
    throw runError(`${type} '${name}': its arguments must be an object such as { name: "..." }.`);
  }
  const unknown = Object.keys(args).filter((k) => !accepted.includes(k));
  if (unknown.length > 0) throw runError(unknownArgumentsMessage(`${type} '${name}'`, unknown, accepted));
}

type Claims = Map<string, string>;
const claimsByRun = new WeakMap<object, Claims>();
const claimsWithoutEngine: Claims = new Map();

/** One table per Pulumi run: the engine's monitor object is new for every run in a process (automation API, tests). */
function claims(): Claims {
  const monitor = pulumi.runtime.getMonitor();
  if (!monitor) return claimsWithoutEngine;
  let table = claimsByRun.get(monitor);
  if (!table) {
    table = new Map();
    claimsByRun.set(monitor, table);
  }
  return table;
}

/** A natural key claimed by a resource: an explicit dependency that fails the resource's registration on a clash. */
export type Claim = pulumi.Output<pulumi.Resource[]>;

/**
 * Devin does not keep names unique, so two resources of one program that would create two objects with the same
 * name in the same scope race each other past the provider's duplicate guard. This refuses the second one before it
 * is registered. `key` resolves to the natural key (for example the name within its org); `describe` says what is
 * shared, for the message. Values unknown during a preview are not checked then, but are at `up`, still before the
 * second resource is registered.
 *
 * The claim goes to the resource as a dependency ({@link withClaim}), never through its inputs: an input made from
 * the claim would be unknown in a preview whenever any part of the key is (a Secret's `key` while its org is yet to
 * be created), hiding it from the provider's checks, and a failure while serializing an input reaches the user
 * prefixed with 'error serializing property'. A failed dependency fails the registration with the RunError as is.
 */
export function claimNaturalKey<T>(
  type: string,
  resourceName: string,
  key: pulumi.Input<T>,
  identify: (value: pulumi.Unwrap<T>) => { key: string; describe: string },
): Claim {
  const claim = (value: pulumi.Unwrap<T>): pulumi.Resource[] => {
    const { key: natural, describe } = identify(value);
    const table = claims();
    const holder = table.get(`${type}\u0000${natural}`);
    if (holder !== undefined && holder !== resourceName) {
      throw runError(naturalKeyClashMessage(type, resourceName, holder, describe));
    }
    table.set(`${type}\u0000${natural}`, resourceName);
    return [];
  };
  return pulumi.output(key).apply(claim);
}

/** The options with the claim added to `dependsOn`, keeping the program's own dependencies as they are. */
export function withClaim(
  opts: pulumi.CustomResourceOptions | undefined,
  claim: Claim | undefined,
): pulumi.CustomResourceOptions | undefined {
  if (!claim) return opts;
  // dependsOn takes nested inputs (the SDK flattens arrays, promises and outputs); merging through mergeOptions would
  // turn the whole list into one output, unknown in a preview.
  const dependsOn = (opts?.dependsOn === undefined ? [claim] : [opts.dependsOn, claim]) as unknown as pulumi.Input<pulumi.Resource>[];
  return { ...opts, dependsOn };
}
