import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { naturalKeyClashMessage, unknownArgumentsMessage } from "../argumentNames";
import type * as implTypes from "../impl";
import type { PartialCreateError } from "../impl/createOnce";
import { configure, normalizeApiUrl } from "../impl/settings";
import { UNKNOWN } from "../impl/values";
import { isKind, LOOKUPS, RESOURCES } from "../schema";
import type { ResourceSchema } from "../schema/types";
import { detailedDiff } from "./diff";
import { conceal, parseUrn, reveal, withKind } from "./properties";

/**
 * The gRPC `pulumirpc.ResourceProvider` service of `pulumi-resource-devin`: how the engine's calls reach the same
 * dispatcher the dynamic provider calls (provider/impl/host.ts), so both front ends run the same checks, messages,
 * retries and exactly-once creates. What is here is only about the plugin protocol: secrets wrapped both ways, the
 * type taken from the URN, the arguments and defaults the program side checks for dynamic resources, detailed diffs,
 * previews of creates and updates without a request, the import of an id, and functions.
 *
 * `@pulumi/pulumi`'s own `provider.main()` is not used: its Configure drops the stack config (3.248), so
 * `devin:token` would never arrive.
 */

// The gRPC runtime and protobuf types the SDK's generated stubs were built with: loaded from where @pulumi/pulumi is,
// so that both are the one instance the stubs use, whatever layout the package manager chose.
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = fromPulumi("@grpc/grpc-js") as typeof grpcTypes;
const structproto = fromPulumi("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
const emptyproto = fromPulumi("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => unknown };
const anyproto = fromPulumi("google-protobuf/google/protobuf/any_pb") as {
  Any: new () => { pack(data: Uint8Array, typeName: string): void };
};
const provrpc = fromPulumi("./proto/provider_grpc_pb") as { ResourceProviderService: grpcTypes.ServiceDefinition };

/**
 * The implementation, loaded at the first call that needs it: the copy of the plugin a YAML program's host starts only
 * for the schema never loads the HTTP client and the lifecycles.
 */
function impl(): typeof implTypes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("../impl") as typeof implTypes;
}

function isPartial(e: unknown): e is PartialCreateError {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return e instanceof (require("../impl/createOnce") as typeof import("../impl/createOnce")).PartialCreateError;
}

type Props = Record<string, unknown>;
type Callback<T> = (error: grpcTypes.ServiceError | Partial<grpcTypes.StatusObject> | null, value?: T | null) => void;
type Call<Req> = { request: Req };

const ROOT = join(__dirname, "..", "..", "..");

const props = (struct: structTypes.Struct | undefined): Props => (struct?.toJavaScript() ?? {}) as Props;
const struct = (bag: Props): structTypes.Struct => structproto.Struct.fromJavaScript(bag as Record<string, structTypes.JavaScriptValue>);

/** The resource type a request is about, with its table. */
function typeOf(urn: string): { kind: string; name: string; table: ResourceSchema } {
  const { type, name } = parseUrn(urn);
  const kind = type.split(":")[2] ?? type;
  if (!type.startsWith("devin:") || !isKind(kind))
    throw new Error(`pulumi-resource-devin has no resource type '${type}': upgrade pulumi-devin, or check the type token.`);
  return { kind, name, table: RESOURCES[kind] };
}

/** A failure as the engine shows it: the message alone (errors thrown by the implementation are complete sentences). */
function failure(e: unknown): Partial<grpcTypes.StatusObject> {
  return { code: grpc.status.UNKNOWN, details: e instanceof Error ? e.message : String(e) };
}

/**
 * A create or update that changed the object and then failed: the engine records the id and the properties it was
 * given (as for the dynamic provider), and the next `up` finishes the job through `update`.
 */
function partialFailure(table: ResourceSchema, e: PartialCreateError, secrets: ReadonlySet<string>): grpcTypes.ServiceError {
  const detail = new provproto.ErrorResourceInitFailed();
  detail.setId(e.id);
  detail.setProperties(struct(conceal(table, e.properties, secrets)));
  detail.setReasonsList(e.reasons);
  const any = new anyproto.Any();
  any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
  const status = new statusproto.Status();
  status.setCode(grpc.status.UNKNOWN);
  status.setMessage(e.message);
  status.addDetails(any as never);
  const metadata = new grpc.Metadata();
  metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  return Object.assign(new Error(e.message), { code: grpc.status.UNKNOWN, details: e.message, metadata });
}

/** Runs a handler and answers with its result, or with the failure the engine shows. */
function answer<Req, Res>(handler: (req: Req) => Promise<Res> | Res) {
  return (call: Call<Req>, callback: Callback<Res>): void => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (res) => callback(null, res),
        (e: unknown) => callback(e instanceof Error && "metadata" in e ? (e as grpcTypes.ServiceError) : failure(e)),
      );
  };
}

