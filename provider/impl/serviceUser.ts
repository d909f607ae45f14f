import { serviceUser as table } from "../schema/serviceUser";
import { fromWire, toWire } from "../schema/wire";
import { paths, type ApiServiceUser, type ProvisionedServiceUser, type Role } from "./api";
import { apiKeyPaths, type ApiKey, type ApiKeyWithToken } from "./apiKey";
import { orgServiceUserRolePaths } from "./orgServiceUserRole";
import {
  checkApiKeyOnAdopt,
  checkId,
  checkName,
  checkOrgId,
  checkRole,
  checkTtl,
  failures,
  MAX_SERVICE_USER_NAME,
  MAX_TTL_SECONDS,
} from "./check";
import { apiClient, type DevinClient } from "./client";
import { createOnce, PartialCreateError } from "./createOnce";
import {
  adoptionMismatchError,
  adoptTargetMissingError,
  DevinApiError,
  DevinNetworkError,
  duplicateServiceUserError,
  neverProvisionedMessage,
  partialCreateMessage,
  UnknownRoleError,
} from "./errors";
import { SCHEMA_VERSION, type Lifecycle } from "./lifecycle";
import { checkReferences } from "./references";
import { neverProvisioned, resolveRole, sameRole } from "./roles";
import { createdThisRun, noteCreated } from "./runCache";
import { run } from "./runState";
import { isOffline } from "./offline";
import { settingsProblem } from "./settings";
import { declaredArguments, defined, differs, isUnknown } from "./values";

export type ApiKeyOnAdopt = "none" | "issue" | "rotate";

/** Plain (resolved) inputs, as they cross the dynamic-provider boundary. The public Input-typed args are in ../serviceUser.ts. */
export interface ServiceUserInputs {
  orgId?: string;
  name: string;
  role: string;
  ttlSeconds?: number;
  /** An existing service user to manage instead of provisioning one; read only at create. */
  adoptId?: string;
  /** What an adopted service user's keys become: untouched (no `apiKey`), one more issued, or rotated. */
  apiKeyOnAdopt?: ApiKeyOnAdopt;
}

export interface ServiceUserOutputs {
  schemaVersion: number;
  serviceUserId: string;
  orgId: string | null;
  name: string;
  role: string;
  roleId: string | null;
  roleName: string | null;
  ttlSeconds: number;
  expiresAt: number | null;
  /** The key this stack holds, or "" when it holds none (adopted with apiKeyOnAdopt "none", or still to be issued). */
  apiKey: string;
  adoptId?: string;
  apiKeyOnAdopt?: ApiKeyOnAdopt;
}

type Adoption = Pick<ServiceUserInputs, "adoptId" | "apiKeyOnAdopt">;

const scopeOf = (orgId: string | null | undefined) => (orgId ? "org" : "enterprise");
/** Why its role is of that level, for the unknown-role message. */
const levelWhy = (orgId: string | null | undefined) => (orgId ? "the service user has an orgId" : "the service user has no orgId");

/** Provisioned in an org: it has no enterprise-level role, and goes when its org goes. */
export const isOrgScoped = (su: ApiServiceUser) => !su.role_assignments.some((a) => a.org_id === null);

/** A service user of this scope: provisioned in the org, or an enterprise one. */
function inScope(su: ApiServiceUser, orgId: string | null): boolean {
  return orgId === null ? !isOrgScoped(su) : isOrgScoped(su) && su.role_assignments.some((a) => a.org_id === orgId);
}

const isLive = (su: ApiServiceUser, now = Math.floor(Date.now() / 1000)) =>
  !su.deleted_at && (su.expires_at === null || su.expires_at > now);

/** Its role in a scope: in an org, or (orgId null) at the enterprise level. */
const liveRole = (su: ApiServiceUser, orgId: string | null) => su.role_assignments.find((a) => a.org_id === orgId)?.role;

/** Where its role in its scope is assigned and changed: its org membership, or its enterprise membership. */
const rolePath = (orgId: string | null, id: string) =>
  orgId ? orgServiceUserRolePaths.orgServiceUserRole(orgId, id) : paths.serviceUser(id);

