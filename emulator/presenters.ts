import type { Role, RoleAssignment } from "./permissions";
import {
  isKeyActive,
  type ApiKeyRecord,
  type IdpGroupRecord,
  type IdpRoleAssignment,
  type OrgRecord,
  type ServiceUserRecord,
  type UserRecord,
} from "./store";

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
    role_assignments: presentAssignments(su.role_assignments),
  };
}

function presentAssignments(assignments: readonly RoleAssignment[]) {
  return assignments.map((a) => ({ role: roleRef(a.role), org_id: a.org_id }));
}

function presentIdpAssignments(assignments: readonly IdpRoleAssignment[]) {
  return assignments.map((a) => ({ role: roleRef(a.role), idp_group_name: a.idp_group_name, org_id: a.org_id }));
}

/** `User`: the direct role assignments only. */
export function presentUser(user: UserRecord) {
  return { user_id: user.user_id, email: user.email, name: user.name, role_assignments: presentAssignments(user.role_assignments) };
}

/** `UserWithIdpRoles`: direct assignments plus those inherited from IdP group mappings. */
export function presentUserWithIdpRoles(user: UserRecord, idp: readonly IdpRoleAssignment[]) {
  return { ...presentUser(user), idp_role_assignments: presentIdpAssignments(idp) };
}

/** `IdpGroupUser`: a member through IdP groups, without its direct assignments. */
export function presentIdpGroupUser(user: UserRecord, idp: readonly IdpRoleAssignment[]) {
  return { user_id: user.user_id, email: user.email, name: user.name, idp_role_assignments: presentIdpAssignments(idp) };
}

export function presentIdpGroup(group: IdpGroupRecord) {
  return { idp_group_name: group.idp_group_name, role_assignments: presentAssignments(group.role_assignments) };
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