/**
 * Natural keys claimed in this process (one engine run): two resources of one program that would create two objects
 * nobody can tell apart are refused at check, as the dynamic classes refuse them in the program.
 */
const claims = new Map<string, string>();

function claimFailure(kind: string, name: string, table: ResourceSchema, inputs: Props): string | undefined {
  const key = table.naturalKey;
  if (!key || (key.unlessAdopting && inputs.adoptId)) return undefined;
  const values = key.of.map((k) => inputs[k]);
  if (values.some((v) => v === UNKNOWN)) return undefined; // checked at `up`, when it is known
  const parts = values.map((v) => (v === undefined || v === null ? undefined : String(v)));
  const claimed = `${kind}\u0000${parts.map((p) => p ?? "").join("\u0000")}`;
  const holder = claims.get(claimed);
  if (holder !== undefined && holder !== name) return naturalKeyClashMessage(kind, name, holder, key.describe(parts));
  claims.set(claimed, name);
  return undefined;
}

function checkFailures(failures: readonly { property: string; reason: string }[]): provproto.CheckFailure[] {
  return failures.map((f) => {
    const out = new provproto.CheckFailure();
    out.setProperty(f.property);
    out.setReason(f.reason);
    return out;
  });
}

/** The values a create or update preview shows: the inputs, the id output known on update, other outputs unknown. */
function previewOutputs(table: ResourceSchema, inputs: Props, state: Props | undefined): Props {
  const outs: Props = { ...inputs };
  for (const f of table.fields) {
    if (f.input !== undefined) continue;
    outs[f.name] = state && f.name === table.idOutput ? state[f.name] : UNKNOWN;
  }
  return outs;
}

/**
 * An import names the object by its id alone. The types that live in an org take `<orgId>/<id>`, since their reads
 * need the org; the role assignments' own ids already carry it.
 */
function importProps(table: ResourceSchema, id: string): { id: string; props: Props } {
  const orgScoped = table.fields.some((f) => f.name === "orgId" && f.input === "required");
  const composite = /^(org-[^/]+)\/([^/]+)$/.exec(id);
  if (orgScoped && composite && !table.importId.includes("/")) return { id: composite[2], props: { orgId: composite[1] } };
  return { id, props: {} };
}

/** The stack config a function reads, as in a program; set when the engine configures the provider. */
let functionConfig: Record<string, string | undefined> = {};

/**
 * The lookups, loaded at the first function call: they run on the Pulumi SDK's config, and loading the SDK would
 * double the plugin's start (about 0.8 s of 1 s here), which every run pays, twice with YAML (its host starts its own
 * copy of the plugin for the schema).
 */
function lookupFunctions(): Record<string, (...a: unknown[]) => Promise<unknown>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtime = (require("@pulumi/pulumi") as typeof import("@pulumi/pulumi")).runtime;
  for (const [key, v] of Object.entries(functionConfig)) if (v !== undefined) runtime.setConfig(key, v);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("../lookups") as Record<string, (...a: unknown[]) => Promise<unknown>>;
}

async function invoke(tok: string, given: Props): Promise<Props> {
  const name = tok.replace(/^devin:index:/, "");
  const schema = Object.prototype.hasOwnProperty.call(LOOKUPS, name) ? LOOKUPS[name] : undefined;
  const fn = lookupFunctions()[name];
  if (!tok.startsWith("devin:index:") || !schema || typeof fn !== "function")
    throw new Error(`pulumi-resource-devin has no function '${tok}': upgrade pulumi-devin, or check the function token.`);
  const accepted = schema.args.map((a) => a.name);
  const unknown = Object.keys(given).filter((k) => !accepted.includes(k));
  if (unknown.length > 0) throw new Error(unknownArgumentsMessage(name, unknown, accepted));
  const missing = schema.args.filter((a) => a.input === "required" && given[a.name] === undefined).map((a) => a.name);
  if (missing.length > 0) throw new Error(`${name} needs ${missing.join(" and ")}.`);
  const set = accepted.filter((k) => given[k] !== undefined && given[k] !== null);
  if (schema.exactlyOne && set.length !== 1) throw new Error(`${name} takes exactly one of ${accepted.join(", ")}; ${set.length} given.`);
  const result = await (schema.args.length > 0 ? fn(given) : fn());
  return schema.returns.list ? { items: result } : (result as Props);
}

