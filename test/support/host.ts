import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
export const ROOT = join(__dirname, "../..");

export interface Shim {
  bytes: number;
  containsSecrets: boolean;
  requires: string[];
  text: string;
}

/** The providers serialized by plain Node from the compiled package, as `pulumi up` does (not under vitest). */
export function serializedShims(env: NodeJS.ProcessEnv = process.env): Record<"organization" | "serviceUser", Shim> {
  return JSON.parse(execFileSync(process.execPath, [join(ROOT, "scripts/measure-shims.js"), "--json"], { cwd: ROOT, env }).toString());
}

/* eslint-disable @typescript-eslint/no-explicit-any */
const grpc = require("@grpc/grpc-js") as any;
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as any;
const providerPb = require("@pulumi/pulumi/proto/provider_pb") as any;
const structPb = require("google-protobuf/google/protobuf/struct_pb") as any;

/** Pulumi's wire form of a secret value, which the host unwraps before `configure`. */
export const rpcSecret = (value: string) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

type Props = Record<string, unknown>;

/**
 * The real dynamic-provider host that ships in @pulumi/pulumi, spawned as the engine spawns it (cwd = the project,
 * here the repo root where `pulumi-devin` is installed), driven over gRPC.
 */
export class DynamicHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
    readonly output: string[],
  ) {}

  static async start(): Promise<DynamicHost> {
    const entry = join(ROOT, "node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js");
    const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
      cwd: ROOT,
      env: { ...process.env, PULUMI_NODEJS_PROJECT: "devin-host-test", DEVIN_TOKEN: "", DEVIN_API_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    child.stderr?.on("data", (d: Buffer) => output.push(d.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim().split("\n")[0]));
      child.once("exit", (code) => reject(new Error(`host exited ${code}: ${output.join("")}`)));
    });
    child.stdout?.on("data", (d: Buffer) => output.push(d.toString()));
    const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new DynamicHost(child, client, output);
  }

  private rpc<T>(method: string, req: unknown): Promise<T> {
    return new Promise((resolve, reject) => this.client[method](req, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
  }

  async configure(config: Props): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const req = new providerPb.ConfigureRequest();
    req.setArgs(structPb.Struct.fromJavaScript(config));
    const res = await this.rpc<any>("configure", req);
    return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview() };
  }

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new providerPb.CheckRequest();
    req.setUrn(urn);
    req.setOlds(structPb.Struct.fromJavaScript(olds));
    req.setNews(structPb.Struct.fromJavaScript(news));
    const res = await this.rpc<any>("check", req);
    return {
      inputs: res.getInputs().toJavaScript(),
      failures: res.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: number; replaces: string[] }> {
    const req = new providerPb.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(structPb.Struct.fromJavaScript(olds));
    req.setNews(structPb.Struct.fromJavaScript(news));
    const res = await this.rpc<any>("diff", req);
    return { changes: res.getChanges(), replaces: res.getReplacesList() };
  }

  async create(urn: string, props: Props): Promise<{ id: string; properties: Props }> {
    const req = new providerPb.CreateRequest();
    req.setUrn(urn);
    req.setProperties(structPb.Struct.fromJavaScript(props));
    const res = await this.rpc<any>("create", req);
    return { id: res.getId(), properties: res.getProperties().toJavaScript() };
  }

  async read(urn: string, id: string, props: Props): Promise<{ id: string; properties: Props; inputs?: Props }> {
    const req = new providerPb.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(structPb.Struct.fromJavaScript(props));
    const res = await this.rpc<any>("read", req);
    return { id: res.getId(), properties: res.getProperties()?.toJavaScript(), inputs: res.getInputs()?.toJavaScript() };
  }

  async update(urn: string, id: string, olds: Props, news: Props): Promise<{ properties: Props }> {
    const req = new providerPb.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(structPb.Struct.fromJavaScript(olds));
    req.setNews(structPb.Struct.fromJavaScript(news));
    const res = await this.rpc<any>("update", req);
    return { properties: res.getProperties().toJavaScript() };
  }

  async delete(urn: string, id: string, props: Props): Promise<void> {
    const req = new providerPb.DeleteRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(structPb.Struct.fromJavaScript(props));
    await this.rpc("delete", req);
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }
}
