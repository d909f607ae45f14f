/** Plain (resolved) shapes that cross the dynamic-provider boundary. Public Input-typed args live with each resource. */

/**
 * 2: Organization outputs carry `unmanaged`, the optional inputs the program leaves out, so a refresh does not report
 * them as drift. The implementation reads every older shape (delete and refresh run the installed code on old state).
 */
export const SCHEMA_VERSION = 2;

export interface OrganizationInputs {
  name: string;
  acuLimit?: number | null;
  maxSessionAcuLimit?: number | null;
}

export interface OrganizationOutputs {
  schemaVersion: number;
  orgId: string;
  name: string;
  acuLimit: number | null;
  maxSessionAcuLimit: number | null;
  createdAt: number;
  updatedAt: number;
  /** Optional inputs the program does not declare: their live values are outputs only, never drift. Absent before schema 2. */
  unmanaged?: "maxSessionAcuLimit"[];
}

export interface ServiceUserInputs {
  orgId?: string;
  name: string;
  role: string;
  ttlSeconds?: number;
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
  apiKey: string;
}

/** API shapes (CONTRACT.md sections 5.1 and 5.2). */
export interface ApiOrganization {
  org_id: string;
  name: string;
  created_at: number;
  updated_at: number;
  max_session_acu_limit: number | null;
  max_cycle_acu_limit: number | null;
}

export interface ApiServiceUser {
  service_user_id: string;
  name: string;
  expires_at: number | null;
  deleted_at?: number | null;
  role_assignments: { role: { role_id: string; role_name: string; role_type: string }; org_id: string | null }[];
}
