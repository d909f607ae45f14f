import { randomUUID } from "node:crypto";
import { isKind, type Kind } from "../schema";

/**
 * `pulumi-devin migrate`: rewrites a `pulumi stack export` so that the stack's dynamic resources (`import ... from
 * "pulumi-devin"`) belong to the provider plugin (`"pulumi-devin/plugin"`), as if the plugin had created them. Nothing
 * is recreated or imported: the ids, the outputs and the one-time keys in them (a ServiceUser's `apiKey`, an ApiKey's
 * `key`, which the API never shows again) stay in the state.
 *
 * Secrets: a value in Pulumi's secret envelope is copied as the same JSON object, its ciphertext byte for byte. The
 * stack keeps its secrets provider (the passphrase's salt or the cloud key in `secrets_providers` is not touched), so
 * `pulumi stack import` takes every ciphertext as it is; migrate never decrypts, needs no passphrase, and never holds a
 * secret in clear. The one consequence: a resource reference inside a secret value cannot be rewritten (none of
 * pulumi-devin's secret outputs holds one). An export made with `--show-secrets` carries `plaintext` envelopes, which
 * are passed through too (`pulumi stack import` encrypts them again) and counted, so that the CLI can warn.
 */

/** The dynamic resources' type token: `pulumi-nodejs:dynamic/devin:<Kind>` (resource.ts registers module "devin"). */
const DYNAMIC_TYPE = "pulumi-nodejs:dynamic/devin:";
const NODEJS_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";
const PROVIDER_TYPE = "pulumi:providers:devin";
/** The properties the dynamic-resource shim adds (resource.ts), which the plugin neither sends nor keeps. */
const SHIM_PROPERTIES = ["__kind", "__provider"];
/** Pulumi's signature key on a special value, and the signatures of a secret and of a resource reference. */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

type Props = Record<string, unknown>;

/** A resource as `pulumi stack export` writes it (apitype.ResourceV3); the fields migrate reads or rewrites. */
export interface StateResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  inputs?: Props;
  outputs?: Props;
  parent?: string;
  dependencies?: string[];
  provider?: string;
  propertyDependencies?: Record<string, string[]>;
  aliases?: string[];
  deletedWith?: string;
  replaceWith?: string[];
  viewOf?: string;
  created?: string;
  modified?: string;
  [field: string]: unknown;
}

/** What `pulumi stack export` prints (apitype.UntypedDeployment around a DeploymentV3). */
export interface StackExport {
  version: number;
  deployment: {
    resources?: StateResource[];
    pending_operations?: { type?: string; resource?: { urn?: string } }[];
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export interface MigrateOptions {
  /** The plugin's version, which the SDK sends and which names its default provider (`default_0_1_0`). */
  version: string;
  /** For tests: the new provider's id and timestamp. The engine makes a UUID and writes the current time. */
  providerId?: string;
  now?: Date;
}

export interface Migrated {
  state: StackExport;
  /** How many resources of each kind moved to the plugin. */
  moved: Partial<Record<Kind, number>>;
  /** Resources that stay as they were but whose URN changed, because a moved resource is their parent or ancestor. */
  renamed: number;
  /** The plugin's default provider the moved resources now name, and whether migrate added it to the state. */
  provider: { urn: string; added: boolean };
  /** The `pulumi-nodejs` default providers dropped because nothing referred to them any more. */
  removed: string[];
  /** Secrets that were in clear in the input (an export made with --show-secrets). */
  plaintextSecrets: number;
}

/** A state migrate cannot rewrite safely: one line saying why and what to do. Nothing is written. */
export class MigrateError extends Error {}

/** Parses the output of `pulumi stack export`, or says what was given instead. */
export function parseStackExport(text: string): StackExport {
  const hint = "make it with 'pulumi stack export' (or 'pulumi stack export --file state.json')";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const got = text.trim() === "" ? "nothing" : "text that is not JSON";
    throw new MigrateError(`the input is not the output of 'pulumi stack export' (got ${got}); ${hint}.`);
  }
  const state = parsed as Partial<StackExport> | null;
  if (!state || typeof state !== "object" || typeof state.version !== "number" || !state.deployment || typeof state.deployment !== "object")
    throw new MigrateError(`the input is not the output of 'pulumi stack export' (JSON without 'version' and 'deployment'); ${hint}.`);
  if (state.version !== 3 && state.version !== 4)
    throw new MigrateError(
      `stack exports of version 3 and 4 are known, but this one is version ${state.version}; export it with Pulumi 3.`,
    );
  if (state.deployment.resources !== undefined && !Array.isArray(state.deployment.resources))
    throw new MigrateError("'deployment.resources' is not a list; was the export edited?");
  return state as StackExport;
}

/** The name the engine gives a default provider of a version (ProviderRequest.DefaultName in pkg/resource/deploy/providers). */
export function defaultProviderName(version: string): string {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(version);
  if (!m) throw new MigrateError(`'${version}' is not a semantic version.`);
  const extra = [m[4], m[5]].filter((p): p is string => p !== undefined).flatMap((p) => p.split("."));
  return ["default", Number(m[1]), Number(m[2]), Number(m[3]), ...extra].join("_");
}

/** A URN's parts: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`; only the name may contain `::`. */
function splitUrn(urn: string): { stack: string; project: string; types: string[]; name: string } | undefined {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) return undefined;
  return { stack: parts[0].slice("urn:pulumi:".length), project: parts[1], types: parts[2].split("$"), name: parts.slice(3).join("::") };
}

