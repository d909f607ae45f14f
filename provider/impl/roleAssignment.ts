import type { ResourceSchema } from "../schema/types";
import { fromWire, toWire } from "../schema/wire";
import type { RequestSpec } from "./client";
import { apiClient, type DevinClient } from "./client";
import { checkId, checkRole, failures, type CheckFailure } from "./check";
import { createOnce, isHeld, PartialCreateError } from "./createOnce";
import {
  adoptTargetMissingError,
  DevinApiError,
  DevinNetworkError,
  duplicateAssignmentError,
  partialCreateMessage,
  UnknownRoleError,
} from "./errors";
import { SCHEMA_VERSION, type Lifecycle } from "./lifecycle";
import { checkReferences } from "./references";
import { resolveRole, sameRole } from "./roles";
import { createdThisRun } from "./runCache";
import { isOffline } from "./offline";
import { settingsProblem } from "./settings";
import { paths, type ApiIdpGroup, type ApiServiceUser, type ApiUser, type Role, type RoleType } from "./api";
import { defined, differs, isUnknown } from "./values";

/**
 * One lifecycle for every "X holds role R in scope S" resource: a user's, an IdP group's or a service user's role,
 * in the enterprise or in one org. They differ only in paths, in how the live role is read, and in whether the API
 * can take the role away; this module holds what they share: role names or ids, drift, adoption, exactly-once.
 */

/** The fields that name the assignment (who, and where); changing one replaces the resource. */
export type Keys = Record<string, string>;

export interface AssignmentInputs extends Keys {
  role: string;
}

export type AssignmentOutputs = Keys & {
  schemaVersion: number;
  /** The role as declared: a name or an id. */
  role: string;
  roleId: string;
  roleName: string;
  adoptId?: string;
};

/** A request body: the role to hold, by id. */
export type RoleBody = Record<string, unknown>;

export interface AssignmentSpec {
  /** The resource's table: the wire names of its role fields. */
  table: ResourceSchema;
  /** For messages: "the role of user user-… in org-…". */
  describe(keys: Keys): string;
  /** The key fields, in the order they make the id (`org-…/user-…`), each with the id prefix check() requires. */
  keys: { name: string; prefix?: string }[];
  roleType: RoleType;
  /** The live role, undefined when there is none at this scope, or "gone" when the subject itself is gone (404). */
  readRole(client: DevinClient, keys: Keys, operation: string): Promise<Role | undefined | "gone">;
  /** The request that assigns the role where there is none, with the body the lifecycle makes from the table. */
  assign(keys: Keys, body: RoleBody): RequestSpec;
  /** The request that changes the existing role. */
  change(keys: Keys, body: RoleBody): RequestSpec;
  /** The request that removes the role, or undefined when the API has none (the resource then forgets it). */
  remove?(keys: Keys): RequestSpec;
  /** What delete says when there is no way to remove the role. */
  kept?: string;
  /**
   * The subject always holds a role at this scope (a member of the enterprise has an enterprise role): the resource
   * manages that role rather than creating one, so there is nothing to guard or adopt.
   */
  alwaysHeld?: boolean;
  /**
   * The key that names a subject the stack may create itself (a service user). A role such a subject already holds
   * here is the stack's own (its provisioning role), not one set outside: the declared role replaces it, unguarded.
   */
  ownSubject?: string;
}

const idOf = (spec: AssignmentSpec, keys: Keys) => spec.keys.map((k) => keys[k.name]).join("/");

/** The id split back into keys; a name with `/` is the last key, so only the first separators split. */
function keysOf(spec: AssignmentSpec, id: string): Keys {
  const parts = id.split("/");
  const head = parts.slice(0, spec.keys.length - 1);
  return Object.fromEntries(spec.keys.map((k, i) => [k.name, i < head.length ? head[i] : parts.slice(head.length).join("/")]));
}

