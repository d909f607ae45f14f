import type * as dynamic from "@pulumi/pulumi/dynamic";
import { DevinClient } from "./client";
import { DevinApiError, DevinNetworkError, neverProvisionedMessage } from "./errors";
import { neverProvisioned, resolveRole, UnknownRoleError, type Role } from "./roles";
import { resolveSettings, settingsProblem } from "./settings";
import { SCHEMA_VERSION, type ApiServiceUser, type ServiceUserInputs, type ServiceUserOutputs } from "./types";
import { checkName, checkOrgId, checkRole, checkTtl, defined, differs, failures, isUnknown, MAX_SERVICE_USER_NAME, MAX_TTL_SECONDS } from "./validate";

const CLOCK_SKEW_SECONDS = 120;

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

function liveRole(su: ApiServiceUser, orgId: string | null) {
  return su.role_assignments.find((a) => a.org_id === orgId)?.role;
}

/** A declared role ("member", "Member" or "org_member") denotes the live role if it is its id or its name. */
function sameRole(declared: string, roleId: string | null, roleName: string | null): boolean {
  return declared === roleId || (roleName !== null && declared.trim().toLowerCase() === roleName.toLowerCase());
}

function toOutputs(su: ApiServiceUser, orgId: string | null, declaredRole: string, ttlSeconds: number, apiKey: string): ServiceUserOutputs {
  const role = liveRole(su, orgId);
  return {
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
  };
}

async function listCandidates(client: DevinClient, orgId: string | null, operation: string): Promise<ApiServiceUser[]> {
  const path = orgId ? `/v3/enterprise/organizations/${encodeURIComponent(orgId)}/members/service-users` : "/v3/enterprise/members/service-users";
  return client.listAll<ApiServiceUser>(path, operation);
}

export const serviceUser = {
  async check(_olds: Partial<ServiceUserInputs>, news: Partial<ServiceUserInputs>): Promise<dynamic.CheckResult<ServiceUserInputs>> {
    const found = failures([
      ["orgId", checkOrgId(news.orgId)],
      ["name", checkName(news.name, MAX_SERVICE_USER_NAME)],
      ["role", checkRole(news.role)],
      ["ttlSeconds", checkTtl(news.ttlSeconds)],
    ]);
    const inputs = defined({
      orgId: news.orgId ?? undefined,
      name: news.name as string,
      role: news.role as string,
      ttlSeconds: news.ttlSeconds ?? MAX_TTL_SECONDS,
    });
    const settings = settingsProblem();
    if (settings) found.push({ property: "", reason: settings });
    // An unknown role is bad input too, so it is caught at preview: a read of the role list, never a write.
    if (found.length === 0 && !isUnknown(news.role)) {
      try {
        const role = await resolveRole(new DevinClient(resolveSettings()), news.role as string, scopeOf(news.orgId));
        if (neverProvisioned(role)) found.push({ property: "role", reason: neverProvisionedMessage(role) });
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
    // Create-before-delete keeps a working key at every moment of a replacement.
    return { changes: replaces.length > 0 || roleChanged, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: ServiceUserInputs): Promise<dynamic.CreateResult<ServiceUserOutputs>> {
    const client = new DevinClient(resolveSettings());
    const orgId = inputs.orgId ?? null;
    const ttlSeconds = inputs.ttlSeconds ?? MAX_TTL_SECONDS;
    const role: Role = await resolveRole(client, inputs.role, scopeOf(orgId));
    const operation = `create service user '${inputs.name}'${orgId ? ` in ${orgId}` : ""}`;
    const startedAt = Math.floor(Date.now() / 1000);

    const res = await client.call<{ service_user: ApiServiceUser; token: string }>(
      { method: "POST", path: provisionPath(orgId), body: { name: inputs.name, role_id: role.role_id, ttl_seconds: ttlSeconds } },
      {
        operation,
        // A service user has no created_at, but expires_at - ttl_seconds is when it was made. One with our name made
        // since we sent the request is ours. Its token was lost with the response, so it gets a fresh key.
        reconcile: async () => {
          const mine = (await listCandidates(client, orgId, operation)).find(
            (su) => su.name === inputs.name && su.expires_at !== null && su.expires_at - ttlSeconds >= startedAt - CLOCK_SKEW_SECONDS,
          );
          if (!mine) return undefined;
          const key = await client.call<{ token: string }>(
            {
              method: "POST",
              path: `/v3beta1/enterprise/service-users/${encodeURIComponent(mine.service_user_id)}/api-keys`,
              body: { name: "pulumi-devin" },
            },
            { operation: `${operation}: issue a key for ${mine.service_user_id}, whose provisioning response was lost` },
          );
          return { service_user: mine, token: key.body.token };
        },
      },
    );
    const outs = toOutputs(res.body.service_user, orgId, inputs.role, ttlSeconds, res.body.token);
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
    const outs = toOutputs(su, orgId, role, props?.ttlSeconds ?? MAX_TTL_SECONDS, props?.apiKey ?? "");
    const inputs = defined({ orgId: orgId ?? undefined, name: su.name, role, ttlSeconds: outs.ttlSeconds });
    return { id, props: outs, inputs: inputs as unknown as ServiceUserOutputs };
  },

  async update(id: string, olds: ServiceUserOutputs, news: ServiceUserInputs): Promise<dynamic.UpdateResult<ServiceUserOutputs>> {
    const client = new DevinClient(resolveSettings());
    const orgId = olds.orgId ?? null;
    const role = await resolveRole(client, news.role, scopeOf(orgId));
    // A role removed behind the stack's back is assigned again; an existing one is changed.
    const res = await client.call<ApiServiceUser>(
      { method: olds.roleId ? "PATCH" : "POST", path: rolePath(orgId, id), body: { role_id: role.role_id } },
      { operation: `set role of service user ${id} to '${news.role}'` },
    );
    return { outs: toOutputs(res.body, orgId, news.role, olds.ttlSeconds, olds.apiKey) };
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