/** The plugin's type for a dynamic resource's type, or undefined when the type is not one of pulumi-devin's. */
function pluginType(type: string): string | undefined {
  if (!type.startsWith(DYNAMIC_TYPE)) return undefined;
  const kind = type.slice(DYNAMIC_TYPE.length);
  if (!isKind(kind))
    throw new MigrateError(
      `the state has a resource of type ${type}, a kind this version of pulumi-devin does not know; run migrate from the pulumi-devin version that created it or a later one.`,
    );
  return `devin:index:${kind}`;
}

/**
 * A URN with every dynamic type in its qualified type replaced by the plugin's: the resource's own type and those of
 * its ancestors (a child's URN carries its parent's type), so that aliases and references to URNs that are no longer
 * in the state follow too.
 */
export function rewriteUrn(urn: string): string {
  const parts = splitUrn(urn);
  if (!parts) return urn;
  const types = parts.types.map((t) => pluginType(t) ?? t);
  if (types.every((t, i) => t === parts.types[i])) return urn;
  return `urn:pulumi:${parts.stack}::${parts.project}::${types.join("$")}::${parts.name}`;
}

/** A provider reference, `<provider URN>::<provider id>`, split at its last `::`. */
function splitProviderRef(ref: string): { urn: string; id: string } {
  const at = ref.lastIndexOf("::");
  return { urn: ref.slice(0, at), id: ref.slice(at + 2) };
}

const isObject = (v: unknown): v is Props => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A property value with the URNs of resource references rewritten. Secrets are returned as the same object, never
 * opened: their ciphertext must reach `pulumi stack import` unchanged.
 */
function rewriteValue(value: unknown, count: { plaintextSecrets: number }): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteValue(v, count));
  if (!isObject(value)) return value;
  if (value[SIG] === SECRET_SIG) {
    if ("plaintext" in value) count.plaintextSecrets++;
    return value;
  }
  if (value[SIG] === RESOURCE_REF_SIG) return typeof value.urn === "string" ? { ...value, urn: rewriteUrn(value.urn) } : value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteValue(v, count)]));
}

function rewriteProps(props: Props | undefined, drop: string[], count: { plaintextSecrets: number }): Props | undefined {
  if (props === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(props)
      .filter(([k]) => !drop.includes(k))
      .map(([k, v]) => [k, rewriteValue(v, count)]),
  );
}

/** The `__kind` a dynamic resource carries, which must agree with its type. */
function kindOf(resource: StateResource, type: string): Kind {
  const kind = type.slice("devin:index:".length) as Kind;
  const carried = resource.outputs?.__kind ?? resource.inputs?.__kind;
  if (carried !== kind)
    throw new MigrateError(
      `${resource.urn} has type ${resource.type} but its __kind is ${JSON.stringify(carried)}; it was not written by pulumi-devin, so migrate leaves the whole state alone.`,
    );
  return kind;
}