function toOutputs(
  su: ApiServiceUser,
  orgId: string | null,
  declaredRole: string,
  ttlSeconds: number,
  apiKey: string,
  adoption: Adoption = {},
): ServiceUserOutputs {
  const role = liveRole(su, orgId);
  // The service user's own fields (its id, name and expiry); the rest are the scope's, the state's or the request's.
  const { serviceUserId, name, expiresAt } = fromWire(table.fields, { ...su });
  return defined({
    schemaVersion: SCHEMA_VERSION,
    serviceUserId: serviceUserId as string,
    orgId,
    name: name as string,
    role: declaredRole,
    roleId: role?.role_id ?? null,
    roleName: role?.role_name ?? null,
    ttlSeconds,
    expiresAt: expiresAt as number | null,
    apiKey,
    adoptId: adoption.adoptId,
    apiKeyOnAdopt: adoption.apiKeyOnAdopt,
  });
}

/** Why an existing service user cannot be what the inputs declare: it lives elsewhere, or has another name (there is no rename). */
function adoptionMismatch(su: ApiServiceUser, orgId: string | null, name: string): string | undefined {
  if (!inScope(su, orgId)) return orgId ? `it is not a service user of ${orgId}` : "it is not an enterprise service user";
  if (su.name !== name) return `it is named '${su.name}', and service users cannot be renamed: declare name '${su.name}'`;
  return undefined;
}

/** The live service users with this name in this scope: the natural key the duplicate guard checks. */
async function sameName(client: DevinClient, orgId: string | null, name: string, operation: string): Promise<ApiServiceUser[]> {
  const all = await client.listAll<ApiServiceUser>(orgId ? paths.orgServiceUsers(orgId) : paths.serviceUsers, operation);
  return all.filter((su) => su.name === name && inScope(su, orgId) && isLive(su));
}

/**
 * When a service user was made. It has no created_at, but its first API key has (provisioning issues one); without
 * keys, expires_at minus the TTL we asked for is the best guess, right only for one made with that TTL.
 */
async function madeAt(client: DevinClient, su: ApiServiceUser, ttlSeconds: number, operation: string): Promise<number> {
  const keys = await client.listAll<ApiKey>(
    apiKeyPaths.apiKeys(su.service_user_id),
    `${operation}: list the API keys of ${su.service_user_id}`,
  );
  if (keys.length > 0) return Math.min(...keys.map((k) => k.created_at));
  return su.expires_at === null ? 0 : su.expires_at - ttlSeconds;
}

/** The stack wants a key for it: always, unless it was adopted with its keys left alone. */
const wantsKey = (adoption: Adoption) => !adoption.adoptId || (adoption.apiKeyOnAdopt ?? "none") !== "none";

/**
 * Issues a key for the stack. With "rotate", every other active key is then revoked: after a lost provisioning answer
 * or an interrupted run, those are keys nobody holds. Sending the create twice is harmless for the same reason, so it
 * is retried like a read; with "issue" a lost answer may leave one extra key, which a later rotation revokes.
 */
async function issueKey(client: DevinClient, id: string, mode: "issue" | "rotate", operation: string): Promise<string> {
  const created = await client.call<ApiKeyWithToken>(
    { method: "POST", path: apiKeyPaths.apiKeys(id), body: { name: "pulumi-devin" } },
    { operation: `${operation}: issue an API key for ${id}`, repeatable: true },
  );
  if (mode === "rotate") {
    const active = await client.listAll<ApiKey>(apiKeyPaths.apiKeys(id), `${operation}: list the API keys of ${id}`, { status: "active" });
    for (const key of active.filter((k) => k.api_key_id !== created.body.api_key_id)) {
      await client.call(
        { method: "DELETE", path: apiKeyPaths.apiKey(id, key.api_key_id) },
        { operation: `${operation}: revoke API key ${key.api_key_id} of ${id}, which the stack does not hold`, allow: [404, 409] },
      );
    }
  }
  return created.body.token;
}

/** Gives it the declared role in its scope: assigned when it has none there, changed otherwise. */
async function setRole(
  client: DevinClient,
  id: string,
  orgId: string | null,
  hasRole: boolean,
  role: Role,
  declared: string,
): Promise<ApiServiceUser> {
  const res = await client.call<ApiServiceUser>(
    { method: hasRole ? "PATCH" : "POST", path: rolePath(orgId, id), body: toWire(table.fields, { role: role.role_id }, ["role"]) },
    { operation: `set role of service user ${id} to '${declared}'` },
  );
  return res.body;
}

