import type { Role } from "./permissions";
import { isKeyActive, type ApiKeyRecord, type OrgRecord, type ServiceUserRecord } from "./store";

/** The `{role_id, role_name, role_type}` reference that role assignments store and the API shows. */
export function roleRef({ role_id, role_name, role_type }: Role): Role {
  return { role_id, role_name, role_type };
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
    role_assignments: su.role_assignments.map((a) => ({ role: roleRef(a.role), org_id: a.org_id })),
  };
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