/** Sorted keys, as the engine writes a property map. */
const sorted = (props: Props): Props => Object.fromEntries(Object.entries(props).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The stack's `devin:*` config as the old provider received it (the `pulumi-nodejs` default provider gets the whole
 * stack config), keyed as the plugin's provider receives it (`apiUrl`, `token`). Secret values stay encrypted.
 */
function devinConfig(props: Props | undefined): Props {
  return Object.fromEntries(
    Object.entries(props ?? {})
      .filter(([k]) => k.startsWith("devin:"))
      .map(([k, v]) => [k.slice("devin:".length), v]),
  );
}

/** Every URN a resource refers to (not its own). */
function referencedUrns(r: StateResource): string[] {
  return [
    r.parent,
    ...(r.dependencies ?? []),
    r.provider ? splitProviderRef(r.provider).urn : undefined,
    ...Object.values(r.propertyDependencies ?? {}).flat(),
    r.deletedWith,
    ...(r.replaceWith ?? []),
    r.viewOf,
  ].filter((u): u is string => typeof u === "string" && u !== "");
}

export function migrate(state: StackExport, options: MigrateOptions): Migrated {
  const pending = state.deployment.pending_operations ?? [];
  if (pending.length > 0) {
    const what = pending.map((p) => `${p.type ?? "an operation"} of ${p.resource?.urn ?? "a resource"}`).join(", ");
    throw new MigrateError(
      `the state has ${pending.length} pending operation${pending.length === 1 ? "" : "s"} (${what}): an update was interrupted, and the engine does not know how it ended. Resolve ${pending.length === 1 ? "it" : "them"} first ('pulumi refresh' asks about each; 'pulumi refresh --clear-pending-creates' drops pending creates), then export again.`,
    );
  }
  const resources = state.deployment.resources ?? [];
  const moving = new Map<StateResource, string>();
  for (const r of resources) {
    const type = pluginType(r.type);
    if (type) moving.set(r, type);
  }
  const count = { plaintextSecrets: 0 };
  const moved: Partial<Record<Kind, number>> = {};
  if (moving.size === 0) return { state, moved, renamed: 0, provider: { urn: "", added: false }, removed: [], plaintextSecrets: 0 };

  const first = [...moving.keys()][0];
  const where = splitUrn(first.urn);
  if (!where) throw new MigrateError(`${first.urn} is not a Pulumi URN; was the export edited?`);
  const providerUrn = `urn:pulumi:${where.stack}::${where.project}::${PROVIDER_TYPE}::${defaultProviderName(options.version)}`;
  const existing = resources.find((r) => r.urn === providerUrn && r.type === PROVIDER_TYPE && !r.delete);
  const providerId = existing?.id ?? options.providerId ?? randomUUID();

  // The old provider's config, for the new one: a `refresh` or `destroy` that does not run the program configures the
  // provider from the state alone, and without it would have no token and the default API URL. Its ciphertexts are
  // copied like every other secret.
  const oldProviderUrns = new Set([...moving.keys()].map((r) => (r.provider ? splitProviderRef(r.provider).urn : "")));
  const oldProvider = resources.find((r) => oldProviderUrns.has(r.urn) && r.type === NODEJS_PROVIDER_TYPE);
  const now = (options.now ?? new Date()).toISOString();
  const added: StateResource | undefined = existing
    ? undefined
    : {
        urn: providerUrn,
        custom: true,
        id: providerId,
        type: PROVIDER_TYPE,
        // What the engine writes for a default provider: the config, `version`, and `__internal` (empty unless the
        // provider is parameterized or has a download URL).
        inputs: sorted({ __internal: {}, ...devinConfig(oldProvider?.inputs), version: options.version }),
        outputs: sorted({ ...devinConfig(oldProvider?.outputs), version: options.version }),
        created: now,
        modified: now,
      };

  let renamed = 0;
  let providerPlaced = added === undefined;
  const rewritten: StateResource[] = [];
  for (const r of resources) {
    const type = moving.get(r);
    const urn = rewriteUrn(r.urn);
    const out: StateResource = { ...r, urn };
    if (type) {
      const kind = kindOf(r, type);
      moved[kind] = (moved[kind] ?? 0) + 1;
      out.type = type;
      out.provider = `${providerUrn}::${providerId}`;
      // Just before the first resource that names it: the engine checks that a provider comes before its resources.
      if (!providerPlaced && added) rewritten.push(added);
      providerPlaced = true;
    } else {
      if (urn !== r.urn) renamed++;
      if (r.provider) {
        const ref = splitProviderRef(r.provider);
        out.provider = `${rewriteUrn(ref.urn)}::${ref.id}`;
      }
    }
    const drop = type ? SHIM_PROPERTIES : [];
    if (r.inputs) out.inputs = rewriteProps(r.inputs, drop, count);
    if (r.outputs) out.outputs = rewriteProps(r.outputs, drop, count);
    if (r.parent) out.parent = rewriteUrn(r.parent);
    if (r.dependencies) out.dependencies = r.dependencies.map(rewriteUrn);
    if (r.propertyDependencies)
      out.propertyDependencies = Object.fromEntries(
        Object.entries(r.propertyDependencies)
          .filter(([k]) => !drop.includes(k))
          .map(([k, urns]) => [k, urns.map(rewriteUrn)]),
      );
    if (r.aliases) out.aliases = r.aliases.map(rewriteUrn);
    if (r.deletedWith) out.deletedWith = rewriteUrn(r.deletedWith);
    if (r.replaceWith) out.replaceWith = r.replaceWith.map(rewriteUrn);
    if (r.viewOf) out.viewOf = rewriteUrn(r.viewOf);
    rewritten.push(out);
  }

  const seen = new Set<string>();
  for (const r of rewritten) {
    if (r.delete) continue;
    if (seen.has(r.urn))
      throw new MigrateError(
        `two resources would have the URN ${r.urn}: the state already holds a plugin resource of that name beside the dynamic one; remove one of them (pulumi state delete) before migrating.`,
      );
    seen.add(r.urn);
  }

  // The pulumi-nodejs default provider goes when nothing refers to it any more (other dynamic resources keep it); left
  // in, the next update would show it as deleted.
  const referenced = new Set(rewritten.flatMap(referencedUrns));
  const removed = rewritten
    .filter((r) => r.type === NODEJS_PROVIDER_TYPE && oldProviderUrns.has(r.urn) && !referenced.has(r.urn))
    .map((r) => r.urn);
  const kept = rewritten.filter((r) => !removed.includes(r.urn));

  return {
    state: { ...state, deployment: { ...state.deployment, resources: kept } },
    moved,
    renamed,
    provider: { urn: providerUrn, added: added !== undefined },
    removed,
    plaintextSecrets: count.plaintextSecrets,
  };
}

