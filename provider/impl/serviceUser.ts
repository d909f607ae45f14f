import type * as dynamic from "@pulumi/pulumi/dynamic";
import { DevinClient } from "./client";
import { createOnce, PartialCreateError } from "./createOnce";
import { adoptTargetMissingError, DevinApiError, DevinNetworkError, duplicateServiceUserError, neverProvisionedMessage } from "./errors";
import { neverProvisioned, resolveRole, UnknownRoleError, type Role } from "./roles";
import { resolveSettings, settingsProblem } from "./settings";
import { SCHEMA_VERSION, type ApiServiceUser, type ServiceUserInputs, type ServiceUserOutputs } from "./types";
import { checkApiKeyOnAdopt, checkId, checkName, checkOrgId, checkRole, checkTtl, defined, differs, failures, isUnknown, MAX_SERVICE_USER_NAME, MAX_TTL_SECONDS } from "./validate";

/**
 * Service-user deletions this process has started, so that deleting their org in the same run (where the program gave
 * no dependency) waits for them instead of refusing. A settled entry means the service user is gone.
 */
export const deletionsInFlight = new Map<string, Promise<void>>();

/** Provisioning (which returns the token) is served only under /v3beta1. */
const provisionPath = (orgId: string | null) =>
  orgId ? `/v3beta1/organizations/${encodeURIComponent(orgId)}/service-users` : "/v3beta1/enterprise/service-users";
const userPath = (id: string) => `/v3/enterprise/members/service-users/${encodeURIComponent(id)}`;
/** Where the service user's role for its scope is changed: its org membership, or its enterprise membership. */
const rolePath = (orgId: string | null, id: string) =>
  orgId ? `/v3/enterprise/organizations/${encodeURIComponent(orgId)}/members/service-users/${encodeURIComponent(id)}` : userPath(id);

const scopeOf = (orgId: string | null | undefined) => (orgId ? "org" : "enterprise");

/** Why an existing service user cannot be what the inputs declare: it lives elsewhere, or has another name (there is no rename). */
function adoptionMismatch(su: ApiServiceUser, orgId: string | null, name: string): string | undefined {
  if (!inScope(su, orgId)) return orgId ? `it is not a service user of ${orgId}` : "it is not an enterprise service user";
  if (su.name !== name) return `it is named '${su.name}', and service users cannot be renamed: declare name '${su.name}'`;
  return undefined;
}

function liveRole(su: ApiServiceUser, orgId: string | null) {
  return su.role_assignments.find((a) => a.org_id === orgId)?.role;
}

/** A declared role ("member", "Member" or "org_member") denotes the live role if it is its id or its name. */
function sameRole(declared: string, roleId: string | null, roleName: string | null): boolean {
  return declared === roleId || (roleName !== null && declared.trim().toLowerCase() === roleName.toLowerCase());
}

function toOutputs(
  su: ApiServiceUser,
  orgId: string | null,
  declaredRole: string,
  ttlSeconds: number,
  apiKey: string,
  adoption: Pick<ServiceUserInputs, "adoptId" | "apiKeyOnAdopt"> = {},
): ServiceUserOutputs {
  const role = liveRole(su, orgId);
  return defined({
    schemaVersion: SCHEMA_VERSION,
    serviceUserId: su.service_user_id,
    orgId,
    name: su.name,
    role: declaredRole,
    roleId: role?.role_id ?? null,
    roleName: role?.role_name ?? null,
    ttlSeconds,
    expiresAt: su.expires_at ?? null,
    apiKey,
    adoptId: adoption.adoptId,
    apiKeyOnAdopt: adoption.apiKeyOnAdopt,
  });
}

/** A service user of this scope: provisioned in the org (no enterprise role), or an enterprise one. */
function inScope(su: ApiServiceUser, orgId: string | null): boolean {
  const enterprise = su.role_assignments.some((a) => a.org_id === null);
  return orgId === null ? enterprise : !enterprise && su.role_assignments.some((a) => a.org_id === orgId);
}

const isLive = (su: ApiServiceUser, now = Math.floor(Date.now() / 1000)) => !su.deleted_at && (su.expires_at === null || su.expires_at > now);