/** The service's methods, as grpc-js calls them. Methods left out answer UNIMPLEMENTED. */
export const service = {
  getPluginInfo: answer(() => {
    const info = new plugproto.PluginInfo();
    info.setVersion((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version);
    return info;
  }),

  getSchema: answer(() => {
    const res = new provproto.GetSchemaResponse();
    res.setSchema(readFileSync(join(ROOT, "schema.json"), "utf8"));
    return res;
  }),

  checkConfig: answer((req: provproto.CheckRequest) => {
    const { values } = reveal(props(req.getNews()));
    const res = new provproto.CheckResponse();
    res.setInputs(req.getNews());
    const url = values.apiUrl;
    if (typeof url === "string" && url !== UNKNOWN) {
      try {
        normalizeApiUrl(url);
      } catch (e) {
        res.setFailuresList(checkFailures([{ property: "apiUrl", reason: e instanceof Error ? e.message : String(e) }]));
      }
    }
    return res;
  }),

  diffConfig: answer((req: provproto.DiffRequest) => {
    // Another API is another set of objects, but replacing the provider would replace every resource: it is shown
    // as a change, and each resource's own diff decides. A new token changes nothing the stack manages.
    const res = new provproto.DiffResponse();
    const before = reveal(props(req.getOldInputs() ?? req.getOlds())).values.apiUrl;
    const after = reveal(props(req.getNews())).values.apiUrl;
    const changed = (before ?? null) !== (after ?? null);
    res.setChanges(changed ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
    if (changed) res.setDiffsList(["apiUrl"]);
    return res;
  }),

  configure: answer((req: provproto.ConfigureRequest) => {
    const { values } = reveal(props(req.getArgs()));
    const variables = req.getVariablesMap();
    const value = (key: string): string | undefined => {
      const v = values[key] ?? variables.get(`devin:${key}`);
      return typeof v === "string" && v !== "" && v !== UNKNOWN ? v : undefined;
    };
    const config = { "devin:token": value("token"), "devin:apiUrl": value("apiUrl") };
    configure({ config: { get: (key: string) => config[key as keyof typeof config] } });
    functionConfig = config;
    const res = new provproto.ConfigureResponse();
    res.setAcceptsecrets(true);
    res.setSupportspreview(true);
    return res;
  }),

  check: answer(async (req: provproto.CheckRequest) => {
    const { kind, name, table } = typeOf(req.getUrn());
    const olds = reveal(props(req.getOlds())).values;
    const { values: news, secrets } = reveal(props(req.getNews()));
    const res = new provproto.CheckResponse();
    const accepted = table.fields.filter((f) => f.input !== undefined).map((f) => f.name);
    const unknown = Object.keys(news).filter((k) => !accepted.includes(k));
    if (unknown.length > 0) {
      res.setInputs(req.getNews());
      res.setFailuresList(checkFailures([{ property: "", reason: unknownArgumentsMessage(`${kind} '${name}'`, unknown, accepted) }]));
      return res;
    }
    for (const f of table.fields) if (f.defaultsToResourceName && news[f.name] === undefined) news[f.name] = name;
    // A secret argument is secret whatever the program passed.
    for (const f of table.fields) if (f.secret && f.input !== undefined) secrets.add(f.name);
    const clash = claimFailure(kind, name, table, news);
    const result = await impl().check(withKind(kind, olds), withKind(kind, news));
    res.setInputs(struct(conceal(table, result.inputs as Props, secrets)));
    res.setFailuresList(checkFailures([...(clash ? [{ property: "", reason: clash }] : []), ...(result.failures ?? [])]));
    return res;
  }),

  diff: answer(async (req: provproto.DiffRequest) => {
    const { kind, table } = typeOf(req.getUrn());
    const state = reveal(props(req.getOlds())).values;
    const oldInputs = reveal(props(req.getOldInputs())).values;
    const news = reveal(props(req.getNews())).values;
    const result = await impl().diff(req.getId(), withKind(kind, state), withKind(kind, news));
    const replaces = result.replaces ?? [];
    const res = new provproto.DiffResponse();
    const changed = result.changes === true || replaces.length > 0;
    res.setChanges(changed ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
    if (!changed) return res;
    res.setReplacesList(replaces);
    res.setDeletebeforereplace(result.deleteBeforeReplace === true);
    const details = detailedDiff(table, state, oldInputs, news, replaces);
    if (details) {
      res.setHasdetaileddiff(true);
      res.setDiffsList(Object.keys(details));
      for (const [key, kindOfChange] of Object.entries(details)) {
        const change = new provproto.PropertyDiff();
        change.setKind(kindOfChange as number as provproto.PropertyDiff.Kind);
        change.setInputdiff(false);
        res.getDetaileddiffMap().set(key, change);
      }
    }
    return res;
  }),

  create: answer(async (req: provproto.CreateRequest) => {
    const { kind, table } = typeOf(req.getUrn());
    const { values: inputs, secrets } = reveal(props(req.getProperties()));
    const res = new provproto.CreateResponse();
    if (req.getPreview()) {
      res.setProperties(struct(conceal(table, previewOutputs(table, inputs, undefined), secrets)));
      return res;
    }
    try {
      const result = await impl().create(withKind(kind, inputs));
      res.setId(result.id);
      res.setProperties(struct(conceal(table, result.outs as Props, secrets)));
      return res;
    } catch (e) {
      throw isPartial(e) ? partialFailure(table, e, secrets) : e;
    }
  }),

  read: answer(async (req: provproto.ReadRequest) => {
    const { kind, table } = typeOf(req.getUrn());
    const state = reveal(props(req.getProperties()));
    const inputs = reveal(props(req.getInputs()));
    const imported = Object.keys(state.values).length === 0;
    const target = imported ? importProps(table, req.getId()) : { id: req.getId(), props: state.values };
    const result = await impl().read(target.id, withKind(kind, target.props));
    const res = new provproto.ReadResponse();
    if (!result.id) return res; // gone: the engine drops it from the state
    const secrets = new Set([...state.secrets, ...inputs.secrets]);
    res.setId(result.id);
    res.setProperties(struct(conceal(table, result.props as Props, secrets)));
    res.setInputs(struct(conceal(table, (result.inputs ?? inputs.values) as Props, secrets)));
    return res;
  }),

  update: answer(async (req: provproto.UpdateRequest) => {
    const { kind, table } = typeOf(req.getUrn());
    const state = reveal(props(req.getOlds()));
    const news = reveal(props(req.getNews()));
    const secrets = new Set([...state.secrets, ...news.secrets]);
    const res = new provproto.UpdateResponse();
    if (req.getPreview()) {
      res.setProperties(struct(conceal(table, previewOutputs(table, news.values, state.values), secrets)));
      return res;
    }
    try {
      const result = await impl().update(req.getId(), withKind(kind, state.values), withKind(kind, news.values));
      res.setProperties(struct(conceal(table, result.outs as Props, secrets)));
      return res;
    } catch (e) {
      throw isPartial(e) ? partialFailure(table, e, secrets) : e;
    }
  }),

  delete: answer(async (req: provproto.DeleteRequest) => {
    const { kind } = typeOf(req.getUrn());
    await impl().delete_(req.getId(), withKind(kind, reveal(props(req.getProperties())).values));
    return new emptyproto.Empty();
  }),

  invoke: answer(async (req: provproto.InvokeRequest) => {
    const res = new provproto.InvokeResponse();
    res.setReturn(struct(JSON.parse(JSON.stringify(await invoke(req.getTok(), reveal(props(req.getArgs())).values))) as Props));
    return res;
  }),

  cancel: answer(() => new emptyproto.Empty()),
};

/** Starts the service on a free loopback port and resolves with the port, which the engine reads from stdout. */
export function serve(): Promise<{ port: number; server: grpcTypes.Server }> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService, service as unknown as grpcTypes.UntypedServiceImplementation);
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, port) => (e ? reject(e) : resolve({ port, server }))),
  );
}
