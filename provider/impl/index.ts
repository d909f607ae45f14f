/**
 * The implementation behind the serialized providers. The shims stored in Pulumi state only `require` this module by
 * package name, so `refresh` and `destroy` always run the installed version: it must accept every older state shape
 * (see `schemaVersion`).
 */
export { configure, resolveSettings, normalizeApiUrl, ConfigurationError, DEFAULT_API_URL } from "./settings";
import { forHost } from "./host";
import { organization as organizationLifecycle } from "./organization";
import { serviceUser as serviceUserLifecycle } from "./serviceUser";

export const organization = forHost(organizationLifecycle);
export const serviceUser = forHost(serviceUserLifecycle);
export { DevinClient, DEFAULT_RETRY, parseRetryAfter } from "./client";
export type { RetryPolicy, RequestSpec, CallOptions } from "./client";
export { DevinApiError, DevinNetworkError, permissionFor } from "./errors";
export { resolveRole, listRoles, clearRoleCache, UnknownRoleError } from "./roles";
export type { Role, RoleType } from "./roles";
export * from "./types";
