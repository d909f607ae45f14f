import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { strictTypeCheck } from "../support/typecheck";

// The SDKs `npm run sdk` writes from schema.json for programs that use the pulumi-resource-devin plugin: that they are
// current, that each compiles with its language's own tools, and what the Node.js one sends the engine.
const root = join(__dirname, "..", "..");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };

const go = process.env.PULUMI_DEVIN_GO || (spawnSync("go", ["version"]).error ? "/usr/local/go/bin/go" : "go");
// As scripts/generate-sdks.js and scripts/ensure-pulumi.sh run Go.
const goEnv = { ...process.env, CGO_ENABLED: "0", GOFLAGS: `${process.env.GOFLAGS ?? ""} -mod=mod`.trim(), GOTOOLCHAIN: "local" };

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(command, args, { cwd: root, encoding: "utf8", ...options });
  if (r.error) throw r.error;
  return { status: r.status, output: `${String(r.stdout)}${String(r.stderr)}` };
}

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((p) => p.endsWith(suffix))
    .map((p) => join(dir, p));
}

function inTempDir<T>(use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "devin-sdks-"));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the SDKs generated from schema.json (npm run sdk)", () => {
  it("are what schema.json makes", () => {
    const check = run(process.execPath, [join(root, "scripts", "generate-sdks.js"), "--check"]);
    expect(check.output).toBe("");
    expect(check.status).toBe(0);
  }, 600_000);

  it("fail the check after a schema change without `npm run sdk`, naming each stale file", () => {
    inTempDir((copy) => {
      for (const path of ["scripts/generate-sdks.js", "sdk", "schema.json"])
        cpSync(join(root, path), join(copy, path), { recursive: true });
      const schemaPath = join(copy, "schema.json");
      writeFileSync(schemaPath, readFileSync(schemaPath, "utf8").replace('"description": "Display name', '"description": "Shown name'));
      const check = run(process.execPath, [join(copy, "scripts", "generate-sdks.js"), "--check"]);
      expect(check.status).toBe(1);
      expect(check.output).toContain("run `npm run sdk`");
      for (const stale of ["sdk/nodejs/organization.ts", "sdk/python/pulumi_devin/organization.py", "sdk/go/devin/organization.go"])
        expect(check.output).toContain(stale);
      expect(check.output).not.toContain("sdk/nodejs/serviceUser.ts");
    });
  }, 300_000);

  it("Node.js: the SDK and a program importing pulumi-devin/plugin type-check (tsc --noEmit, strict)", () => {
    inTempDir((dir) => {
      // A user's program: the one-line switch from "pulumi-devin", with an argument the type refuses.
      writeFileSync(
        join(dir, "program.ts"),
        [
          'import * as devin from "pulumi-devin/plugin";',
          'const org = new devin.Organization("x", { name: "y" });',
          'export const ci = new devin.ServiceUser("ci", { orgId: org.orgId, name: "ci", role: "Member" }).apiKey;',
          "export const self = devin.getSelfOutput();",
          "// @ts-expect-error: an argument the resource does not have",
          'new devin.Organization("z", { nam: "y" });',
        ].join("\n"),
      );
      // "pulumi-devin/plugin" resolves as in a user's project, through node_modules and the package's exports, to the
      // built dist/sdk/nodejs (`npm run build`, which `npm test` runs first).
      symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
      const tsc = strictTypeCheck(dir, [join(root, "sdk", "nodejs", "**", "*.ts"), join(dir, "program.ts")]);
      expect(tsc.output).toBe("");
      expect(tsc.status).toBe(0);
    });
  }, 120_000);

  it("Node.js: pulumi-devin/plugin registers devin:index:<Type> and invokes devin:index:get<Thing> for plugin devin at this package's version, with secret outputs", () => {
    // In a process of its own: Pulumi's runtime keeps its mocks on `global`. The monitor is wrapped to see the
    // requests as the engine gets them.
    const program = `
      const pulumi = require("@pulumi/pulumi");
      const settings = require("@pulumi/pulumi/runtime/settings");
      const seen = [];
      (async () => {
        await pulumi.runtime.setMocks({
          newResource: (a) => ({ id: a.name + "-id", state: a.inputs }),
          call: () => ({ principalType: "service_user", orgId: null, serviceUserId: "su-1", serviceUserName: "ci" }),
        }, "p", "s", false);
        const monitor = settings.getMonitor();
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, cb) => {
          seen.push({ type: req.getType(), version: req.getVersion(), secret: req.getAdditionalsecretoutputsList() });
          return register(req, cb);
        };
        const invoke = monitor.invoke.bind(monitor);
        monitor.invoke = (req, cb) => {
          seen.push({ invoke: req.getTok(), version: req.getVersion() });
          return invoke(req, cb);
        };
        const devin = require("pulumi-devin/plugin");
        new devin.Organization("eng", { name: "Engineering" });
        new devin.ServiceUser("ci", { orgId: "org-1", name: "ci", role: "Member" });
        new devin.ApiKey("key", { serviceUserId: "su-1" });
        new devin.Secret("s", { orgId: "org-1", key: "K", value: "v" });
        const self = await devin.getSelf();
        await settings.waitForRPCs();
        console.log(JSON.stringify({ seen, self: self.serviceUserName }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const r = run(process.execPath, ["-e", program]);
    expect(r.status, r.output).toBe(0);
    const { seen, self } = JSON.parse(r.output) as { seen: Record<string, unknown>[]; self: string };
    expect(self).toBe("ci");
    const byType = (t: string) => seen.find((s) => s.type === t || s.invoke === t);
    expect(byType("devin:index:getSelf")).toEqual({ invoke: "devin:index:getSelf", version });
    expect(byType("devin:index:Organization")).toEqual({ type: "devin:index:Organization", version, secret: [] });
    expect(byType("devin:index:ServiceUser")).toMatchObject({ version, secret: ["apiKey"] });
    expect(byType("devin:index:ApiKey")).toMatchObject({ version, secret: ["key"] });
    expect(byType("devin:index:Secret")).toMatchObject({ version, secret: ["value"] });
  }, 60_000);

  it("Go: the module builds and passes go vet against github.com/pulumi/pulumi/sdk/v3, and is complete (go.mod, go.sum)", () => {
    const dir = join(root, "sdk", "go");
    const modules = ["go.mod", "go.sum"].map((f) => readFileSync(join(dir, f), "utf8"));
    expect(modules[0]).toMatch(/^module github\.com\/pulumi-devin\/pulumi-devin\/sdk\/go$/m);
    expect(modules[0]).toMatch(/^\s*github\.com\/pulumi\/pulumi\/sdk\/v3 v3\.248\.0$/m);
    const build = run(go, ["build", "./..."], { cwd: dir, env: goEnv });
    expect(build.output).toBe("");
    expect(build.status).toBe(0);
    const vet = run(go, ["vet", "./..."], { cwd: dir, env: goEnv });
    expect(vet.output).toBe("");
    expect(vet.status).toBe(0);
    // -mod=mod would have added what a build needed: nothing was missing.
    expect(["go.mod", "go.sum"].map((f) => readFileSync(join(dir, f), "utf8"))).toEqual(modules);
    // The secret outputs, as the Go SDK marks them.
    expect(readFileSync(join(dir, "devin", "serviceUser.go"), "utf8")).toMatch(/AdditionalSecretOutputs\(\[\]string\{\s*"apiKey",\s*\}\)/);
  }, 600_000);

  it("Python: every module compiles (py_compile), and marks the secret outputs", () => {
    const dir = join(root, "sdk", "python");
    const sources = filesUnder(dir, ".py");
    expect(sources.map((p) => relative(dir, p))).toEqual(
      expect.arrayContaining(["setup.py", "pulumi_devin/organization.py", "pulumi_devin/get_self.py"]),
    );
    inTempDir((cache) => {
      // The bytecode goes to a directory of its own, not into sdk/python.
      const compiled = run("python3", ["-m", "py_compile", ...sources], { env: { ...process.env, PYTHONPYCACHEPREFIX: cache } });
      expect(compiled.output).toBe("");
      expect(compiled.status).toBe(0);
    });
    expect(existsSync(join(dir, "pulumi_devin", "__pycache__"))).toBe(false);
    for (const [file, output] of [
      ["service_user.py", "apiKey"],
      ["api_key.py", "key"],
      ["secret.py", "value"],
    ])
      expect(readFileSync(join(dir, "pulumi_devin", file), "utf8")).toContain(`additional_secret_outputs=["${output}"]`);
  }, 60_000);
});
