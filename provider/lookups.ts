import * as pulumi from "@pulumi/pulumi";
import {
  organizationFromApi,
  paths,
  type ApiIdpGroup,
  type ApiOrganization,
  type ApiServiceUser,
  type ApiUser,
  type OrganizationFields,
  type RoleAssignment,
} from "./impl/api";
import { apiClient, type DevinClient } from "./impl/client";
import { lookupByNameError } from "./impl/errors";
import { listRoles } from "./impl/roles";

/**
 * Reads of what exists, for a program to refer to. Each is a plain async function (usable anywhere) with an
 * `...Output` form whose arguments may be Outputs and whose result is one.
 */

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

/** A role held at a scope: `orgId` null is the enterprise. */
export interface HeldRole {
  roleId: string;
  roleName: string;
  roleType: "enterprise" | "org";
  orgId: string | null;
}

export interface ServiceUserInfo {
  serviceUserId: string;
  name: string;
  expiresAt: number | null;
  roles: HeldRole[];
}

export interface UserInfo {
  userId: string;
  email: string | null;
  name: string | null;
  /** Direct roles. */
  roles: HeldRole[];
}

export interface IdpGroupInfo {
  name: string;
}

/** Who the token is. */
export interface SelfInfo {
  principalType: string;
  serviceUserId: string | null;
  serviceUserName: string | null;
  /** The org of an org-scoped token, or null. */
  orgId: string | null;
}

function client(options: LookupOptions): DevinClient {
  return apiClient({
    token: options.token ?? pulumi.runtime.getConfig("devin:token"),
    apiUrl: options.apiUrl ?? pulumi.runtime.getConfig("devin:apiUrl"),
  });
}

const held = (assignments: RoleAssignment[]): HeldRole[] =>
  assignments.map((a) => ({ roleId: a.role.role_id, roleName: a.role.role_name, roleType: a.role.role_type, orgId: a.org_id }));

const serviceUserInfo = (su: ApiServiceUser): ServiceUserInfo => ({
  serviceUserId: su.service_user_id,
  name: su.name,
  expiresAt: su.expires_at ?? null,
  roles: held(su.role_assignments),
});

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

/** Lists the enterprise's roles: the names and ids the `role` of every resource accepts. */
export async function getRoles(options: LookupOptions = {}): Promise<RoleInfo[]> {
  return (await listRoles(client(options))).map((r) => ({ roleId: r.role_id, roleName: r.role_name, roleType: r.role_type }));
}

/** Looks up a service user by id. Its API key is never returned by the API. */
export async function getServiceUser(args: { serviceUserId: string }, options: LookupOptions = {}): Promise<ServiceUserInfo> {
  const res = await client(options).call<ApiServiceUser>(
    { method: "GET", path: paths.serviceUser(args.serviceUserId) },
    { operation: `look up service user ${args.serviceUserId}` },
  );
  return serviceUserInfo(res.body);
}

/** Lists the enterprise's active service users (expired and deleted ones are left out by the API). */
export async function getServiceUsers(options: LookupOptions = {}): Promise<ServiceUserInfo[]> {
  return (await client(options).listAll<ApiServiceUser>(paths.serviceUsers, "list service users")).map(serviceUserInfo);
}

/**
 * Lists the enterprise's direct members, or the one with an email (matched exactly, in any case).
 *
 * @example
 * const [alice] = await devin.getUsers({ email: "alice@example.com" });
 */
export async function getUsers(args: { email?: string } = {}, options: LookupOptions = {}): Promise<UserInfo[]> {
  const users = await client(options).listAll<ApiUser>(paths.users, "list users", { email: args.email });
  return users.map((u) => ({ userId: u.user_id, email: u.email, name: u.name, roles: held(u.role_assignments) }));
}

/** Lists the IdP groups registered with the enterprise. */
export async function getIdpGroups(options: LookupOptions = {}): Promise<IdpGroupInfo[]> {
  return (await client(options).listAll<Pick<ApiIdpGroup, "idp_group_name">>(paths.idpGroups, "list IdP groups")).map((g) => ({
    name: g.idp_group_name,
  }));
}

/** Who the configured token is: its service user, and its org when it is org-scoped. */
export async function getSelf(options: LookupOptions = {}): Promise<SelfInfo> {
  const res = await client(options).call<{
    principal_type?: string;
    service_user_id?: string;
    service_user_name?: string;
    org_id?: string | null;
  }>({ method: "GET", path: paths.self }, { operation: "read who the token is" });
  return {
    principalType: res.body.principal_type ?? "service_user",
    serviceUserId: res.body.service_user_id ?? null,
    serviceUserName: res.body.service_user_name ?? null,
    orgId: res.body.org_id ?? null,
  };
}

/** The Output forms: arguments may be Outputs, results are Outputs, for use inside a program. */
export const getOrganizationOutput = (args: pulumi.Input<{ orgId: string } | { name: string }>, options?: LookupOptions) =>
  pulumi.output(args).apply((a) => getOrganization(a as { orgId: string } | { name: string }, options));
export const getOrganizationsOutput = (options?: LookupOptions) => pulumi.output(getOrganizations(options));
export const getRolesOutput = (options?: LookupOptions) => pulumi.output(getRoles(options));
export const getServiceUserOutput = (args: pulumi.Input<{ serviceUserId: pulumi.Input<string> }>, options?: LookupOptions) =>
  pulumi.output(args).apply((a) => getServiceUser(a, options));
export const getServiceUsersOutput = (options?: LookupOptions) => pulumi.output(getServiceUsers(options));
export const getUsersOutput = (args: pulumi.Input<{ email?: pulumi.Input<string> }> = {}, options?: LookupOptions) =>
  pulumi.output(args).apply((a) => getUsers(a, options));
export const getIdpGroupsOutput = (options?: LookupOptions) => pulumi.output(getIdpGroups(options));
export const getSelfOutput = (options?: LookupOptions) => pulumi.output(getSelf(options));