export function roleAssignment(spec: AssignmentSpec): Lifecycle<AssignmentInputs, AssignmentOutputs> {
  const pick = (from: Keys): Keys => Object.fromEntries(spec.keys.map((k) => [k.name, from[k.name]]));
  // The API takes the role by id (a name is resolved first), and shows it nested in the assignment.
  const body = (role: Role): RoleBody => toWire(spec.table.fields, { role: role.role_id }, ["role"]);
  const outputs = (keys: Keys, declared: string, role: Role, adoptId?: string): AssignmentOutputs => {
    const { roleId, roleName } = fromWire(spec.table.fields, { role });
    return defined({ schemaVersion: SCHEMA_VERSION, ...keys, role: declared, roleId, roleName, adoptId }) as AssignmentOutputs;
  };

  return {
    async check(_olds, news) {
      const found: CheckFailure[] = failures([
        ...spec.keys.map((k): [string, string | undefined] => [k.name, checkKey(k.name, news[k.name], k.prefix)]),
        ["role", checkRole(news.role)],
        [
          "adoptId",
          isUnknown(news.adoptId) || news.adoptId === undefined || typeof news.adoptId === "string"
            ? undefined
            : "adoptId must be a string",
        ],
        ["", settingsProblem()],
      ]);
      const inputs = defined({
        ...pick(news as Keys),
        role: news.role as string,
        adoptId: (news.adoptId as string | undefined) ?? undefined,
      });
      // As for a service user: a role the state holds already was checked when it was set.
      if (found.length === 0 && !isUnknown(news.role) && _olds.role !== news.role && !isOffline()) {
        try {
          await resolveRole(apiClient(), news.role as string, spec.roleType);
        } catch (e) {
          if (e instanceof UnknownRoleError) found.push({ property: "role", reason: e.message });
          else if (e instanceof DevinApiError || e instanceof DevinNetworkError) found.push({ property: "", reason: e.message });
          else throw e;
        }
      }
      const keyNames = spec.keys.map((k) => k.name);
      if (found.length === 0) found.push(...(await checkReferences(_olds, news, keyNames)));
      return { inputs: inputs as AssignmentInputs, failures: found };
    },

    async diff(_id, olds, news) {
      const replaces = spec.keys.map((k) => k.name).filter((k) => differs(olds[k], news[k]));
      const roleChanged = isUnknown(news.role) || !sameRole(news.role, { role_id: olds.roleId, role_name: olds.roleName });
      // A replacement is a different assignment: the new one is made before the old one goes, so access never lapses.
      return { changes: replaces.length > 0 || roleChanged, replaces, deleteBeforeReplace: false };
    },

    async create(inputs) {
      const client = apiClient();
      const keys = pick(inputs);
      const id = idOf(spec, keys);
      const operation = `assign ${spec.describe(keys)}`;
      const role = await resolveRole(client, inputs.role, spec.roleType);
      if (spec.alwaysHeld) {
        const live = await spec.readRole(client, keys, operation);
        if (live === "gone") throw adoptTargetMissingError(operation, id);
        if (!live || !sameRole(inputs.role, live)) await client.call((live ? spec.change : spec.assign)(keys, body(role)), { operation });
        return { id, outs: outputs(keys, inputs.role, live && sameRole(inputs.role, live) ? live : role, inputs.adoptId) };
      }
      if (spec.ownSubject && (isHeld(keys[spec.ownSubject]) || createdThisRun(keys[spec.ownSubject]))) {
        // An enterprise service user provisioned as Member and granted Admin here: Admin is what the program declares.
        const live = await spec.readRole(client, keys, operation);
        if (live && live !== "gone") {
          if (sameRole(inputs.role, live)) return { id, outs: outputs(keys, inputs.role, live, inputs.adoptId) };
          await client.call(spec.change(keys, body(role)), { operation });
          return { id, outs: outputs(keys, inputs.role, role, inputs.adoptId) };
        }
      }
      const outs = await createOnce<Role, AssignmentOutputs>({
        client,
        operation,
        adoptId: inputs.adoptId,
        fetch: async (adoptId) => {
          if (adoptId !== id) throw new Error(`${operation} failed: adoptId must be this assignment's id, '${id}' (got '${adoptId}').`);
          const live = await spec.readRole(client, keys, operation);
          return live === "gone" ? undefined : live;
        },
        sameKey: async () => {
          const live = await spec.readRole(client, keys, operation);
          return live && live !== "gone" ? [live] : [];
        },
        idOf: () => id,
        // The guard found no role here just before the request: one there now is the request's own.
        madeSince: () => true,
        post: spec.assign(keys, body(role)),
        created: async () => outputs(keys, inputs.role, role, inputs.adoptId),
        takeOver: async ({ found }) => {
          if (sameRole(inputs.role, found)) return outputs(keys, inputs.role, found, inputs.adoptId);
          try {
            await client.call(spec.change(keys, body(role)), { operation: `change ${spec.describe(keys)}` });
            return outputs(keys, inputs.role, role, inputs.adoptId);
          } catch (e) {
            throw new PartialCreateError(partialCreateMessage(operation, "adopted it", id, e, "assignment"), id, {
              ...outputs(keys, found.role_name, found, inputs.adoptId),
            });
          }
        },
        refuse: ([existing]) => duplicateAssignmentError(operation, spec.describe(keys), existing.role_name, id),
        missing: (adoptId) => adoptTargetMissingError(operation, adoptId),
      });
      return { id, outs };
    },

    async read(id, props) {
      const keys = props ? pick(props) : keysOf(spec, id);
      const live = await spec.readRole(apiClient(), keys, `read ${spec.describe(keys)}`);
      // The subject, or its role at this scope, is gone: drop it, and the next `up` assigns it again.
      if (live === undefined || live === "gone") return {};
      const declared = props?.role ?? live.role_name;
      // Keep the user's spelling while it still denotes the live role; otherwise show the live role as drift.
      const role = sameRole(declared, live) ? declared : live.role_name;
      const outs = outputs(keys, role, live, props?.adoptId);
      return { id, props: outs, inputs: { ...keys, role } as unknown as AssignmentOutputs };
    },

    async update(id, olds, news) {
      const client = apiClient();
      const keys = pick(olds);
      const role = await resolveRole(client, news.role, spec.roleType);
      await client.call(spec.change(keys, body(role)), { operation: `change ${spec.describe(keys)} to '${news.role}'` });
      return { outs: outputs(keys, news.role, role, olds.adoptId) };
    },

    async delete(id, props) {
      const keys = props ? pick(props) : keysOf(spec, id);
      if (!spec.remove) {
        // Pulumi passes a provider's console output to the CLI: the user learns the role stays.
        console.log(`${spec.describe(keys)}: ${spec.kept ?? "the API cannot remove this role; it stays as it is"}.`);
        return;
      }
      await apiClient().call(spec.remove(keys), { operation: `remove ${spec.describe(keys)}`, allow: [404] });
    },
  };
}

