import { fromWire, toWire } from "../schema/wire";
import type { ResourceSchema } from "../schema/types";
import type { RequestSpec } from "./client";
import { checkId, failures, type CheckFailure } from "./check";
import { apiClient, type DevinClient } from "./client";
import { createOnce, PartialCreateError } from "./createOnce";
import { adoptionMismatchError, adoptTargetMissingError, DevinApiError, partialCreateMessage } from "./errors";
import { SCHEMA_VERSION, type Lifecycle } from "./lifecycle";
import { checkReferences } from "./references";
import { settingsProblem } from "./settings";
import { defined, isUnknown, managedArguments, sameJson } from "./values";

/**
 * The lifecycle of an object the API gives an id of its own, in an org or at the enterprise level: playbooks,
 * knowledge notes, schedules, secrets and git permissions. Each type's table (`provider/schema/`) says its fields: which
 * the program manages, which replace, which have a server default, and their wire names; the type describes its calls
 * and its own comparisons (an {@link ObjectSpec}); what they share is here, once:
 *
 * - diff compares each field the program manages, and a field the API cannot change in place replaces the object;
 * - a field with a server default that the program leaves out is not managed: its live value is an output, never drift;
 * - create goes through `createOnce` (adoption, the duplicate guard on the type's natural key, reconciliation), and an
 *   adopted or recovered object is brought in line with the program by an update;
 * - read turns the live object into the program's inputs, so that `refresh` shows drift in the next preview, and an
 *   object that is gone (404, or missing from its list) leaves the state;
 * - delete treats an object already gone as deleted.
 */

/** What every state of these types carries besides the type's own fields. */
export interface CommonOutputs {
  schemaVersion: number;
  /** Inputs with a server default that the program leaves out: never drift. */
  unmanaged?: string[];
  adoptId?: string;
}

/** How the state's value and the declared value of one argument compare, when JSON equality is not it. */
export interface Comparison<I> {
  /** Whether a state value and a declared value are the same (default: equal as JSON, with undefined as null). */
  same?: (state: unknown, declared: unknown) => boolean;
  /** Whether the field means anything for these inputs (a one-time schedule has no frequency). */
  appliesTo?: (inputs: Partial<I>) => boolean;
}

/** One argument the program manages (from the table), which is also an output of the same name. */
interface Field<I> extends Comparison<I> {
  name: string;
  replaces?: boolean;
  serverDefault?: boolean;
}

/** The outputs of a type without those every state carries. */
export type OwnOutputs<O> = Omit<O, keyof CommonOutputs>;

type Json = Record<string, unknown>;

/** The names of the arguments the program manages. */
export function managedNames(table: ResourceSchema): string[] {
  return managedArguments(table).map((f) => f.name);
}

/** An API object's fields by their program names, as the table maps them. */
export function named(table: ResourceSchema, live: object): Json {
  return fromWire(table.fields, live as Json);
}

/** An API object's id, in the table's id output. */
export function objectId(table: ResourceSchema, live: object): string {
  return named(table, live)[table.idOutput as string] as string;
}

/**
 * A request body: the values of `names` (default: every managed field but `orgId`, which is in the path) under their
 * request names; undefined is left out and null sent.
 */
export function requestBody(table: ResourceSchema, values: object, names?: readonly string[]): Json {
  return toWire(table.fields, values, names ?? managedNames(table).filter((n) => n !== "orgId"));
}

/**
 * The inputs with null for each optional argument the program leaves out: how a request that sets the whole object
 * (a create, a PUT that keeps what it is not sent) says "none". An argument with a server default is not managed when
 * left out, so it stays out.
 */
export function noneAsNull<T extends object>(table: ResourceSchema, inputs: T): T {
  const given = inputs as Json;
  const nulls = managedArguments(table)
    .filter((f) => f.input === "optional" && !f.serverDefault && given[f.name] === undefined)
    .map((f) => [f.name, null]);
  return { ...inputs, ...Object.fromEntries(nulls) };
}

/** The objects of an org listed at `path`; none when the org is gone, since its objects went with it. */
export async function listOfOrg<A>(client: DevinClient, path: string, operation: string): Promise<A[]> {
  try {
    return await client.listAll<A>(path, operation);
  } catch (e) {
    if (e instanceof DevinApiError && e.status === 404) return [];
    throw e;
  }
}

/** Where an object lives: an org, or (null) the enterprise level. */
export type Scope = string | null;

/** The scope of some inputs or state: their `orgId`, or the enterprise level. */
export const scopeOf = (x: object): Scope => ((x as Json).orgId as string | undefined) ?? null;