export const serviceUser: Lifecycle<ServiceUserInputs, ServiceUserOutputs> = {
  async check(_olds, news) {
    const found = failures([
      ["orgId", checkOrgId(news.orgId)],
      ["name", checkName(news.name, MAX_SERVICE_USER_NAME)],
      ["role", checkRole(news.role)],
      ["ttlSeconds", checkTtl(news.ttlSeconds)],
      ["adoptId", checkId("adoptId", news.adoptId, "service-user")],
      ["apiKeyOnAdopt", checkApiKeyOnAdopt(news.apiKeyOnAdopt, news.adoptId)],
      ["", settingsProblem()],
    ]);
    const inputs = declaredArguments<ServiceUserInputs>(table, news, { ttlSeconds: MAX_TTL_SECONDS });
    // An unknown role is bad input too, so it is caught at preview: a read of the role list, never a write. A role the
    // state holds already (same name, same scope) was checked when it was set, so an unchanged program reads nothing.
    const checkedBefore = _olds.role === news.role && scopeOf(_olds.orgId) === scopeOf(news.orgId) && _olds.adoptId === news.adoptId;
    if (found.length === 0 && !isUnknown(news.role) && !checkedBefore && !isOffline()) {
      try {
        const role = await resolveRole(apiClient(), news.role as string, scopeOf(news.orgId), levelWhy(news.orgId));
        // Only provisioning refuses it: an adopted service user gets its role through the membership endpoint.
        if (neverProvisioned(role) && !news.adoptId) found.push({ property: "role", reason: neverProvisionedMessage(role) });
      } catch (e) {
        if (e instanceof UnknownRoleError) found.push({ property: "role", reason: e.message });
        else if (e instanceof DevinApiError || e instanceof DevinNetworkError) found.push({ property: "", reason: e.message });
        else throw e;
      }
    }
    if (found.length === 0) found.push(...(await checkReferences(_olds, news, ["orgId"])));
    return { inputs, failures: found };
  },

  async diff(_id, olds, news) {
    const replaces: string[] = [];
    // There is no rename or TTL endpoint, and a service user cannot move between orgs: these replace.
    if (differs(olds.orgId ?? null, news.orgId ?? null)) replaces.push("orgId");
    if (differs(olds.name, news.name)) replaces.push("name");
    if (differs(olds.ttlSeconds, news.ttlSeconds ?? MAX_TTL_SECONDS)) replaces.push("ttlSeconds");
    const roleChanged = isUnknown(news.role) || !roleMatches(news.role, olds);
    // A create that found the service user but could not issue its key left the key to the next update.
    const keyMissing = !olds.apiKey && wantsKey(olds);
    // Create-before-delete keeps a working key at every moment of a replacement.
    return { changes: replaces.length > 0 || roleChanged || keyMissing, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const client = apiClient();
    const orgId = inputs.orgId ?? null;
    const ttlSeconds = inputs.ttlSeconds ?? MAX_TTL_SECONDS;
    const role = await resolveRole(client, inputs.role, scopeOf(orgId), levelWhy(orgId));
    const operation = `create service user '${inputs.name}'${orgId ? ` in ${orgId}` : ""}`;
    const adoption: Adoption = { adoptId: inputs.adoptId, apiKeyOnAdopt: inputs.adoptId ? (inputs.apiKeyOnAdopt ?? "none") : undefined };
    const outputs = (su: ApiServiceUser, apiKey: string) => toOutputs(su, orgId, inputs.role, ttlSeconds, apiKey, adoption);

    const outs = await createOnce<ApiServiceUser, ServiceUserOutputs>({
      client,
      operation,
      adoptId: inputs.adoptId,
      fetch: async (id) => {
        const live = await client.find<ApiServiceUser>(paths.serviceUser(id), `${operation}: read ${id} to adopt it`);
        if (live === undefined || !isLive(live)) return undefined;
        const problem = adoptionMismatch(live, orgId, inputs.name);
        if (problem) throw adoptionMismatchError(operation, id, problem);
        return live;
      },
      sameKey: () => sameName(client, orgId, inputs.name, operation),
      // An org this run created has nothing left from before the run.
      strays: async () => (orgId && createdThisRun(orgId) ? [] : sameName(client, orgId, inputs.name, operation)),
      idOf: (su) => su.service_user_id,
      madeSince: async (su, startedAt) => (await madeAt(client, su, ttlSeconds, operation)) >= startedAt,
      post: {
        method: "POST",
        path: paths.provisionServiceUser(orgId),
        // The API takes the role by id: the name is resolved first.
        body: toWire(table.fields, { name: inputs.name, role: role.role_id, ttlSeconds }),
      },
      created: (answer) => {
        const { service_user, token } = answer as ProvisionedServiceUser;
        return outputs(service_user, token);
      },
      takeOver: async ({ found, how }) => {
        let su = found;
        try {
          const current = liveRole(su, orgId);
          if (!sameRole(inputs.role, current))
            su = await setRole(client, su.service_user_id, orgId, current !== undefined, role, inputs.role);
          // Found after a lost provisioning answer: its key was lost with the answer, so it is rotated.
          const mode = how === "recovered" ? "rotate" : (adoption.apiKeyOnAdopt ?? "none");
          const apiKey = mode === "none" ? "" : await issueKey(client, su.service_user_id, mode, operation);
          return outputs(su, apiKey);
        } catch (e) {
          const what = how === "recovered" ? "its provisioning answer was lost, and it was found" : "adopted it";
          throw new PartialCreateError(partialCreateMessage(operation, what, su.service_user_id, e, "service user"), su.service_user_id, {
            ...outputs(su, ""),
          });
        }
      },
      refuse: (existing) =>
        duplicateServiceUserError(
          operation,
          orgId,
          existing.map((su) => su.service_user_id),
        ),
      missing: (id) => adoptTargetMissingError(operation, id),
    });
    // Its provisioning role is the stack's own: a role resource for it in the same run takes it over (roleAssignment.ts).
    noteCreated(outs.serviceUserId);
    return { id: outs.serviceUserId, outs };
  },

  async read(id, props) {
    const res = await apiClient().call<ApiServiceUser>(
      { method: "GET", path: paths.serviceUser(id) },
      { operation: `read service user ${id}`, allow: [404] },
    );
    // Deleted or expired: it no longer works, so it is gone from state and the next `up` provisions a new one.
    if (res.status === 404 || !isLive(res.body)) return {};
    const su = res.body;
    // An import (`pulumi import`, through the plugin) reads by id alone, with no state: the service user's own org is
    // the one its role is in (an org service user holds a role in that org only).
    const imported = props?.name === undefined;
    const orgId = imported
      ? isOrgScoped(su)
        ? (su.role_assignments.find((a) => a.org_id !== null)?.org_id ?? null)
        : null
      : (props?.orgId ?? null);
    const live = liveRole(su, orgId);
    const declared = props?.role ?? live?.role_name ?? "";
    // Keep the user's spelling while it still denotes the live role; otherwise show the live role as drift.
    const role = live && !sameRole(declared, live) ? live.role_name : declared;
    // The API never shows the key again, so it is carried over from state.
    const outs = toOutputs(su, orgId, role, props?.ttlSeconds ?? MAX_TTL_SECONDS, props?.apiKey ?? "", {
      adoptId: props?.adoptId,
      apiKeyOnAdopt: props?.apiKeyOnAdopt,
    });
    const inputs = defined({ orgId: orgId ?? undefined, name: su.name, role, ttlSeconds: outs.ttlSeconds });
    return { id, props: outs, inputs: inputs as unknown as ServiceUserOutputs };
  },

  async update(id, olds, news) {
    const client = apiClient();
    const orgId = olds.orgId ?? null;
    const adoption: Adoption = { adoptId: olds.adoptId, apiKeyOnAdopt: olds.apiKeyOnAdopt };
    let su: ApiServiceUser | undefined;
    if (isUnknown(news.role) || !roleMatches(news.role, olds)) {
      // A role removed behind the stack's back is assigned again; an existing one is changed.
      su = await setRole(
        client,
        id,
        orgId,
        olds.roleId !== null,
        await resolveRole(client, news.role, scopeOf(orgId), levelWhy(orgId)),
        news.role,
      );
    }
    let apiKey = olds.apiKey ?? "";
    if (!apiKey && wantsKey(adoption)) apiKey = await issueKey(client, id, "rotate", `update service user ${id}`);
    if (!su)
      su = (await client.call<ApiServiceUser>({ method: "GET", path: paths.serviceUser(id) }, { operation: `read service user ${id}` }))
        .body;
    return { outs: toOutputs(su, orgId, news.role, olds.ttlSeconds, apiKey, adoption) };
  },

  async delete(id) {
    const deleting = apiClient()
      .call({ method: "DELETE", path: paths.serviceUser(id) }, { operation: `delete service user ${id}`, allow: [404] })
      .then(() => undefined);
    // Deleting its org in the same run (where the program gave no dependency) waits for this instead of refusing.
    run.serviceUserDeletions.set(id, deleting);
    try {
      await deleting;
    } catch (e) {
      run.serviceUserDeletions.delete(id);
      throw e;
    }
  },
};

/** Whether the declared role is the one the state holds. */
function roleMatches(declared: string, olds: ServiceUserOutputs): boolean {
  return olds.roleId !== null && olds.roleName !== null && sameRole(declared, { role_id: olds.roleId, role_name: olds.roleName });
}
