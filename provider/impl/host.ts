import { noteHeld, PartialCreateError } from "./createOnce";
import { DevinApiError, SAVED_CONFIG_HINT } from "./errors";
import { ConfigurationError } from "./settings";

/**
 * What the serialized shims call: each resource's lifecycle, adapted to the dynamic-provider host.
 *
 * The host prints `${error}: ${error.stack}` to its stderr whenever check, diff, read or delete throws, and the CLI
 * shows that next to the error it already reports: the message twice, with a JavaScript stack trace. Errors thrown
 * here are complete messages for the user, so that echo is dropped (only the exact text of an error thrown here).
 */
const echoes = new Set<string>();
let muted = false;

function muteHostEcho(): void {
  if (muted) return;
  muted = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && echoes.delete(args[0])) return;
    original(...args);
  };
}

/** Methods called with the id of an object the stack holds. */
const ON_EXISTING = new Set(["diff", "read", "update", "delete"]);

/** Methods the host echoes on failure; create and update failures reach the CLI once, as the gRPC error. */
const ECHOED = new Set(["check", "diff", "read", "delete"]);
/** Methods that run without the program in `refresh` and `destroy`, with the configuration saved at the last `up`. */
const SAVED_CONFIG = new Set(["read", "delete"]);

function annotate(method: string, e: unknown): unknown {
  if (!SAVED_CONFIG.has(method)) return e;
  if (e instanceof ConfigurationError || (e instanceof DevinApiError && e.status === 401)) {
    e.message += SAVED_CONFIG_HINT;
  }
  return e;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Methods = Record<string, (...args: any[]) => Promise<unknown>>;

export function forHost<T extends Methods>(lifecycle: T): T {
  muteHostEcho();
  const wrapped: Methods = {};
  for (const [method, fn] of Object.entries(lifecycle)) {
    wrapped[method] = async (...args) => {
      if (ON_EXISTING.has(method) && typeof args[0] === "string") noteHeld(args[0]);
      try {
        return await fn(...args);
      } catch (e) {
        const error = annotate(method, e);
        // The host records a partial create with exactly these properties: the provider must be among them, or
        // refresh and destroy could not load it.
        if (error instanceof PartialCreateError && method === "create") error.properties.__provider = (args[0] as Record<string, unknown>).__provider;
        if (ECHOED.has(method) && error instanceof Error) echoes.add(`${error}: ${error.stack}`);
        throw error;
      }
    };
  }
  return wrapped as T;
}