/** An object the API serves at the enterprise level and in orgs (a playbook, a note), as its answers say where. */
export interface Leveled {
  access_type: "enterprise" | "org";
  org_id: string | null;
}

/**
 * Where a playbook or note lives. The resource types say it by their kind and `orgId`, so it is no output; the
 * enterprise lists show every org's objects too, and adoption must refuse one of the other level.
 */
function levelOf(x: Leveled): { level: "enterprise" | "org"; orgId: string | null } {
  return { level: x.access_type, orgId: x.org_id };
}

/**
 * How a type that exists at both levels (playbooks, notes) finds its objects: the same natural key at the same level
 * (the enterprise list also shows every org's objects), a GET by id, and a refusal to adopt one of the other level,
 * whose `otherLevel` says how to declare it.
 */
export function levelled<A extends Leveled & object>(
  level: "org" | "enterprise",
  table: ResourceSchema,
  where: { list: (scope: Scope) => string; item: (scope: Scope, id: string) => string; key: string },
  otherLevel: (orgId: string | null) => string,
): {
  sameKey: (client: DevinClient, inputs: object, operation: string) => Promise<A[]>;
  get: (client: DevinClient, scope: Scope, id: string, operation: string) => Promise<A | undefined>;
  adoptable: (live: A, inputs: unknown, operation: string) => void;
} {
  return {
    sameKey: async (client, inputs, operation) => {
      const key = (inputs as Json)[where.key];
      return (await client.listAll<A>(where.list(scopeOf(inputs)), operation)).filter(
        (x) => named(table, x)[where.key] === key && levelOf(x).level === level,
      );
    },
    get: (client, scope, id, operation) => client.find<A>(where.item(scope, id), operation),
    adoptable: (live, _inputs, operation) => {
      const { level: actual, orgId } = levelOf(live);
      if (actual !== level) throw adoptionMismatchError(operation, objectId(table, live), otherLevel(orgId));
    },
  };
}

export interface ObjectSpec<I extends { adoptId?: string }, A extends object, O extends CommonOutputs> {
  /** The type's fields: what the program manages, what replaces, what has a server default, the wire names. */
  table: ResourceSchema;
  /** What the object is called in messages, e.g. "playbook". */
  noun: string;
  /** The prefix of its ids, for `adoptId`. */
  idPrefix: string;
  /** The comparisons of the fields that JSON equality does not fit, by field name. */
  compare?: Partial<Record<Exclude<keyof I, "adoptId">, Comparison<I>>>;
  /** How an object with these inputs is named in messages, e.g. "playbook 'Deploy' in org-…". */
  describe: (inputs: I) => string;
  /** The type's own input rules, and its inputs with defaults filled in. */
  check: (olds: Partial<I>, news: Partial<I>) => { inputs: I; failures: CheckFailure[] };
  /** When it was made, in unix seconds, from its outputs; null when the API does not say (default: `createdAt`). */
  createdAt?: (outputs: Partial<OwnOutputs<O>>) => number | null;
  /** The live objects in the scope with the inputs' natural key (a title, a name, a key, a path). */
  sameKey: (client: DevinClient, inputs: I, operation: string) => Promise<A[]>;
  /** The live object, or undefined when it is gone. Throws if it exists but is not of this type (on adoption). */
  get: (client: DevinClient, scope: Scope, id: string, operation: string) => Promise<A | undefined>;
  /** Refuses to adopt an object that cannot become the declared one (another level, another org). */
  adoptable?: (live: A, inputs: I, operation: string) => void;
  /** The duplicate guard's refusal, given the ids of the live objects with the same natural key. */
  refuse: (ids: string[], inputs: I, operation: string) => Error;
  /** The create request. */
  post: (inputs: I) => RequestSpec;
  /** The created object from the create's answer. */
  fromPost?: (answer: unknown) => A;
  /** What create must do after the object exists (a schedule cannot be created disabled). */
  afterCreate?: (client: DevinClient, live: A, inputs: I, operation: string) => Promise<A>;
  /** Sends the in-place changes of `changed` and returns the object as it is then. */
  update: (client: DevinClient, id: string, olds: O, news: I, changed: string[], operation: string) => Promise<A>;
  /** Deletes it; the default is DELETE on `itemPath`, where 404 means already gone. */
  remove?: (client: DevinClient, id: string, state: O, operation: string) => Promise<void>;
  itemPath: (scope: Scope, id: string) => string;
  /**
   * The outputs that the API's object does not hold as the table reads it (`wired`): values it does not return, which
   * `known` has (the inputs at create and update, the state at read), and its defaults for keys it leaves out.
   */
  outputs?: (wired: Partial<OwnOutputs<O>>, known: Partial<I> | O) => Partial<OwnOutputs<O>>;
  /** Replace by deleting first (a key the API keeps unique would collide with the new object). */
  deleteBeforeReplace?: (olds: O, news: I) => boolean;
  /** Registers values no message may contain (a secret's value). */
  hide?: (x: Partial<I> | O | undefined) => void;
}

