import * as pulumi from "@pulumi/pulumi";
import { organizationFromApi, paths, type ApiOrganization, type ApiServiceUser, type OrganizationFields } from "./impl/api";
import { apiClient, type DevinClient } from "./impl/client";
import { lookupByNameError } from "./impl/errors";
import { listRoles } from "./impl/roles";

/** Where a lookup gets its credentials; by default the stack config `devin:token`/`devin:apiUrl`, then the environment. */
export interface LookupOptions {
  token?: string;
  apiUrl?: string;
}

/** An organization as the API shows it: `orgId`, `name`, `acuLimit`, `maxSessionAcuLimit`, `createdAt`, `updatedAt`. */
export type OrganizationInfo = OrganizationFields;

export interface RoleInfo {
  roleId: string;
  roleName: string;
  roleType: "enterprise" | "org";
}

export interface ServiceUserInfo {
  serviceUserId: string;
  name: string;
  expiresAt: number | null;
  roles: { roleId: string; roleName: string; orgId: string | null }[];
}

function client(options: LookupOptions): DevinClient {
  return apiClient({
    token: options.token ?? pulumi.runtime.getConfig("devin:token"),
    apiUrl: options.apiUrl ?? pulumi.runtime.getConfig("devin:apiUrl"),
  });
}

/**
 * Looks up an existing organization by id, or by name (which must then be unique).
 *
 * @example
 * const legacy = await devin.getOrganization({ name: "Legacy" });
 */
export async function getOrganization(args: { orgId: string } | { name: string }, options: LookupOptions = {}): Promise<OrganizationInfo> {
  const api = client(options);
  if ("orgId" in args) {
    const res = await api.call<ApiOrganization>(
      { method: "GET", path: paths.organization(args.orgId) },
      { operation: `look up organization ${args.orgId}` },
    );
    return organizationFromApi(res.body);
  }
  const operation = `look up organization '${args.name}'`;
  const matches = (await api.listAll<ApiOrganization>(paths.organizations, operation)).filter((o) => o.name === args.name);
  if (matches.length !== 1)
    throw lookupByNameError(
      operation,
      matches.map((o) => o.org_id),
      "orgId",
    );
  return organizationFromApi(matches[0]);
}

/** Lists every organization of the enterprise. */
export async function getOrganizations(options: LookupOptions = {}): Promise<OrganizationInfo[]> {
  return (await client(options).listAll<ApiOrganization>(paths.organizations, "list organizations")).map(organizationFromApi);
}

/** Lists the enterprise's roles: the names and ids a ServiceUser's `role` accepts. */
export async function getRoles(options: LookupOptions = {}): Promise<RoleInfo[]> {
  return (await listRoles(client(options))).map((r) => ({ roleId: r.role_id, roleName: r.role_name, roleType: r.role_type }));
}

/** Looks up a service user by id. Its API key is never returned by the API. */
export async function getServiceUser(args: { serviceUserId: string }, options: LookupOptions = {}): Promise<ServiceUserInfo> {
  const res = await client(options).call<ApiServiceUser>(
    { method: "GET", path: paths.serviceUser(args.serviceUserId) },
    { operation: `look up service user ${args.serviceUserId}` },
  );
  return {
    serviceUserId: res.body.service_user_id,
    name: res.body.name,
    expiresAt: res.body.expires_at ?? null,
    roles: res.body.role_assignments.map((a) => ({ roleId: a.role.role_id, roleName: a.role.role_name, orgId: a.org_id })),
  };
}
