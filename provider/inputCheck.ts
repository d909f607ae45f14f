import * as pulumi from "@pulumi/pulumi";
import { runError } from "./args";
import { checkInProgram } from "./impl";
import { badInputMessage } from "./impl/check";
import { redact } from "./impl/errors";
import { UNKNOWN } from "./impl/values";
import { underPulumiMocks } from "./mocks";

/**
 * The provider's input rules, run by the program on each resource before it is registered. Pulumi's engine stops a
 * preview at the first resource whose provider `check` fails, so a program with several mistakes would show one per
 * run; a resource that fails here is never registered (its registration fails with the message, which the program
 * reports once, and the other resources go on), so one run reports every mistake the rules can see.
 *
 * Same rules, same messages: this runs each lifecycle's own `check`, offline (no request, no settings), on the inputs
 * as the provider would get them, unknown values included. What needs the API (roles, referenced ids, settings) is
 * left to the provider's check, which stays the authority.
 */

/** What the provider gets for a secret: its value. */
function unwrapSecrets(value: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(value)) return unwrapSecrets(pulumi.runtime.unwrapRpcSecret(value));
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  return value;
}

/**
 * The resources that will never be registered, each with a promise that settles when that is known: its own input
 * check failed, or an input it reads is an output of such a resource. Their outputs never resolve, so a resource that
 * reads one checks the rest of its inputs without it: a mistake in a Secret stays reported when its org's is too.
 */
const neverRegistered = new WeakMap<pulumi.Resource, Promise<void>>();

/** The resources whose outputs a value is made from, as far as is known without waiting for any of them. */
function sourcesOf(value: unknown, into = new Set<pulumi.Resource>()): Set<pulumi.Resource> {
  if (pulumi.Output.isInstance(value)) {
    const resources = (value as unknown as { resources?: () => Set<pulumi.Resource> }).resources?.();
    for (const r of resources ?? []) into.add(r);
  } else if (Array.isArray(value)) value.forEach((v) => sourcesOf(v, into));
  else if (value !== null && typeof value === "object" && !(value instanceof Promise) && !pulumi.Resource.isInstance(value))
    Object.values(value).forEach((v) => sourcesOf(v, into));
  return into;
}

/** Settles when one of the resources is known never to be registered; never otherwise. */
function anyNeverRegistered(resources: Iterable<pulumi.Resource>): Promise<void> {
  return Promise.race(
    [...resources]
      .map((r) => neverRegistered.get(r))
      .filter((p): p is Promise<void> => p !== undefined)
      .concat(new Promise<void>(() => {})),
  );
}

const NEVER = Symbol("never");

/**
 * The inputs as the provider's check would get them: each serialized as Pulumi serializes it (an unknown value in a
 * preview becomes the unknown marker, which the rules skip). A value that will never come (from a resource that will
 * never be registered) counts as unknown too. Under Pulumi's mocks, values made from other resources' outputs are the
 * test's inventions (an org id like 'eng-id'), so they count as unknown.
 */
async function inputsAsSent(props: pulumi.Inputs): Promise<Record<string, unknown>> {
  const mocked = underPulumiMocks();
  const entries = await Promise.all(
    Object.entries(props)
      .filter(([, v]) => v !== undefined)
      .map(async ([key, v]): Promise<[string, unknown]> => {
        const never = anyNeverRegistered(sourcesOf(v)).then(() => NEVER);
        const from = new Set<pulumi.Resource>();
        const value = await Promise.race([pulumi.runtime.serializeProperty(key, v, from), never]);
        if (value === NEVER || (mocked && from.size > 0)) return [key, UNKNOWN];
        return [key, unwrapSecrets(value)];
      }),
  );
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

/** A resource's input check: the dependency its registration waits for, and what to call once the resource exists. */
export interface InputCheck {
  /** Resolves once the inputs pass (or cannot be checked here); fails with one line naming the resource and every bad input. */
  dependency: pulumi.Output<pulumi.Resource[]>;
  /** Records the resource, so that resources reading its outputs know when they will never come. */
  track(resource: pulumi.Resource): void;
}

export function checkInputs(kind: string, name: string, props: pulumi.Inputs): InputCheck {
  let refused = () => {};
  const blocked = Promise.race([new Promise<void>((resolve) => (refused = resolve)), anyNeverRegistered(sourcesOf(props))]);
  const verdict = (async (): Promise<pulumi.Resource[]> => {
    let found;
    try {
      found = await checkInProgram(kind, await inputsAsSent(props));
    } catch {
      // An input that cannot be read here fails its registration the SDK's way; the provider's check still runs.
      return [];
    }
    if (found.length === 0) return [];
    refused();
    throw runError(redact(badInputMessage(kind, name, found)));
  })();
  return { dependency: pulumi.output(verdict), track: (resource) => neverRegistered.set(resource, blocked) };
}
