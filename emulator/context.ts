import type { FastifyRequest } from "fastify";
import { Clock, hashToken, newId, newToken } from "./ids";
import type { Permission, RoleAssignment } from "./permissions";
import { ApiError } from "./problem";
import type { ApiKeyRecord, OrgRecord, ServiceUserRecord, Store } from "./store";

/** The authenticated caller of an API request. */
export interface Principal {
  serviceUser: ServiceUserRecord;
  apiKey: ApiKeyRecord;
}

/** What every route module is given. */
export interface Emulator {
  store: Store;
  clock: Clock;
  /** `max_session_acu_limit` of an org created without one (the real default is UNKNOWN; see README). */
  defaultMaxSessionAcuLimit: number;
}

/** Per-route options read by the auth hook. */
export interface RouteAccess {
  /** The permission the caller must hold; omitted for self, which every service user may call. */
  permission?: Permission;
}

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError(401, "Missing or invalid API key");
  return request.principal;
}

export function isActive(su: ServiceUserRecord, now: number): boolean {
  return su.deleted_at === null && (su.expires_at === null || su.expires_at > now);
}

export function presentOrg(org: OrgRecord) {
  return {
    org_id: org.org_id,
    name: org.name,
    created_at: org.created_at,
    updated_at: org.updated_at,
    max_session_acu_limit: org.max_session_acu_limit,
    max_cycle_acu_limit: org.max_cycle_acu_limit,
  };
}

export function presentServiceUser(su: ServiceUserRecord) {
  return {
    service_user_id: su.service_user_id,
    name: su.name,
    expires_at: su.expires_at,
    deleted_at: su.deleted_at,
    role_assignments: su.role_assignments.map((a: RoleAssignment) => ({ role: { ...a.role }, org_id: a.org_id })),
  };
}

export function isKeyActive(key: ApiKeyRecord, now: number): boolean {
  return key.revoked_at === null && (key.expires_at === null || key.expires_at > now);
}

export function presentApiKey(key: ApiKeyRecord, now: number) {
  return {
    api_key_id: key.api_key_id,
    api_key_name: key.api_key_name,
    created_at: key.created_at,
    expires_at: key.expires_at,
    is_active: isKeyActive(key, now),
    last_used_at: key.last_used_at,
    revoked_at: key.revoked_at,
  };
}

export function liveOrg(emu: Emulator, orgId: string): OrgRecord {
  const org = emu.store.state.orgs[orgId];
  if (!org || org.deleted_at !== null) throw new ApiError(404, `Organization ${orgId} not found`);
  return org;
}

export function liveServiceUser(emu: Emulator, id: string): ServiceUserRecord {
  const su = emu.store.state.serviceUsers[id];
  if (!su || su.deleted_at !== null) throw new ApiError(404, `Service user ${id} not found`);
  return su;
}

/** Records a mutation with its actor; the audit log is how users (and tests) see who changed what. */
export function audit(
  emu: Emulator,
  principal: Principal,
  action: string,
  orgId: string | null,
  data: Record<string, unknown>,
): void {
  emu.store.state.auditLogs.push({
    audit_log_id: newId("audit-log"),
    action,
    created_at: emu.clock.now(),
    data,
    org_id: orgId,
    service_user_id: principal.serviceUser.service_user_id,
    service_user_name: principal.serviceUser.name,
    user_email: null,
    user_id: null,
    seq: emu.store.nextSeq(),
  });
}

/** Creates an API key for a service user and returns its token, the only time the token exists in clear. */
export function issueApiKey(emu: Emulator, su: ServiceUserRecord, name: string, expiresAt: number | null): { key: ApiKeyRecord; token: string } {
  const token = newToken();
  const key: ApiKeyRecord = {
    api_key_id: newId("api-key"),
    service_user_id: su.service_user_id,
    api_key_name: name,
    token_hash: hashToken(token),
    created_at: emu.clock.now(),
    expires_at: expiresAt,
    revoked_at: null,
    last_used_at: null,
    seq: emu.store.nextSeq(),
  };
  emu.store.state.apiKeys[key.api_key_id] = key;
  return { key, token };
}