/** The summary for stderr: what moved, the provider, and what to run next. */
export function summary(result: Migrated): string[] {
  const kinds = Object.entries(result.moved).sort(([a], [b]) => (a < b ? -1 : 1));
  const total = kinds.reduce((n, [, c]) => n + (c ?? 0), 0);
  if (total === 0)
    return ["no pulumi-devin dynamic resources in this state (types pulumi-nodejs:dynamic/devin:*): nothing to move; wrote it unchanged."];
  const lines = [
    `moved ${total} resource${total === 1 ? "" : "s"} to the plugin: ${kinds.map(([k, c]) => `${c} ${k}`).join(", ")} (type devin:index:<Kind>).`,
    `provider: ${result.provider.urn.split("::").pop()} (${PROVIDER_TYPE})${result.provider.added ? ", added" : ", already in the state"}.`,
  ];
  if (result.renamed > 0)
    lines.push(
      `${result.renamed} other resource${result.renamed === 1 ? "" : "s"} under a moved one kept everything but the type in ${result.renamed === 1 ? "its" : "their"} URN.`,
    );
  if (result.removed.length > 0) lines.push(`removed the pulumi-nodejs default provider, which nothing uses any more.`);
  if (result.plaintextSecrets > 0)
    lines.push(
      `warning: ${result.plaintextSecrets} secret${result.plaintextSecrets === 1 ? " was" : "s were"} in clear in the input (exported with --show-secrets); 'pulumi stack import' encrypts them again, but delete any file that holds them.`,
    );
  return lines;
}
