import * as pulumi from "@pulumi/pulumi";
import * as devin from "pulumi-devin";

/**
 * The e2e tests describe what to deploy in the stack config `e2e:spec`, and change it between runs. Each entry's
 * fields other than `key` (and `org`, a reference to another entry) are passed to the resource as they are, the way a
 * program driven by JSON or stack config does it.
 */
interface Spec {
  orgs: ({ key: string } & Record<string, unknown>)[];
  serviceUsers: ({ key: string; org?: string } & Record<string, unknown>)[];
}

const spec = new pulumi.Config("e2e").requireObject<Spec>("spec");

const orgs: Record<string, devin.Organization> = {};
for (const { key, ...args } of spec.orgs) {
  orgs[key] = new devin.Organization(key, args as unknown as devin.OrganizationArgs);
}
const serviceUsers: Record<string, devin.ServiceUser> = {};
for (const { key, org, ...args } of spec.serviceUsers) {
  serviceUsers[key] = new devin.ServiceUser(key, {
    ...(args as unknown as devin.ServiceUserArgs),
    ...(org ? { orgId: orgs[org].orgId } : {}),
  });
}

const each = <T, U>(rec: Record<string, T>, f: (t: T) => U) => Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, f(v)]));
export const orgIds = each(orgs, (o) => o.orgId);
export const serviceUserIds = each(serviceUsers, (s) => s.serviceUserId);
export const apiKeys = each(serviceUsers, (s) => s.apiKey);
