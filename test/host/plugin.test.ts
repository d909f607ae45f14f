import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";
import * as structPb from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { ROOT, rpcSecret } from "../support/host";

/**
 * The provider plugin (bin/pulumi-resource-devin, the compiled package) started as the engine starts it and driven
 * over gRPC: what the engine sees of secrets, previews, diffs, imports and its own end.
 */

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const urn = (type: string, name: string) => `urn:pulumi:dev::plugin-test::devin:index:${type}::${name}`;
type Props = Record<string, unknown>;
const struct = (p: Props) => structPb.Struct.fromJavaScript(p as Record<string, structPb.JavaScriptValue>);

let emu: TestEmulator;
let plugin: ChildProcess;
let client: providerGrpc.ResourceProviderClient;

function rpc<Req, Res>(method: string, req: Req): Promise<Res> {
  const c = client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, res: Res) => void) => void>;
  return new Promise((resolve, reject) => c[method].call(client, req, (e, res) => (e ? reject(e) : resolve(res))));
}

function start(cwd = ROOT): Promise<{ child: ChildProcess; port: string }> {
  const child = spawn(join(ROOT, "bin/pulumi-resource-devin"), ["127.0.0.1:1"], {
    cwd,
    env: { ...process.env, DEVIN_TOKEN: "", DEVIN_API_URL: "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", (d: Buffer) => resolve({ child, port: d.toString().trim() }));
    child.once("exit", (code) => reject(new Error(`the plugin exited ${code}`)));
  });
}

async function check(type: string, news: Props, olds: Props = {}) {
  const req = new providerPb.CheckRequest();
  req.setUrn(urn(type, "x"));
  req.setOlds(struct(olds));
  req.setNews(struct(news));
  const res = await rpc<providerPb.CheckRequest, providerPb.CheckResponse>("check", req);
  return { inputs: res.getInputs()?.toJavaScript() as Props, failures: res.getFailuresList().map((f) => f.toObject()) };
}

async function create(type: string, inputs: Props, preview = false) {
  const req = new providerPb.CreateRequest();
  req.setUrn(urn(type, "x"));
  req.setProperties(struct(inputs));
  req.setPreview(preview);
  const res = await rpc<providerPb.CreateRequest, providerPb.CreateResponse>("create", req);
  return { id: res.getId(), outs: res.getProperties()?.toJavaScript() as Props };
}

async function diff(type: string, id: string, olds: Props, oldInputs: Props, news: Props) {
  const req = new providerPb.DiffRequest();
  req.setUrn(urn(type, "x"));
  req.setId(id);
  req.setOlds(struct(olds));
  req.setOldInputs(struct(oldInputs));
  req.setNews(struct(news));
  return (await rpc<providerPb.DiffRequest, providerPb.DiffResponse>("diff", req)).toObject();
}

