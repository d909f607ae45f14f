import type { FastifyInstance, FastifyRequest } from "fastify";
import { hashToken } from "./ids";
import { findRole, holds, NEVER_PROVISIONED, type Permission, type RoleDefinition, type RoleType } from "./permissions";
import { ApiError, unprocessable } from "./problem";
import { isActive, isKeyActive, type Emulator, type Principal } from "./store";

export type { Principal };

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

/** The token of an `Authorization: Bearer <token>` header, whatever its shape; null without one. */
export function bearerToken(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  return match ? match[1] : null;
}

/**
 * Authentication, then the route's permission, as one onRequest hook: a caller without a valid credential gets 401
 * before any permission is looked at. The control plane's hooks, installed before this one, run first.
 */
export function installAuth(app: FastifyInstance, emu: Emulator): void {
  app.decorateRequest("principal", null);

  app.addHook("onRequest", async (request) => {
    // The control plane is not part of the Devin API and has no authentication (it listens on loopback only).
    if (request.url.startsWith("/_emulator/")) return;

    const token = bearerToken(request);
    if (!token || !token.startsWith("cog_")) {
      throw new ApiError(401, "Missing or invalid API key: send 'Authorization: Bearer cog_...'");
    }
    const now = emu.clock.now();
    const hash = hashToken(token);
    const key = Object.values(emu.store.state.apiKeys).find((k) => k.token_hash === hash);
    const su = key ? emu.store.state.serviceUsers[key.service_user_id] : undefined;
    if (!key || !su || !isKeyActive(key, now) || !isActive(su, now)) {
      throw new ApiError(401, "Missing or invalid API key: the key is unknown, revoked or expired");
    }
    key.last_used_at = now;
    request.principal = { serviceUser: su, apiKey: key };

    const permission = request.routeOptions.config.access?.permission;
    if (!permission) return;
    const params = request.params as { org_id?: string };
    const orgOnlyPath = /^\/v3(beta1)?\/organizations\//.test(request.url);
    if (orgOnlyPath && params.org_id === undefined) {
      // Org-scoped callers may omit the org id; it comes from their credential.
      params.org_id = su.home_org_id ?? undefined;
      if (!params.org_id)
        throw new ApiError(422, "org_id is required for an enterprise-scoped credential", [
          { loc: ["path", "org_id"], msg: "required", type: "missing" },
        ]);
    }
    if (!holds(su.role_assignments, permission, params.org_id ?? null)) {
      const where = params.org_id && orgOnlyPath ? ` in ${params.org_id}` : "";
      throw new ApiError(403, `Insufficient permissions: this call needs ${permission}${where}`);
    }
  });
}

/**
 * The one rule for every grant of a role (provisioning or assignment): the role must exist and be of the right type,
 * it may hold only permissions the caller holds itself where it is granted, and never ManageAccountServiceUsers.
 */
export function checkGrant(principal: Principal, roleId: string, type: RoleType, orgId: string | null): RoleDefinition {
  const role = findRole(roleId);
  if (!role) {
    throw unprocessable(["body", "role_id"], `unknown role_id '${roleId}'; list roles with GET /v3/enterprise/roles`);
  }
  if (role.role_type !== type) {
    throw unprocessable(["body", "role_id"], `role '${roleId}' is an ${role.role_type}-level role; this call needs an ${type}-level role`);
  }
  if (role.permissions.includes(NEVER_PROVISIONED)) {
    throw new ApiError(403, `Role '${roleId}' holds ${NEVER_PROVISIONED}, which can never be granted through the API`);
  }
  const missing = role.permissions.filter((p) => !holds(principal.serviceUser.role_assignments, p, orgId));
  if (missing.length > 0) {
    throw new ApiError(403, `Cannot grant role '${roleId}': the caller lacks ${missing.join(", ")}`);
  }
  return role;
}
