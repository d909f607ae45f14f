import * as pulumi from "@pulumi/pulumi";
import * as devin from "pulumi-devin";

/**
 * The e2e tests describe what to deploy in the stack config `e2e:spec`, and change it between runs. Each entry's
 * fields other than `key` (and `org`, a reference to another entry) are passed to the resource as they are, the way a
 * program driven by JSON or stack config does it. `resources` declares any other resource type: an argument written
 * "$<key>.<output>" is that resource's output, "$config:<name>" a secret of the stack config,
 * "$base64:<text>" a plain string (given encoded, so that it is nowhere in the config as it is), and `dependsOn` lists keys.
 * An org's or resource's `opts` (optional) are its resource options, such as `{ "protect": true }`.
 */
interface Spec {
  orgs: ({ key: string; opts?: pulumi.CustomResourceOptions } & Record<string, unknown>)[];
  serviceUsers: ({ key: string; org?: string } & Record<string, unknown>)[];
  resources?: {
    key: string;
    type: string;
    args: Record<string, unknown>;
    dependsOn?: string[];
    opts?: pulumi.CustomResourceOptions;
  }[];
}

const spec = new pulumi.Config("e2e").requireObject<Spec>("spec");
const orgs: Record<string, devin.Organization> = {};
for (const { key, opts, ...args } of spec.orgs) {
  orgs[key] = new devin.Organization(key, args as unknown as devin.OrganizationArgs, opts);
}
const serviceUsers: Record<string, devin.ServiceUser> = {};
for (const { key, org, ...args } of spec.serviceUsers) {
  serviceUsers[key] = new devin.ServiceUser(key, {
    ...(args as unknown as devin.ServiceUserArgs),
    ...(org ? { orgId: orgs[org].orgId } : {}),
  });
}

const all: Record<string, pulumi.CustomResource> = { ...orgs, ...serviceUsers };
const config = new pulumi.Config("e2e");
const resolve = (value: unknown): unknown => {
  // "$config:<name>" is a secret of the stack config, as a program would take a secret value.
  if (typeof value === "string" && value.startsWith("$config:")) return config.requireSecret(value.slice("$config:".length));
  // "$base64:<text>" is a plain string the program computes, which appears nowhere in the config as it is.
  if (typeof value === "string" && value.startsWith("$base64:")) return Buffer.from(value.slice("$base64:".length), "base64").toString();
  if (typeof value === "string" && value.startsWith("$")) {
    const [key, output] = value.slice(1).split(".");
    return (all[key] as unknown as Record<string, unknown>)[output];
  }
  if (Array.isArray(value)) return value.map(resolve);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)]));
  return value;
};
type Constructor = new (name: string, args: unknown, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;
for (const r of spec.resources ?? []) {
  const Type = (devin as unknown as Record<string, Constructor>)[r.type];
  all[r.key] = new Type(r.key, resolve(r.args), { ...r.opts, dependsOn: (r.dependsOn ?? []).map((k) => all[k]) });
}

const each = <T, U>(rec: Record<string, T>, f: (t: T) => U) => Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, f(v)]));
export const orgIds = each(orgs, (o) => o.orgId);
export const serviceUserIds = each(serviceUsers, (s) => s.serviceUserId);
export const apiKeys = each(serviceUsers, (s) => s.apiKey);
export const resourceIds = each(Object.fromEntries((spec.resources ?? []).map((r) => [r.key, all[r.key]])), (r) => r.id);
/** The tokens of the ApiKey resources, by key (secret). */
export const apiKeyTokens = each(
  Object.fromEntries((spec.resources ?? []).filter((r) => r.type === "ApiKey").map((r) => [r.key, all[r.key] as devin.ApiKey])),
  (k) => k.key,
);