function checkKey(property: string, value: unknown, prefix?: string): string | undefined {
  if (prefix) return checkId(property, value, prefix) ?? (value === undefined || value === null ? `${property} is required.` : undefined);
  if (isUnknown(value)) return undefined;
  if (typeof value !== "string" || value.trim() === "") return `${property} must be a non-empty string.`;
  return undefined;
}

/** A user's direct role at a scope (null: the enterprise), read from the user; "gone" when the user is. */
export async function readUserRole(client: DevinClient, userId: string, orgId: string | null, operation: string) {
  const user = await client.find<ApiUser>(paths.user(userId), operation);
  if (user === undefined) return "gone" as const;
  return user.role_assignments.find((a) => a.org_id === orgId)?.role;
}

/** An IdP group's role at a scope; a 404 means the group has no mapping there. */
export async function readIdpGroupRole(client: DevinClient, path: string, orgId: string | null, operation: string) {
  return (await client.find<ApiIdpGroup>(path, operation))?.role_assignments.find((a) => a.org_id === orgId)?.role;
}

/** A service user's role at a scope, read from the service user (there is no GET of one membership). */
export async function readServiceUserRole(client: DevinClient, id: string, orgId: string | null, operation: string) {
  const su = await client.find<ApiServiceUser>(paths.serviceUser(id), operation);
  if (su === undefined || su.deleted_at) return "gone" as const;
  return su.role_assignments.find((a) => a.org_id === orgId)?.role;
}
