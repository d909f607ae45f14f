import * as pulumi from "@pulumi/pulumi";
import * as devin from "pulumi-devin";

/** The e2e tests describe what to deploy in the stack config `e2e:spec`, and change it between runs. */
interface Spec {
  orgs: { key: string; name: string; acuLimit?: number; maxSessionAcuLimit?: number }[];
  serviceUsers: { key: string; org?: string; name: string; role: string; ttlSeconds?: number }[];
}

const spec = new pulumi.Config("e2e").requireObject<Spec>("spec");

const orgs: Record<string, devin.Organization> = {};
for (const o of spec.orgs) {
  orgs[o.key] = new devin.Organization(o.key, { name: o.name, acuLimit: o.acuLimit, maxSessionAcuLimit: o.maxSessionAcuLimit });
}
const serviceUsers: Record<string, devin.ServiceUser> = {};
for (const s of spec.serviceUsers) {
  serviceUsers[s.key] = new devin.ServiceUser(s.key, {
    orgId: s.org ? orgs[s.org].orgId : undefined,
    name: s.name,
    role: s.role,
    ttlSeconds: s.ttlSeconds,
  });
}

const each = <T, U>(rec: Record<string, T>, f: (t: T) => U) => Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, f(v)]));
export const orgIds = each(orgs, (o) => o.orgId);
export const serviceUserIds = each(serviceUsers, (s) => s.serviceUserId);
export const apiKeys = each(serviceUsers, (s) => s.apiKey);
