import type { DevinClient, RequestSpec } from "./client";
import { run } from "./runState";

/**
 * Every create happens exactly once, whatever fails and whenever a run is killed. One mechanism for every resource
 * type:
 *
 * 1. Adoption: when the program names an existing object (`adoptId`), it is read and brought in line with the inputs,
 *    never created.
 * 2. The duplicate guard: before creating, the objects with the same natural key (a name in its scope) are listed. One
 *    this stack does not hold is most likely left over from an interrupted run: creating another would leave two, so
 *    the create is refused with a message that says how to adopt it.
 * 3. Reconciliation: a create whose answer is lost is looked up (same key, made since the request was sent) before
 *    anything is sent again; a found object is taken over as if the answer had arrived. If the lookup fails too, the
 *    error says the outcome is unknown, and the next run's guard finds the object.
 *
 * Work after the object exists (a key, a role) that fails is reported as a partial create: the id and what is known
 * go to the state, and the next `pulumi up` finishes the job in `update` instead of creating another object.
 */

/** Called by the host adapter for every operation on an existing resource: the stack holds it (`run.held`). */
export function noteHeld(id: string): void {
  if (id) run.held.add(id);
}

/** Whether the stack holds the object: it was created, or seen in diff, read, update or delete, in this run. */
export function isHeld(id: string): boolean {
  return run.held.has(id);
}

/** An object found instead of created: the answer of a lost create, or an object the program adopts. */
export type Found<Obj> = { found: Obj; how: "recovered" | "adopted" };

export interface CreateOnce<Obj, Outs> {
  client: DevinClient;
  operation: string;
  /** The existing object the program adopts, if any. */
  adoptId?: string;
  /** Reads the object to adopt; undefined when it does not exist. Throws when it exists but cannot be adopted. */
  fetch: (id: string) => Promise<Obj | undefined>;
  /** The live objects with the same natural key in the same scope, read now (reconciliation). */
  sameKey: () => Promise<Obj[]>;
  /** The guard's view of them, which may come from a list the run shares (runCache.ts); `sameKey` by default. */
  strays?: () => Promise<Obj[]>;
  idOf: (obj: Obj) => string;
  /** Whether a same-key object was made at or after `startedAt` (unix seconds), so by a request we sent. */
  madeSince: (obj: Obj, startedAt: number) => boolean | Promise<boolean>;
  post: RequestSpec;
  /** The outputs from the create's answer. */
  created: (answer: unknown) => Promise<Outs> | Outs;
  /** The outputs of a found object, after bringing it in line with the inputs. */
  takeOver: (found: Found<Obj>) => Promise<Outs>;
  /** The guard's refusal. */
  refuse: (existing: Obj[]) => Error;
  /** `adoptId` names nothing. */
  missing: (id: string) => Error;
}

/** How far the server's clock may lag ours when deciding that an object was made by our own lost request. */
const CLOCK_SKEW_SECONDS = 120;

export async function createOnce<Obj, Outs>(spec: CreateOnce<Obj, Outs>): Promise<Outs> {
  if (spec.adoptId) {
    const obj = await spec.fetch(spec.adoptId);
    if (obj === undefined) throw spec.missing(spec.adoptId);
    return spec.takeOver({ found: obj, how: "adopted" });
  }

  const strays = (await (spec.strays ?? spec.sameKey)()).filter((o) => !isHeld(spec.idOf(o)));
  if (strays.length > 0) throw spec.refuse(strays);

  const startedAt = Math.floor(Date.now() / 1000) - CLOCK_SKEW_SECONDS;
  const res = await spec.client.call<unknown>(spec.post, {
    operation: spec.operation,
    // The guard found no such object just before, so one made since the request was sent is ours.
    reconcile: async () => {
      for (const candidate of await spec.sameKey()) {
        if (!isHeld(spec.idOf(candidate)) && (await spec.madeSince(candidate, startedAt))) return { [RECOVERED]: candidate };
      }
      return undefined;
    },
  });
  const body = res.body as Record<typeof RECOVERED, Obj> | undefined;
  if (body && typeof body === "object" && RECOVERED in body) return spec.takeOver({ found: body[RECOVERED], how: "recovered" });
  return spec.created(res.body);
}

const RECOVERED = Symbol("recovered");

/**
 * The object exists but what should follow failed. Pulumi records the id and `properties` in the state (the dynamic
 * provider host turns these fields into a partial create), and the next `pulumi up` calls update.
 */
export class PartialCreateError extends Error {
  readonly reasons: string[];
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
  ) {
    super(message);
    this.name = "PartialCreateError";
    this.reasons = [message];
  }
}
