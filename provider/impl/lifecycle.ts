import type * as dynamic from "@pulumi/pulumi/dynamic";

/**
 * What every resource type implements: its lifecycle as a table of the six methods the dynamic-provider host calls.
 * `check` gets the old and new inputs, `diff` and `update` the state (outputs) and the new inputs, `read` and
 * `delete` the state. The state a method gets may have been written by any older version (refresh and destroy run the
 * installed implementation on old state), so each must read every shape `SCHEMA_VERSION` has had.
 */
export interface Lifecycle<Inputs, Outputs> {
  check(olds: Partial<Inputs>, news: Partial<Inputs>): Promise<dynamic.CheckResult<Inputs>>;
  diff(id: string, olds: Outputs, news: Inputs): Promise<dynamic.DiffResult>;
  create(inputs: Inputs): Promise<dynamic.CreateResult<Outputs>>;
  read(id: string, props?: Outputs): Promise<dynamic.ReadResult<Outputs>>;
  update(id: string, olds: Outputs, news: Inputs): Promise<dynamic.UpdateResult<Outputs>>;
  delete(id: string, props?: Outputs): Promise<void>;
}

/**
 * 1: the first shapes. 2: Organization outputs carry `unmanaged`, the optional inputs the program leaves out, so a
 * refresh does not report them as drift; adopted objects carry `adoptId`; every resource carries `__kind`.
 */
export const SCHEMA_VERSION = 2;

/**
 * The property that names a resource's type in its inputs and state, so that one serialized provider serves every
 * type. Pulumi hides properties whose names start with two underscores from previews.
 */
export const KIND = "__kind";