/** The live service users with this name in this scope: the natural key the duplicate guard checks. */
async function sameName(client: DevinClient, orgId: string | null, name: string, operation: string): Promise<ApiServiceUser[]> {
  const path = orgId ? `/v3/enterprise/organizations/${encodeURIComponent(orgId)}/members/service-users` : "/v3/enterprise/members/service-users";
  return (await client.listAll<ApiServiceUser>(path, operation)).filter((su) => su.name === name && inScope(su, orgId) && isLive(su));
}

/**
 * When a service user was made. It has no created_at, but its first API key has (provisioning issues one); without
 * keys, expires_at minus the TTL we asked for is the best guess, right only for one made with that TTL.
 */
async function madeAt(client: DevinClient, su: ApiServiceUser, ttlSeconds: number, operation: string): Promise<number> {
  const keys = await client.listAll<{ created_at: number }>(keysPath(su.service_user_id), `${operation}: list the API keys of ${su.service_user_id}`);
  if (keys.length > 0) return Math.min(...keys.map((k) => k.created_at));
  return su.expires_at === null ? 0 : su.expires_at - ttlSeconds;
}

/** A key the stack holds wants this service user to have one: always, unless it was adopted with its keys left alone. */
const wantsKey = (adoption: Pick<ServiceUserInputs, "adoptId" | "apiKeyOnAdopt">) => !adoption.adoptId || (adoption.apiKeyOnAdopt ?? "none") !== "none";

const keysPath = (id: string) => `/v3beta1/enterprise/service-users/${encodeURIComponent(id)}/api-keys`;

/**
 * Issues a key for the stack. With "rotate", every other active key is then revoked: after a lost provisioning answer
 * or an interrupted run, those are keys nobody holds. Sending the create twice is harmless for the same reason, so it
 * is retried like a read; with "issue" a lost answer may leave one extra key, which a later rotation revokes.
 */
async function issueKey(client: DevinClient, id: string, mode: "issue" | "rotate", operation: string): Promise<string> {
  const created = await client.call<{ api_key_id: string; token: string }>(
    { method: "POST", path: keysPath(id), body: { name: "pulumi-devin" } },
    { operation: `${operation}: issue an API key for ${id}`, repeatable: true },
  );
  if (mode === "rotate") {
    const active = await client.listAll<{ api_key_id: string }>(keysPath(id), `${operation}: list the API keys of ${id}`, { status: "active" });
    for (const key of active.filter((k) => k.api_key_id !== created.body.api_key_id)) {
      await client.call(
        { method: "DELETE", path: `${keysPath(id)}/${encodeURIComponent(key.api_key_id)}` },
        { operation: `${operation}: revoke API key ${key.api_key_id} of ${id}, which the stack does not hold`, allow: [404, 409] },
      );
    }
  }
  return created.body.token;
}

/** Gives the service user its declared role in its scope: assigned when it has none there, changed otherwise. */
async function setRole(client: DevinClient, su: ApiServiceUser, orgId: string | null, role: Role, declared: string): Promise<ApiServiceUser> {
  const res = await client.call<ApiServiceUser>(
    { method: liveRole(su, orgId) ? "PATCH" : "POST", path: rolePath(orgId, su.service_user_id), body: { role_id: role.role_id } },
    { operation: `set role of service user ${su.service_user_id} to '${declared}'` },
  );
  return res.body;
}