export function objectLifecycle<I extends { adoptId?: string }, A extends object, O extends CommonOutputs>(
  spec: ObjectSpec<I, A, O>,
): Lifecycle<I, O> {
  const record = (x: object) => ({ ...x }) as Record<string, unknown>;
  const { table } = spec;
  // Every object of a type whose table has an orgId lives in an org; the others at the enterprise level.
  const orgScoped = table.fields.some((f) => f.name === "orgId");
  if (!table.idOutput) throw new Error(`the ${table.kind} table names no idOutput`);
  const idOutput = table.idOutput;
  const compare = (spec.compare ?? {}) as Partial<Record<string, Comparison<I>>>;
  const managed = managedNames(table);
  const fields: Field<I>[] = table.fields
    .filter((f) => managed.includes(f.name))
    .map((f) => ({ name: f.name, replaces: f.replaces, serverDefault: f.serverDefault, ...compare[f.name] }));
  const idOf = (live: A) => objectId(table, live);
  const createdAt = (live: A): number | null => {
    const wired = named(table, live) as Partial<OwnOutputs<O>>;
    if (spec.createdAt) return spec.createdAt(wired);
    const at = (wired as Json).createdAt;
    return typeof at === "number" ? at : null;
  };

  const unmanagedOf = (inputs: I): string[] =>
    fields.filter((f) => f.serverDefault && record(inputs)[f.name] === undefined).map((f) => f.name);

  const toOutputs = (live: A, known: I | O, adoptId: string | undefined, unmanaged: string[]): O => {
    const wired = named(table, live) as Partial<OwnOutputs<O>>;
    return defined({ schemaVersion: SCHEMA_VERSION, ...wired, ...spec.outputs?.(wired, known), unmanaged, adoptId }) as unknown as O;
  };

  /** The fields that differ between the state and the declared inputs. */
  function changedFields(olds: O, news: I): Field<I>[] {
    return fields.filter((f) => {
      const declared = record(news)[f.name];
      if (f.serverDefault && declared === undefined) return false;
      if (f.appliesTo && !f.appliesTo(news)) return false;
      if (isUnknown(declared) || (Array.isArray(declared) && declared.some(isUnknown))) return true;
      return !(f.same ?? sameJson)(record(olds)[f.name], declared);
    });
  }

  /** The live object as the program's inputs: what a refresh makes the next preview compare against. */
  function toInputs(outs: O): I {
    const unmanaged = outs.unmanaged ?? fields.filter((f) => f.serverDefault).map((f) => f.name);
    const inputs: Record<string, unknown> = {};
    for (const f of fields) {
      if (unmanaged.includes(f.name)) continue;
      const v = record(outs)[f.name];
      if (v !== null && v !== undefined) inputs[f.name] = v;
    }
    return inputs as I;
  }

  /** An org's object is reached through its org, which only the state knows. */
  function scopeOfState(id: string, props: O | undefined, method: string): Scope {
    const scope = props ? scopeOf(props) : null;
    if (scope === null && orgScoped) {
      throw new Error(
        `cannot ${method} ${spec.noun} ${id} without its orgId; declare it with adoptId instead of looking it up by id alone.`,
      );
    }
    return scope;
  }

  async function update(id: string, olds: O, news: I, changed: string[]): Promise<O> {
    const operation = `update ${spec.describe(news)} (${id})`;
    const live = await spec.update(apiClient(), id, olds, news, changed, operation);
    return toOutputs(live, news, olds.adoptId, unmanagedOf(news));
  }

  return {
    async check(olds, news) {
      spec.hide?.(news);
      const own = spec.check(olds, news);
      const found = [
        ...own.failures,
        ...failures([
          ["adoptId", checkId("adoptId", news.adoptId, spec.idPrefix)],
          ["", settingsProblem()],
        ]),
      ];
      if (found.length === 0) found.push(...(await checkReferences(olds, news, ["orgId", "gitConnectionId"])));
      return { inputs: defined({ ...own.inputs, adoptId: news.adoptId ?? undefined }), failures: found };
    },

    async diff(_id, olds, news) {
      const changed = changedFields(olds, news);
      const replaces = changed.filter((f) => f.replaces).map((f) => f.name);
      return {
        changes: changed.length > 0,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && (spec.deleteBeforeReplace?.(olds, news) ?? false),
      };
    },

    async create(inputs) {
      spec.hide?.(inputs);
      const client = apiClient();
      const operation = `create ${spec.describe(inputs)}`;
      const scope = scopeOf(inputs);
      const unmanaged = unmanagedOf(inputs);
      const outs = await createOnce<A, O>({
        client,
        operation,
        adoptId: inputs.adoptId,
        fetch: async (id) => {
          const live = await spec.get(client, scope, id, `${operation}: read ${id} to adopt it`);
          if (live !== undefined) spec.adoptable?.(live, inputs, operation);
          return live;
        },
        sameKey: () => spec.sameKey(client, inputs, operation),
        idOf,
        madeSince: (live, startedAt) => (createdAt(live) ?? startedAt) >= startedAt,
        post: spec.post(inputs),
        created: async (answer) => {
          const live = spec.fromPost ? spec.fromPost(answer) : (answer as A);
          if (!spec.afterCreate) return toOutputs(live, inputs, inputs.adoptId, unmanaged);
          try {
            return toOutputs(await spec.afterCreate(client, live, inputs, operation), inputs, inputs.adoptId, unmanaged);
          } catch (e) {
            const id = idOf(live);
            throw new PartialCreateError(
              partialCreateMessage(operation, "created it", id, e, spec.noun),
              id,
              record(toOutputs(live, inputs, inputs.adoptId, unmanaged)),
            );
          }
        },
        takeOver: async ({ found, how }) => {
          // Found after a lost answer, or adopted: the program's inputs win, by the same update `up` would make.
          const live = toOutputs(found, inputs, inputs.adoptId, unmanaged);
          const id = idOf(found);
          const changed = changedFields(live, inputs);
          const fixed = changed.filter((f) => f.replaces);
          if (fixed.length > 0) {
            throw new Error(
              `${operation} failed: cannot adopt ${id}: its ${fixed.map((f) => f.name).join(", ")} differ from the program's, ` +
                `and the API cannot change ${fixed.length > 1 ? "them" : "it"}. Declare the values it has, or remove adoptId to create a new ${spec.noun}.`,
            );
          }
          if (changed.length === 0) return live;
          try {
            return await update(
              id,
              live,
              inputs,
              changed.map((f) => f.name),
            );
          } catch (e) {
            const what = how === "adopted" ? "adopted it" : "its answer was lost, and it was found";
            throw new PartialCreateError(partialCreateMessage(operation, what, id, e, spec.noun), id, record(live));
          }
        },
        refuse: (existing) => spec.refuse(existing.map(idOf), inputs, operation),
        missing: (id) => adoptTargetMissingError(operation, id),
      });
      return { id: record(outs)[idOutput] as string, outs };
    },

    async read(id, props) {
      spec.hide?.(props);
      const scope = scopeOfState(id, props, "read");
      const live = await spec.get(apiClient(), scope, id, `read ${spec.noun} ${id}`);
      // Deleted behind the stack's back: an empty result drops it from state, and the next `up` creates it again.
      if (live === undefined) return {};
      const unmanaged = props?.unmanaged ?? fields.filter((f) => f.serverDefault).map((f) => f.name);
      const outs = toOutputs(live, props ?? ({} as O), props?.adoptId, unmanaged);
      return { id, props: outs, inputs: toInputs(outs) as unknown as O };
    },

    async update(id, olds, news) {
      spec.hide?.(news);
      const changed = changedFields(olds, news).map((f) => f.name);
      // A partial create comes back here with what is left to do, or with nothing.
      if (changed.length === 0) return { outs: { ...olds, schemaVersion: SCHEMA_VERSION, unmanaged: unmanagedOf(news) } };
      return { outs: await update(id, olds, news, changed) };
    },

    async delete(id, props) {
      spec.hide?.(props);
      const client = apiClient();
      const scope = scopeOfState(id, props, "delete");
      const operation = `delete ${spec.noun} ${id}`;
      if (spec.remove && props) return spec.remove(client, id, props, operation);
      await client.call({ method: "DELETE", path: spec.itemPath(scope, id) }, { operation, allow: [404] });
    },
  };
}
