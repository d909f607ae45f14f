import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The program-side check (provider/resource.ts) runs the lifecycles' `check` in the Pulumi program's process, so that
 * every bad input of a program is reported in one run (the engine stops at the first resource whose provider check
 * fails). That process has no provider configuration and must not call the API: within {@link offline}, the rules
 * that need the API (role lookups, reference reads, the settings) report nothing, and leave their verdict to the
 * provider's check. A scope, not a flag: tests run the provider and the classes in one process.
 */
const scope = new AsyncLocalStorage<true>();

/** Runs `check` with the rules that need the API or the settings turned off. */
export function offline<T>(check: () => Promise<T>): Promise<T> {
  return scope.run(true, check);
}

/** Whether the caller runs inside {@link offline}: then it must send no request and read no settings. */
export function isOffline(): boolean {
  return scope.getStore() === true;
}