export const serviceUser = {
  async check(_olds: Partial<ServiceUserInputs>, news: Partial<ServiceUserInputs>): Promise<dynamic.CheckResult<ServiceUserInputs>> {
    const found = failures([
      ["orgId", checkOrgId(news.orgId)],
      ["name", checkName(news.name, MAX_SERVICE_USER_NAME)],
      ["role", checkRole(news.role)],
      ["ttlSeconds", checkTtl(news.ttlSeconds)],
      ["adoptId", checkId("adoptId", news.adoptId, "service-user")],
      ["apiKeyOnAdopt", checkApiKeyOnAdopt(news.apiKeyOnAdopt, news.adoptId)],
    ]);
    const inputs = defined({
      orgId: news.orgId ?? undefined,
      name: news.name as string,
      role: news.role as string,
      ttlSeconds: news.ttlSeconds ?? MAX_TTL_SECONDS,
      adoptId: news.adoptId ?? undefined,
      apiKeyOnAdopt: news.apiKeyOnAdopt ?? undefined,
    });
    const settings = settingsProblem();
    if (settings) found.push({ property: "", reason: settings });
    // An unknown role is bad input too, so it is caught at preview: a read of the role list, never a write.
    if (found.length === 0 && !isUnknown(news.role)) {
      try {
        const role = await resolveRole(new DevinClient(resolveSettings()), news.role as string, scopeOf(news.orgId));
        // Only provisioning refuses it: an adopted service user gets its role through the membership endpoint.
        if (neverProvisioned(role) && !news.adoptId) found.push({ property: "role", reason: neverProvisionedMessage(role) });
      } catch (e) {
        if (e instanceof UnknownRoleError) found.push({ property: "role", reason: e.message });
        else if (e instanceof DevinApiError || e instanceof DevinNetworkError) found.push({ property: "", reason: e.message });
        else throw e;
      }
    }
    return { inputs, failures: found };
  },

  async diff(_id: string, olds: ServiceUserOutputs, news: ServiceUserInputs): Promise<dynamic.DiffResult> {
    const replaces: string[] = [];
    // There is no rename or TTL endpoint, and a service user cannot move between orgs: these replace.
    if (differs(olds.orgId ?? null, news.orgId ?? null)) replaces.push("orgId");
    if (differs(olds.name, news.name)) replaces.push("name");
    if (differs(olds.ttlSeconds, news.ttlSeconds ?? MAX_TTL_SECONDS)) replaces.push("ttlSeconds");
    const roleChanged = isUnknown(news.role) || !sameRole(news.role, olds.roleId, olds.roleName);
    // A create that found the service user but could not issue its key left the key to the next update.
    const keyMissing = !olds.apiKey && wantsKey(olds);
    // Create-before-delete keeps a working key at every moment of a replacement.
    return { changes: replaces.length > 0 || roleChanged || keyMissing, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: ServiceUserInputs): Promise<dynamic.CreateResult<ServiceUserOutputs>> {
    const client = new DevinClient(resolveSettings());
    const orgId = inputs.orgId ?? null;
    const ttlSeconds = inputs.ttlSeconds ?? MAX_TTL_SECONDS;
    const role: Role = await resolveRole(client, inputs.role, scopeOf(orgId));
    const operation = `create service user '${inputs.name}'${orgId ? ` in ${orgId}` : ""}`;
    const adoption = { adoptId: inputs.adoptId, apiKeyOnAdopt: inputs.adoptId ? (inputs.apiKeyOnAdopt ?? "none") : undefined };
    const outputs = (su: ApiServiceUser, apiKey: string) => toOutputs(su, orgId, inputs.role, ttlSeconds, apiKey, adoption);

    const outs = await createOnce<ApiServiceUser, ServiceUserOutputs>({
      client,
      operation,
      adoptId: inputs.adoptId,
      fetch: async (id) => {
        const res = await client.call<ApiServiceUser>({ method: "GET", path: userPath(id) }, { operation: `${operation}: read ${id} to adopt it`, allow: [404] });
        if (res.status === 404 || !isLive(res.body)) return undefined;
        const problem = adoptionMismatch(res.body, orgId, inputs.name);
        if (problem) throw new Error(`${operation} failed: cannot adopt ${id}: ${problem}`);
        return res.body;
      },
      sameKey: () => sameName(client, orgId, inputs.name, operation),
      idOf: (su) => su.service_user_id,
      madeSince: async (su, startedAt) => (await madeAt(client, su, ttlSeconds, operation)) >= startedAt,
      post: { method: "POST", path: provisionPath(orgId), body: { name: inputs.name, role_id: role.role_id, ttl_seconds: ttlSeconds } },
      created: (answer) => {
        const { service_user, token } = answer as { service_user: ApiServiceUser; token: string };
        return outputs(service_user, token);
      },
      takeOver: async ({ found, how }) => {
        let su = found;
        try {
          if (!sameRole(inputs.role, liveRole(su, orgId)?.role_id ?? null, liveRole(su, orgId)?.role_name ?? null)) {
            su = await setRole(client, su, orgId, role, inputs.role);
          }
          // Found after a lost provisioning answer: its key was lost with the answer, so it is rotated.
          const mode = how === "recovered" ? "rotate" : (adoption.apiKeyOnAdopt ?? "none");
          const apiKey = mode === "none" ? "" : await issueKey(client, su.service_user_id, mode, operation);
          return outputs(su, apiKey);
        } catch (e) {
          throw new PartialCreateError(
            `${operation}: ${how === "recovered" ? "its provisioning answer was lost, and it was found" : "adopted it"} ` +
              `(${su.service_user_id}), but finishing it failed: ${(e as Error).message} The stack now holds it: run ` +
              "'pulumi up' again to finish (no second service user is made).",
            su.service_user_id,
            { ...outputs(su, "") },
          );
        }
      },
      refuse: (existing) => duplicateServiceUserError(operation, orgId, existing.map((su) => su.service_user_id)),
      missing: (id) => adoptTargetMissingError(operation, id),
    });
    return { id: outs.serviceUserId, outs };
  },

  async read(id: string, props?: ServiceUserOutputs): Promise<dynamic.ReadResult<ServiceUserOutputs>> {
    const client = new DevinClient(resolveSettings());
    const res = await client.call<ApiServiceUser>({ method: "GET", path: userPath(id) }, { operation: `read service user ${id}`, allow: [404] });
    const su = res.body;
    const now = Math.floor(Date.now() / 1000);
    // Deleted or expired: it no longer works, so it is gone from state and the next `up` provisions a new one.
    if (res.status === 404 || su.deleted_at || (su.expires_at !== null && su.expires_at <= now)) return {};

    const orgId = props?.orgId ?? null;
    const live = liveRole(su, orgId);
    const declared = props?.role ?? live?.role_name ?? "";
    // Keep the user's spelling while it still denotes the live role; otherwise show the live role as drift.
    const role = live && !sameRole(declared, live.role_id, live.role_name) ? live.role_name : declared;
    // The API never shows the key again, so it is carried over from state.
    const outs = toOutputs(su, orgId, role, props?.ttlSeconds ?? MAX_TTL_SECONDS, props?.apiKey ?? "", {
      adoptId: props?.adoptId,
      apiKeyOnAdopt: props?.apiKeyOnAdopt,
    });
    const inputs = defined({ orgId: orgId ?? undefined, name: su.name, role, ttlSeconds: outs.ttlSeconds });
    return { id, props: outs, inputs: inputs as unknown as ServiceUserOutputs };
  },

  async update(id: string, olds: ServiceUserOutputs, news: ServiceUserInputs): Promise<dynamic.UpdateResult<ServiceUserOutputs>> {
    const client = new DevinClient(resolveSettings());
    const orgId = olds.orgId ?? null;
    const operation = `update service user ${id}`;
    const adoption = { adoptId: olds.adoptId, apiKeyOnAdopt: olds.apiKeyOnAdopt };
    let su: ApiServiceUser | undefined;
    if (isUnknown(news.role) || !sameRole(news.role, olds.roleId, olds.roleName)) {
      const role = await resolveRole(client, news.role, scopeOf(orgId));
      // A role removed behind the stack's back is assigned again; an existing one is changed.
      const res = await client.call<ApiServiceUser>(
        { method: olds.roleId ? "PATCH" : "POST", path: rolePath(orgId, id), body: { role_id: role.role_id } },
        { operation: `set role of service user ${id} to '${news.role}'` },
      );
      su = res.body;
    }
    let apiKey = olds.apiKey ?? "";
    if (!apiKey && wantsKey(adoption)) apiKey = await issueKey(client, id, "rotate", operation);
    if (!su) su = (await client.call<ApiServiceUser>({ method: "GET", path: userPath(id) }, { operation })).body;
    return { outs: toOutputs(su, orgId, news.role, olds.ttlSeconds, apiKey, adoption) };
  },

  async delete(id: string): Promise<void> {
    const client = new DevinClient(resolveSettings());
    const deleting = client.call({ method: "DELETE", path: userPath(id) }, { operation: `delete service user ${id}`, allow: [404] }).then(() => undefined);
    deletionsInFlight.set(id, deleting);
    try {
      await deleting;
    } catch (e) {
      deletionsInFlight.delete(id);
      throw e;
    }
  },
};