beforeAll(async () => {
  emu = await startTestEmulator();
  const started = await start();
  plugin = started.child;
  client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${started.port}`, grpc.credentials.createInsecure());
  const req = new providerPb.ConfigureRequest();
  req.setArgs(struct({ token: rpcSecret(emu.token), apiUrl: emu.url }));
  const res = await rpc<providerPb.ConfigureRequest, providerPb.ConfigureResponse>("configure", req);
  expect([res.getAcceptsecrets(), res.getSupportspreview()]).toEqual([true, true]);
});

afterAll(async () => {
  client?.close();
  plugin?.kill();
  await emu?.close();
});

describe("pulumi-resource-devin over gRPC", () => {
  it("names itself with the package's version and serves schema.json", async () => {
    const info = await rpc<Empty, pluginPb.PluginInfo>("getPluginInfo", new Empty());
    expect(info.getVersion()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    const schema = await rpc<providerPb.GetSchemaRequest, providerPb.GetSchemaResponse>("getSchema", new providerPb.GetSchemaRequest());
    expect(schema.getSchema()).toBe(readFileSync(join(ROOT, "schema.json"), "utf8"));
  });

  it("refuses an apiUrl that is not one in CheckConfig, naming it", async () => {
    const req = new providerPb.CheckRequest();
    req.setUrn("urn:pulumi:dev::plugin-test::pulumi:providers:devin::default");
    req.setOlds(struct({}));
    req.setNews(struct({ apiUrl: "http://devin.example.com" }));
    const res = await rpc<providerPb.CheckRequest, providerPb.CheckResponse>("checkConfig", req);
    expect(res.getFailuresList().map((f) => f.getProperty())).toEqual(["apiUrl"]);
  });

  it("keeps a secret argument secret whatever the program sent, and wraps secret outputs", async () => {
    const orgId = await emu.newOrg("secrets");
    const { inputs } = await check("Secret", { orgId, key: "DB_PASSWORD", value: "hunter2-plain" });
    expect(inputs.value).toEqual(rpcSecret("hunter2-plain"));
    const su = await create("ServiceUser", (await check("ServiceUser", { orgId, name: "ci", role: "Member" })).inputs);
    expect((su.outs.apiKey as Props)[SIG]).toBeDefined();
    expect(su.outs.serviceUserId).toBe(su.id);
    // The bag the engine gets names no implementation detail.
    expect(Object.keys(su.outs).filter((k) => k.startsWith("__"))).toEqual([]);
  });

  it("previews a create without a request: the inputs, and the outputs unknown", async () => {
    const mark = (await emu.requests()).length;
    const preview = await create("Organization", { name: "previewed", acuLimit: 5 }, true);
    expect(preview.id).toBe("");
    expect(preview.outs).toMatchObject({ name: "previewed", acuLimit: 5, orgId: UNKNOWN });
    expect((await emu.requests()).slice(mark)).toEqual([]);
  });

  it("lists each changed argument in the diff, marking what replaces", async () => {
    const orgId = await emu.newOrg("diffs");
    const inputs = (await check("ServiceUser", { orgId, name: "bot", role: "Member" })).inputs;
    const su = await create("ServiceUser", inputs);
    const renamed = await diff("ServiceUser", su.id, su.outs, inputs, { ...inputs, name: "bot2", role: "Admin" });
    expect(renamed.replacesList).toEqual(["name"]);
    expect(Object.fromEntries(renamed.detaileddiffMap)).toEqual({
      name: { kind: providerPb.PropertyDiff.Kind.UPDATE_REPLACE, inputdiff: false },
      role: { kind: providerPb.PropertyDiff.Kind.UPDATE, inputdiff: false },
    });
    const org = await create("Organization", (await check("Organization", { name: "capped", acuLimit: 10 })).inputs);
    const uncapped = await diff("Organization", org.id, org.outs, { name: "capped", acuLimit: 10 }, { name: "capped" });
    expect(Object.fromEntries(uncapped.detaileddiffMap)).toEqual({
      acuLimit: { kind: providerPb.PropertyDiff.Kind.DELETE, inputdiff: false },
    });
    const same = await diff("Organization", org.id, org.outs, { name: "capped", acuLimit: 10 }, { name: "capped", acuLimit: 10 });
    expect(same.changes).toBe(providerPb.DiffResponse.DiffChanges.DIFF_NONE);
  });

  it("reads an object by its id alone for an import, with its inputs", async () => {
    const orgId = await emu.newOrg("imported");
    const req = new providerPb.ReadRequest();
    req.setUrn(urn("Organization", "imported"));
    req.setId(orgId);
    const res = await rpc<providerPb.ReadRequest, providerPb.ReadResponse>("read", req);
    expect(res.getId()).toBe(orgId);
    expect(res.getInputs()?.toJavaScript()).toEqual({ name: "imported" });
  });

  it("reads a service user of an org by its id alone, in its org", async () => {
    const orgId = await emu.newOrg("su-import");
    const su = await create("ServiceUser", (await check("ServiceUser", { orgId, name: "found", role: "Member" })).inputs);
    const req = new providerPb.ReadRequest();
    req.setUrn(urn("ServiceUser", "found"));
    req.setId(su.id);
    const res = await rpc<providerPb.ReadRequest, providerPb.ReadResponse>("read", req);
    expect(res.getInputs()?.toJavaScript()).toMatchObject({ orgId, name: "found", role: "Member" });
  });

  it("answers a function with its result, and a wrong call with what to give", async () => {
    await emu.newOrg("found");
    const req = new providerPb.InvokeRequest();
    req.setTok("devin:index:getOrganization");
    req.setArgs(struct({ name: "found" }));
    const res = await rpc<providerPb.InvokeRequest, providerPb.InvokeResponse>("invoke", req);
    expect(res.getReturn()?.toJavaScript()).toMatchObject({ name: "found" });
    req.setArgs(struct({ name: "found", orgId: "org-1" }));
    const both = (await rpc("invoke", req).catch((e: grpc.ServiceError) => e)) as grpc.ServiceError;
    expect(both.details).toBe("getOrganization takes exactly one of orgId, name; 2 given.");
  });

  it("exits when the engine that started it is gone", async () => {
    // A stand-in engine: starts the plugin, prints its pid, then is killed with SIGKILL.
    const engine = spawn(
      process.execPath,
      [
        "-e",
        `const c = require("child_process").spawn(${JSON.stringify(join(ROOT, "bin/pulumi-resource-devin"))}, ["127.0.0.1:1"], { stdio: ["ignore", "pipe", "inherit"] });
         c.stdout.once("data", () => console.log(c.pid));`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const pid = Number(await new Promise<string>((resolve) => engine.stdout?.once("data", (d: Buffer) => resolve(d.toString()))));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    engine.kill("SIGKILL");
    const started = Date.now();
    while (alive() && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
