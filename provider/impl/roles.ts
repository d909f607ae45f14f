import { createHash } from "node:crypto";
import { paths, type Role, type RoleType } from "./api";
import type { DevinClient } from "./client";
import { unknownRoleError } from "./errors";
import { sharedRead } from "./sharedRead";

/**
 * Roles rarely change, and every ServiceUser needs them: one lookup per process and enterprise. Per process, not per
 * run (runState.ts), on purpose: a new run need not list them again.
 */
const cache = new Map<string, Promise<Role[]>>();

export function listRoles(client: DevinClient): Promise<Role[]> {
  const key = `${client.settings.baseUrl} ${createHash("sha256").update(client.settings.token).digest("hex")}`;
  return sharedRead(cache, key, () => client.listAll<Role>(paths.roles, "list roles"));
}

/**
 * A role name (case-insensitive) or id, looked up among roles of the given type only: an org service user needs an
 * org role, an enterprise service user an enterprise role.
 */
export async function resolveRole(client: DevinClient, role: string, type: RoleType, why?: string): Promise<Role> {
  const candidates = (await listRoles(client)).filter((r) => r.role_type === type);
  const wanted = role.trim().toLowerCase();
  const found = candidates.find((r) => r.role_id === role) ?? candidates.find((r) => r.role_name.toLowerCase() === wanted);
  if (found) return found;
  throw unknownRoleError(role, type, candidates, why);
}

/** A declared role ("member", "Member" or "org_member") denotes a live role if it is its id or its name. */
export function sameRole(declared: string, live: { role_id: string; role_name: string } | undefined | null): boolean {
  if (!live) return false;
  return declared === live.role_id || declared.trim().toLowerCase() === live.role_name.toLowerCase();
}

/**
 * The API never grants ManageAccountServiceUsers when provisioning (release notes 2026-01-14). Which roles hold it is
 * not part of the role objects the API returns; of the built-in roles, the enterprise Admin does.
 */
export function neverProvisioned(role: Role): boolean {
  return role.role_type === "enterprise" && (role.role_id === "account_admin" || role.role_name.toLowerCase() === "admin");
}

/** For tests that count the role lookup, which is otherwise made once per process. */
export function clearRoleCache(): void {
  cache.clear();
}
