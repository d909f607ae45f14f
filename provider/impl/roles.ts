import { createHash } from "node:crypto";
import type { DevinClient } from "./client";

export type RoleType = "enterprise" | "org";

export interface Role {
  role_id: string;
  role_name: string;
  role_type: RoleType;
}

/** Roles rarely change, and every ServiceUser needs them: one lookup per process and enterprise. */
const cache = new Map<string, Promise<Role[]>>();

export function listRoles(client: DevinClient): Promise<Role[]> {
  const key = `${client.settings.baseUrl} ${createHash("sha256").update(client.settings.token).digest("hex")}`;
  let roles = cache.get(key);
  if (!roles) {
    roles = client.listAll<Role>("/v3/enterprise/roles", "list roles");
    cache.set(key, roles);
    roles.catch(() => cache.delete(key));
  }
  return roles;
}

/** The user named a role that does not exist at that level; the message lists the valid ones. */
export class UnknownRoleError extends Error {}

/**
 * A role name (case-insensitive) or id, looked up among roles of the given type only: an org service user needs an
 * org role, an enterprise service user an enterprise role.
 */
export async function resolveRole(client: DevinClient, role: string, type: RoleType): Promise<Role> {
  const candidates = (await listRoles(client)).filter((r) => r.role_type === type);
  const wanted = role.trim().toLowerCase();
  const found = candidates.find((r) => r.role_id === role) ?? candidates.find((r) => r.role_name.toLowerCase() === wanted);
  if (found) return found;
  const names = [...new Set(candidates.map((r) => r.role_name))].join(", ");
  const ids = candidates.map((r) => r.role_id).join(", ");
  const where = type === "org" ? "an org-level role (the service user has an orgId)" : "an enterprise-level role (the service user has no orgId)";
  throw new UnknownRoleError(
    `role '${role}' is not ${where} of this Devin enterprise. Valid ${type}-level roles: ${names} (ids: ${ids}).`,
  );
}

/**
 * The API never grants ManageAccountServiceUsers when provisioning (release notes 2026-01-14). Which roles hold it is
 * not part of the role objects the API returns; of the built-in roles, the enterprise Admin does.
 */
export function neverProvisioned(role: Role): boolean {
  return role.role_type === "enterprise" && (role.role_id === "account_admin" || role.role_name.toLowerCase() === "admin");
}

export function clearRoleCache(): void {
  cache.clear();
}
