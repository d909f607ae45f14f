import * as pulumi from "@pulumi/pulumi";
import { apiClient, type DevinClient } from "./impl/client";
import { resolveSettings, type ConfiguredValues } from "./impl/settings";
import {
  ConfigurationError,
  DevinApiError,
  DevinNetworkError,
  lookupFailureMessage,
  mockListResultMessage,
  type TokenSource,
} from "./impl/errors";
import { underPulumiMocks } from "./mocks";

/**
 * How a lookup runs. In a program: against the API, and a failure becomes one line. Under Pulumi's mocks: as an
 * invoke that the mocks' `call` answers, so a unit test controls the result and nothing reaches Devin.
 */

/** Where a lookup gets its credentials; by default the stack config `devin:token`/`devin:apiUrl`, then the environment. */
export interface LookupOptions {
  token?: string;
  apiUrl?: string;
}

/**
 * A lookup that failed. It is a `pulumi.RunError`, which Pulumi prints as its message alone; its stack is the message
 * too, because when a rejection surfaces after the program's main module has run, Pulumi prints `stack` instead.
 */
class LookupError extends pulumi.RunError {
  constructor(message: string, cause?: unknown) {
    super(message);
    this.cause = cause;
    this.name = "DevinLookupError";
    this.stack = message;
  }
}

/** The token the future provider plugin will give each function, such as `devin:index:getOrganization`. */
const invokeToken = (name: string) => `devin:index:${name}`;

/** Mirrors the precedence of `resolveSettings`: the option, the stack config, then the environment. */
function tokenSource(options: LookupOptions): TokenSource {
  if (options.token !== undefined) return "option";
  if (pulumi.runtime.getConfig("devin:token") !== undefined) return "config";
  return process.env.DEVIN_TOKEN !== undefined ? "DEVIN_TOKEN" : "DEVIN_SERVICE_USER_TOKEN";
}

function configured(options: LookupOptions): ConfiguredValues {
  return {
    token: options.token ?? pulumi.runtime.getConfig("devin:token"),
    apiUrl: options.apiUrl ?? pulumi.runtime.getConfig("devin:apiUrl"),
  };
}

const client = (options: LookupOptions): DevinClient => apiClient(configured(options));

/** Errors the API layer raises for a cause the user can fix; anything else is a bug and keeps its stack. */
function isUserFacing(e: unknown): e is Error {
  return e instanceof DevinApiError || e instanceof DevinNetworkError || e instanceof ConfigurationError || e instanceof LookupError;
}

/** A failure found by the lookup itself (say, a name that matches nothing), as one line. */
export function lookupFailed(message: string): Error {
  return new LookupError(message);
}

/**
 * For the Output forms: a missing or malformed token or URL throws at the call, as `config.require` does, so the
 * program stops on that one line. (A rejected Output would do too, but one that rejects while the program is still
 * loading also makes Node print "PromiseRejectionHandledWarning" lines.)
 */
export function settingsFirst(name: string, options: LookupOptions = {}): void {
  if (underPulumiMocks()) return;
  try {
    resolveSettings(process.env, configured(options));
  } catch (e) {
    if (e instanceof ConfigurationError) throw new LookupError(lookupFailureMessage(name, e, tokenSource(options)), e);
    throw e;
  }
}

/**
 * Runs the lookup `name`: under mocks as the invoke `devin:index:<name>` with `args` (never the options, which hold
 * credentials), else `read` against the API.
 */
export async function runLookup<R extends object>(
  name: string,
  args: object,
  options: LookupOptions,
  read: (api: DevinClient) => Promise<R>,
): Promise<R> {
  if (underPulumiMocks()) {
    const result: Record<string, unknown> = await pulumi.runtime.invoke(invokeToken(name), args);
    return result as R;
  }
  try {
    return await read(client(options));
  } catch (e) {
    if (!isUserFacing(e) || e instanceof LookupError) throw e;
    throw new LookupError(lookupFailureMessage(name, e, tokenSource(options)), e);
  }
}

/**
 * A lookup whose result is a list. Pulumi passes an invoke's result as an object, so a list the mock returns arrives
 * keyed "0", "1", ...; it is turned back into the list.
 */
export async function runListLookup<T>(
  name: string,
  args: object,
  options: LookupOptions,
  read: (api: DevinClient) => Promise<T[]>,
): Promise<T[]> {
  const result: object = await runLookup(name, args, options, read);
  if (Array.isArray(result)) return result;
  const keys = Object.keys(result);
  if (!keys.every((k, i) => k === String(i))) throw new LookupError(mockListResultMessage(invokeToken(name), keys));
  return Object.values(result) as T[];
}

/** An argument object whose values may each be an Output. */
export type Inputs<A> = { [K in keyof A]: pulumi.Input<A[K]> };

/**
 * A lookup's Output form, for use inside a program: a missing or malformed token throws at the call, arguments may be
 * Outputs, and the result is an Output. Given `noArgs`, the arguments may be left out.
 */
export function outputForm<A extends object, R>(
  name: string,
  lookup: (args?: A, options?: LookupOptions) => Promise<R>,
  noArgs: NoInfer<A>,
): (args?: pulumi.Input<Inputs<A>>, options?: LookupOptions) => pulumi.Output<R>;
export function outputForm<A extends object, R>(
  name: string,
  lookup: (args: A, options?: LookupOptions) => Promise<R>,
): (args: pulumi.Input<Inputs<A>>, options?: LookupOptions) => pulumi.Output<R>;
export function outputForm<A extends object, R>(name: string, lookup: (args: A, options?: LookupOptions) => Promise<R>, noArgs?: A) {
  return (args: pulumi.Input<Inputs<A>> | undefined = noArgs, options?: LookupOptions): pulumi.Output<R> => {
    settingsFirst(name, options);
    return pulumi.output(args).apply((a) => lookup(a as A, options));
  };
}

/** The Output form of a lookup that takes no arguments. */
export function outputFormWithoutArgs<R>(name: string, lookup: (options?: LookupOptions) => Promise<R>) {
  return (options?: LookupOptions) => {
    settingsFirst(name, options);
    return pulumi.output(lookup(options));
  };
}
