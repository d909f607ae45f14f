import type { FieldSpec, ResourceSchema } from "../schema/types";
import { fromWire } from "../schema/wire";
import { failures, type CheckFailure } from "./check";
import { apiClient, type DevinClient, type RequestSpec } from "./client";
import { createOnce } from "./createOnce";
import { adoptTargetMissingError, existingSingletonError } from "./errors";
import { SCHEMA_VERSION, type Lifecycle } from "./lifecycle";
import { checkReferences } from "./references";
import { settingsProblem } from "./settings";
import { defined, isUnknown, managedArguments, sameJson } from "./values";

/**
 * The lifecycle of a setting the enterprise or an org has exactly one of: the IP access list, the org group limits,
 * an org's session tags. There is nothing to create, only a value to set, so what they share is here, once:
 *
 * - the resource owns the whole value: create and update write it whole (PUT), delete clears it;
 * - diff compares every argument of the table with the state (as JSON, undefined as null; an unknown differs), and an
 *   argument the table marks `replaces` replaces the resource;
 * - read turns the live value into the program's inputs, so that `refresh` shows drift in the next preview;
 * - create goes through `createOnce`: a value already set outside the stack is refused (the "duplicate"), unless the
 *   program adopts it (`adoptId` is the resource id), and then the program's value replaces it.
 *
 * Each type keeps only what is its own: where the value lives and how it is read and written, its canonical form, and
 * its input rules.
 */

/** What every state of these types carries besides the type's own fields. */
export interface CommonOutputs {
  schemaVersion: number;
  adoptId?: string;
}

type Props = Record<string, unknown>;

export interface SingletonSpec<I extends { adoptId?: string }, A, O extends CommonOutputs> {
  /** The type's table: its arguments are what diff compares and read turns back into inputs. */
  schema: ResourceSchema;
  /** The resource id, which is also `adoptId`: a fixed name, or the org whose value it is. */
  key: (x: Partial<I> | O) => string | undefined;
  /** The output that holds the key, when the key is an argument (an org's id). */
  keyField?: keyof O & string;
  /** What the value is called in messages: "the IP access list", "the session tags of org-…". */
  what: (key: string) => string;
  /** The verb of delete's message ("clear", the default, or "remove"). */
  clearing?: string;
  /** The type's own input rules, and its inputs in canonical form. */
  check: (olds: Partial<I>, news: Partial<I>) => { inputs: I; failures: CheckFailure[] };
  /** The arguments that name other objects, checked once the rules pass (references.ts). */
  references?: string[];
  /** The live value as the API has it, undefined where the API answers that there is none (404). */
  get: (client: DevinClient, key: string, operation: string) => Promise<A | undefined>;
  /** Why create cannot go on when `get` finds nothing (the feature is off); by default it goes on as for an empty value. */
  unavailable?: (operation: string) => Error;
  /** Whether the live value is set (not empty): one set outside the stack is not silently replaced. */
  isSet: (live: A) => boolean;
  /** The refusal's account of a value set outside the stack: "the enterprise already has an IP access list (…)". */
  existing: (key: string, live: A) => string;
  /** The request that replaces the value with the inputs' (create, adoption, and update by default). */
  put: (key: string, inputs: I) => RequestSpec;
  /**
   * The live value after `put`, from its answer: what else must follow it (a default tag), given the value it replaced
   * (undefined on a create). Default: the answer itself.
   */
  written?: (client: DevinClient, key: string, inputs: I, answer: unknown, had: A | undefined, operation: string) => Promise<A>;
  /** Update when it is not one `put`: given the arguments that changed. */
  update?: (client: DevinClient, key: string, olds: O, news: I, changed: string[], operation: string) => Promise<A>;
  /** The request that clears the value; 404 means there is nothing to clear. */
  clear: (key: string) => RequestSpec;
  /** The type's outputs from the live value; default: its table's wire mapping. */
  outputs?: (live: A) => Props;
}

/**
 * The drift comparator every singleton uses: which declared arguments differ from the state, and the inverse, the
 * live value as the inputs a refresh makes the next preview compare against (a null is left out, as the program would).
 */
export const drift = {
  changed(schema: ResourceSchema, state: object, declared: object): FieldSpec[] {
    return managedArguments(schema).filter((f) => {
      const value = (declared as Props)[f.name];
      return isUnknown(value) || !sameJson((state as Props)[f.name], value);
    });
  },
  inputsOf(schema: ResourceSchema, outputs: object): Props {
    return defined(Object.fromEntries(managedArguments(schema).map((f) => [f.name, (outputs as Props)[f.name] ?? undefined])));
  },
};

