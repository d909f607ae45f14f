import type { FastifyInstance, FastifyRequest } from "fastify";
import { hashToken } from "./ids";
import { isAllowed } from "./ipRanges";
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

/**
 * Both forms of an org endpoint under `/organizations`: with the org id, and without it for org-scoped callers, whose
 * org the auth hook fills in from the credential.
 */
export function orgScopedPaths(rest: string): [string, string] {
  return [`/organizations/:org_id${rest}`, `/organizations${rest}`];
}

/** The token of an `Authorization: Bearer <token>` header, whatever its shape; null without one. */
export function bearerToken(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
  return match ? match[1] : null;
}

/** Where a request comes from, and whether the IP access list applies; the control plane overrides both for tests. */
export interface ClientNetwork {
  clientAddress(request: FastifyRequest): string;
  ipAccessListEnforced(): boolean;
}

/** Without the control plane: the socket's address, and the list always applies. */
export const socketNetwork: ClientNetwork = { clientAddress: (request) => request.ip, ipAccessListEnforced: () => true };

/**
 * The IP access list, then authentication, then the route's permission, as one onRequest hook: a caller from outside
 * a non-empty list gets 401 whatever its token, and a caller without a valid credential gets 401 before any permission
 * is looked at. The control plane's hooks (faults, rate limit), installed before this one, run first.
 */
export function installAuth(app: FastifyInstance, emu: Emulator, network: ClientNetwork = socketNetwork): void {
  app.decorateRequest("principal", null);

  app.addHook("onRequest", async (request) => {
    // The control plane is not part of the Devin API and has no authentication (it listens on loopback only).
    if (request.url.startsWith("/_emulator/")) return;

    const ranges = emu.store.state.ipAccessList;
    if (ranges.length > 0 && network.ipAccessListEnforced()) {
      const address = network.clientAddress(request);
      if (!isAllowed(ranges, address)) throw new ApiError(401, `IP address ${address} is not allowed by the enterprise's IP access list`);
    }

    const token = bearerToken(request);
    if (!token || !token.startsWith("cog_")) {
      throw new ApiError(401, "Missing or invalid API key: send 'Authorization: Bearer cog_...'");
    }
    const now = emu.clock.now();
    const key = emu.store.keyByTokenHash(hashToken(token));
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
 * Why a role is granted: provisioning a new service user, or assigning a role to an existing service user, user or
 * IdP group. Only provisioning refuses roles holding ManageAccountServiceUsers (release notes 2026-01-14); assigning the
 * enterprise Admin role to an existing service user is allowed (observed by the Terraform provider's tests).
 */
export type GrantPurpose = "provision" | "assign";

/** What is wrong with naming `roleId` where a role of `type` is needed; null when nothing is. */
export function roleProblem(roleId: string, type: RoleType): string | null {
  const role = findRole(roleId);
  if (!role) return `unknown role_id '${roleId}'; list roles with GET /v3/enterprise/roles`;
  if (role.role_type !== type) return `role '${roleId}' is an ${role.role_type}-level role; this call needs an ${type}-level role`;
  return null;
}

/** A role by id that must be of `type`; otherwise a 422 on `loc`, the field that named it. */
export function roleOfType(roleId: string, type: RoleType, loc: (string | number)[]): RoleDefinition {
  const problem = roleProblem(roleId, type);
  if (problem !== null) throw unprocessable(loc, problem);
  return findRole(roleId) as RoleDefinition;
}

/**
 * The one rule for every grant of a role: the role must exist and be of the right type, and it may hold only
 * permissions the caller holds itself where it is granted. `field` is the body field that names the role.
 */
export function checkGrant(
  principal: Principal,
  roleId: string,
  type: RoleType,
  orgId: string | null,
  purpose: GrantPurpose,
  field = "role_id",
): RoleDefinition {
  const role = roleOfType(roleId, type, ["body", field]);
  if (purpose === "provision" && role.permissions.includes(NEVER_PROVISIONED)) {
    throw new ApiError(403, `Role '${roleId}' holds ${NEVER_PROVISIONED}, which can never be granted through the API`);
  }
  const missing = role.permissions.filter((p) => !holds(principal.serviceUser.role_assignments, p, orgId));
  if (missing.length > 0) {
    throw new ApiError(403, `Cannot grant role '${roleId}': the caller lacks ${missing.join(", ")}`);
  }
  return role;
}
