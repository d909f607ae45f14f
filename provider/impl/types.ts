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
  /** An existing org to manage instead of creating one; read only at create. */
  adoptId?: string;
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
  /** The adopted org, when the program adopted it rather than created it. */
  adoptId?: string;
}

export type ApiKeyOnAdopt = "none" | "issue" | "rotate";

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