export function singletonLifecycle<I extends { adoptId?: string }, A, O extends CommonOutputs>(
  spec: SingletonSpec<I, A, O>,
): Lifecycle<I, O> {
  const outputsOf = spec.outputs ?? ((live: A) => fromWire(spec.schema.fields, live as Props));
  const toOutputs = (key: string, live: A, adoptId: string | undefined): O =>
    defined({
      schemaVersion: SCHEMA_VERSION,
      ...(spec.keyField ? { [spec.keyField]: key } : {}),
      ...outputsOf(live),
      adoptId,
    }) as unknown as O;
  /** The key of a resource in the state; an import gives only its id. */
  const keyOfState = (id: string, props: O | undefined) => (props && spec.key(props)) || id;
  const written = (client: DevinClient, key: string, inputs: I, answer: unknown, had: A | undefined, operation: string) =>
    spec.written ? spec.written(client, key, inputs, answer, had, operation) : Promise.resolve(answer as A);

  return {
    async check(olds, news) {
      const own = spec.check(olds, news);
      const found = [...own.failures, ...failures([["", settingsProblem()]])];
      if (found.length === 0 && spec.references) found.push(...(await checkReferences(olds, news, spec.references)));
      return { inputs: defined({ ...own.inputs, adoptId: news.adoptId ?? undefined }), failures: found };
    },

    async diff(_id, olds, news) {
      const changed = drift.changed(spec.schema, olds, news);
      return {
        changes: changed.length > 0,
        replaces: changed.filter((f) => f.replaces).map((f) => f.name),
        deleteBeforeReplace: false,
      };
    },

    async create(inputs) {
      const client = apiClient();
      const key = spec.key(inputs) as string;
      const operation = `set ${spec.what(key)}`;
      const get = async () => {
        const live = await spec.get(client, key, operation);
        if (live === undefined && spec.unavailable) throw spec.unavailable(operation);
        return live;
      };
      const put = spec.put(key, inputs);
      const outs = (live: A) => toOutputs(key, live, inputs.adoptId);
      const result = await createOnce<A, O>({
        client,
        operation,
        adoptId: inputs.adoptId,
        fetch: async (id) => (id === key ? get() : undefined),
        sameKey: async () => {
          const live = await get();
          return live !== undefined && spec.isSet(live) ? [live] : [];
        },
        idOf: () => key,
        // One value per scope: any set value is the one a lost answer left.
        madeSince: () => true,
        post: put,
        created: async (answer) => outs(await written(client, key, inputs, answer, undefined, operation)),
        // Adopted, or found after a lost answer: the program's value replaces it whole, unless it is that value already
        // (adopting what exists as it is sends no write).
        takeOver: async ({ found }) => {
          if (found !== undefined && drift.changed(spec.schema, outs(found), inputs).length === 0) return outs(found);
          return outs(await written(client, key, inputs, (await client.call<unknown>(put, { operation })).body, found, operation));
        },
        refuse: ([live]) => existingSingletonError(operation, spec.existing(key, live), key),
        missing: (id) => adoptTargetMissingError(operation, id),
      });
      return { id: key, outs: result };
    },

    async read(id, props) {
      const key = keyOfState(id, props);
      const live = await spec.get(apiClient(), key, `read ${spec.what(key)}`);
      // Gone with its org, or the feature turned off: there is nothing left to hold.
      if (live === undefined) return {};
      const outs = toOutputs(key, live, props?.adoptId);
      return { id, props: outs, inputs: drift.inputsOf(spec.schema, outs) as unknown as O };
    },

    async update(_id, olds, news) {
      const client = apiClient();
      const key = spec.key(news) as string;
      const operation = `set ${spec.what(key)}`;
      const live = spec.update
        ? await spec.update(
            client,
            key,
            olds,
            news,
            drift.changed(spec.schema, olds, news).map((f) => f.name),
            operation,
          )
        : (await client.call<A>(spec.put(key, news), { operation })).body;
      return { outs: toOutputs(key, live, olds.adoptId) };
    },

    async delete(id, props) {
      const key = keyOfState(id, props);
      await apiClient().call(spec.clear(key), { operation: `${spec.clearing ?? "clear"} ${spec.what(key)}`, allow: [404] });
    },
  };
}
