/**
 * The implementation behind the serialized provider. The provider stored in Pulumi state only `require`s this module
 * by package name and calls the methods below, so `refresh` and `destroy` always run the installed version: it must
 * accept every older state shape (see `SCHEMA_VERSION`).
 */
import { isKind } from "../schema";
import type { CheckFailure } from "./check";
import { dispatcher, forHost } from "./host";
import { offline } from "./offline";
import { LIFECYCLES as lifecycles } from "./lifecycles";
import { organization as organizationLifecycle } from "./organization";
import { serviceUser as serviceUserLifecycle } from "./serviceUser";

export const { check, diff, create, read, update, delete: delete_ } = dispatcher(lifecycles);

/**
 * The input rules of a resource's `check`, as the program runs them (provider/resource.ts): the same code as the
 * provider's, on the inputs as the program knows them (unknown values are `UNKNOWN`, as the provider gets them), with
 * no request and no settings. Its failures are a subset of what the provider's check would report.
 */
export async function checkInProgram(kind: string, inputs: Record<string, unknown>): Promise<CheckFailure[]> {
  if (!isKind(kind)) return [];
  const lifecycle = lifecycles[kind];
  const result = await offline(() => lifecycle.check({}, { ...inputs }));
  return result.failures ?? [];
}
export { delete_ as delete };

/** Entry points of the per-type providers that state written before schema 2 holds. */
export const organization = forHost("Organization", organizationLifecycle);
export const serviceUser = forHost("ServiceUser", serviceUserLifecycle);

export { configure, resolveSettings, normalizeApiUrl, DEFAULT_API_URL } from "./settings";
export { DevinClient, DEFAULT_RETRY, parseRetryAfter } from "./client";
export type { RetryPolicy, RequestSpec, CallOptions } from "./client";
export { ConfigurationError, DevinApiError, DevinNetworkError, DevinOutcomeUnknownError, UnknownRoleError } from "./errors";
export { permissionFor } from "./api";
export type { Role, RoleType } from "./api";
export { resolveRole, listRoles } from "./roles";
export { SCHEMA_VERSION } from "./lifecycle";
export type { OrganizationInputs, OrganizationOutputs } from "./organization";
export type { ServiceUserInputs, ServiceUserOutputs } from "./serviceUser";
