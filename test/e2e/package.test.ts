import { execFile, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir, useTestEmulator } from "../support/emulator";
import { ROOT } from "../support/host";
import { PULUMI_PATH, TestStack } from "../support/pulumi";

/**
 * The package as a user gets it: the `npm pack` tarball, installed into a project of its own (outside this
 * repository) next to another @pulumi/pulumi than the one this repository develops with.
 */

const run = promisify(execFile);

let tarball: string;
let packed: string[];
beforeAll(async () => {
  const dir = tempDir("devin-pack-");
  // --ignore-scripts: the other suites run the built dist/ meanwhile; `prepare` would rebuild it under them.
  const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd: ROOT });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(dir, info.filename);
  packed = info.files.map((f) => f.path);
}, 120_000);

describe("the npm pack tarball", () => {
  it("holds the compiled package, both commands, the license, and every file the README links to", () => {
    for (const file of [
      "LICENSE",
      "README.md",
      "package.json",
      "dist/provider/index.js",
      "dist/provider/impl/index.js",
      "dist/provider/cli/main.js",
      "dist/emulator/cli.js",
    ]) {
      expect(packed, file).toContain(file);
    }
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) {
      const target = link.replace(/^\.\//, "").replace(/\/$/, "");
      expect(
        packed.some((p) => p === target || p.startsWith(`${target}/`)),
        `README links to ${link}, which the package lacks`,
      ).toBe(true);
    }
    expect(readme).not.toContain("../shared");
    // Nothing of the repository's own machinery ships.
    expect(
      packed.filter((p) => /^(test|scripts|\.ci)\//.test(p) || (p.endsWith(".ts") && !p.endsWith(".d.ts") && !p.startsWith("examples/"))),
    ).toEqual([]);
  });
});

/** Every copy of @pulumi/pulumi installed under a project, by its real path (pnpm links one copy from several places). */
function sdkCopies(dir: string): string[] {
  const found: string[] = [];
  const visit = (d: string, depth: number) => {
    if (depth > 12) return;
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      if (e === "pulumi" && d.endsWith(join("@pulumi")) && statSync(join(p, "package.json"), { throwIfNoEntry: false }))
        found.push(relative(dir, realpathSync(p)));
      else if (statSync(p, { throwIfNoEntry: false })?.isDirectory() && !p.endsWith(join("@pulumi", "pulumi"))) visit(p, depth + 1);
    }
  };
  visit(join(dir, "node_modules"), 0);
  return [...new Set(found)];
}

const emu = useTestEmulator();

/** The "Use it in your project" section of the README: the tests install and run what it says, so the two cannot drift. */
const readmeUse = (() => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Use it in your project"), readme.indexOf("### Configuration"));
  const block = (lang: string) => new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(section)?.[1] ?? "";
  const npm = /^npm install (pulumi-devin .*?)\s*(#.*)?$/m.exec(block("sh"))?.[1].split(/\s+/) ?? [];
  const pnpm = /`pnpm add ([^`]+)`/.exec(section)?.[1].split(/\s+/) ?? [];
  // The provider plugin's YAML program, from its own section.
  const plugin = readme.slice(readme.indexOf("### Other languages"), readme.indexOf("### Reference"));
  const pluginYaml = /```yaml\n(name: [\s\S]*?)```/.exec(plugin)?.[1] ?? "";
  return { npm, pnpm, pulumiYaml: block("yaml"), program: block("ts"), pluginYaml };
})();

/**
 * The README's install command for a package manager, with the tarball for `pulumi-devin` and `replace` applied
 * (`{ typescript: "typescript@5" }`).
 */
function readmeInstall(manager: "npm" | "pnpm", replace: Record<string, string> = {}): string[] {
  const args = readmeUse[manager].map((spec) => {
    const name = spec.replace(/(?<=.)@.*$/, "");
    return name === "pulumi-devin" ? tarball : (replace[name] ?? spec);
  });
  expect(args, `the README's ${manager} line installs pulumi-devin`).toContain(tarball);
  // pnpm@12: today's newest major, which a user running `pnpm` gets.
  return manager === "npm" ? ["npm", "install", "--no-audit", "--no-fund", ...args] : ["npx", "-y", "pnpm@12", "add", ...args];
}

/**
 * Node.js 22, installed once from the npm registry's `node` package into the shared cache, for the run with the newest
 * @pulumi/pulumi (which requires Node 22); the suite itself runs on Node 20.
 */
async function node22Bin(): Promise<string> {
  const cache = join(
    process.env.PULUMI_DEVIN_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "pulumi-devin"),
    "node-22",
  );
  const bin = join(cache, "node_modules", "node", "bin");
  if (!existsSync(join(bin, "node"))) {
    await run("npm", ["install", "--no-audit", "--no-fund", "--no-save", "--prefix", cache, "node@22"], {
      env: userEnv(),
      maxBuffer: 1 << 24,
    });
  }
  return bin;
}

/** The environment of a user's shell: none of the npm_* variables that `npm test` passes down to this process. */
function userEnv(path = process.env.PATH ?? ""): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, PATH: path };
}

/** A new directory with an empty `package.json` (what `npm init -y` writes, as the README says), the README's files and the examples' tsconfig.json. */
function userProject(label: string): string {
  const project = tempDir(`devin-user-${label}-`);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "devin-user", version: "1.0.0", private: true }));
  writeFileSync(join(project, "Pulumi.yaml"), readmeUse.pulumiYaml);
  writeFileSync(join(project, "index.ts"), readmeUse.program);
  copyFileSync(join(ROOT, "examples", "quickstart", "tsconfig.json"), join(project, "tsconfig.json"));
  return project;
}

/** Runs a command (a package manager, `npx tsc`) in `project`; returns what it printed, whether it succeeded or not. */
async function install(project: string, command: string[], path?: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(command[0], command.slice(1), { cwd: project, env: userEnv(path), maxBuffer: 1 << 24 });
    return { ok: true, output: stdout + stderr };
  } catch (e) {
    const { stdout = "", stderr = "" } = e as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  }
}

/** `npx devin-emulator` from the project's own node_modules: returns the URL it serves once it says so. */
async function startInstalledEmulator(project: string, token: string, path?: string): Promise<{ url: string; stop: () => Promise<void> }> {
  // Its own process group: npx runs the emulator as a child of its own, which outlives a kill of npx alone.
  const child = spawn("npx", ["--no-install", "devin-emulator", "--port", "0", "--token", token], {
    cwd: project,
    env: userEnv(path),
    detached: true,
  });
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => reject(new Error(`devin-emulator exited with ${code}: ${out}`)));
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return {
    url,
    stop: async () => {
      process.kill(-(child.pid as number), "SIGTERM");
      await exited;
    },
  };
}

const ENGINE_WARNING = /EBADENGINE|Unsupported engine|incompatible with this module/;

describe("a user's project installed the README's way", () => {
  it.each([
    ["npm", "Node 20, the README's line as written", {}, false],
    ["pnpm", "Node 20, the README's pnpm line, pnpm's symlinked layout", {}, false],
    ["npm", "Node 22 with the newest @pulumi/pulumi", { "@pulumi/pulumi": "@pulumi/pulumi@3.276.0" }, true],
    [
      "npm",
      "Node 20 with the oldest @pulumi/pulumi of the peer range and TypeScript 5",
      { "@pulumi/pulumi": "@pulumi/pulumi@3.216.0", typescript: "typescript@5" },
      false,
    ],
  ] satisfies ["npm" | "pnpm", string, Record<string, string>, boolean][])(
    "%s (%s): installs without an engine warning, one SDK copy, and preview, up, refresh and destroy work, then the plugin from YAML",
    async (manager, _label, replace: Record<string, string>, onNode22) => {
      const path = onNode22 ? `${await node22Bin()}:${process.env.PATH}` : process.env.PATH;
      const project = userProject(manager);
      const installed = await install(project, readmeInstall(manager, replace), path);
      expect(installed.ok, installed.output).toBe(true);
      expect(installed.output).not.toMatch(ENGINE_WARNING);
      // The emulator's server is bundled into the package: a provider user does not install it.
      expect(existsSync(join(project, "node_modules", "fastify"))).toBe(false);
      expect(sdkCopies(project)).toHaveLength(1);
      const sdk = JSON.parse(readFileSync(join(project, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as {
        version: string;
      };
      if (replace["@pulumi/pulumi"]) expect(`@pulumi/pulumi@${sdk.version}`).toBe(replace["@pulumi/pulumi"]);

      mkdirSync(join(project, ".work"), { recursive: true });
      const stack = await TestStack.forProject(emu(), project, undefined, join(project, ".work"));
      // As a user runs it: the tsconfig's noCheck decides, and Node is the one on the user's PATH.
      const asUser = { PULUMI_NODEJS_TRANSPILE_ONLY: "", PATH: `${PULUMI_PATH}:${path}` };
      const preview = await stack.ok(["preview"], undefined, asUser);
      expect(preview.stdout).toMatch(/\+ 3 to create/);
      expect(preview.stdout + preview.stderr).not.toMatch(/error TS|TSError/);
      await stack.ok(["up", "--yes", "--skip-preview"], undefined, asUser);
      const { engId, ciKey } = (await stack.outputs(true)) as unknown as Record<string, string>;
      expect(engId).toMatch(/^org-/);
      expect((await emu().call("GET", "/v3/self", undefined, ciKey)).status).toBe(200);
      await stack.ok(["preview", "--expect-no-changes"], undefined, asUser);
      await stack.ok(["refresh", "--yes", "--skip-preview"], undefined, asUser);
      // The README protects the organization: unprotect it, as a user would, to tear the stack down.
      await stack.ok(["state", "unprotect", "--all", "--yes"], undefined, asUser);
      await stack.ok(["destroy", "--yes", "--skip-preview"], undefined, asUser);
      expect((await emu().call<{ total: number }>("GET", "/v3/enterprise/organizations")).body.total).toBe(0);

      // The same install serves the provider plugin: the README's YAML program, which names it in node_modules.
      expect(readmeUse.pluginYaml).toContain("path: ./node_modules/pulumi-devin/bin");
      writeFileSync(join(project, "Pulumi.yaml"), readmeUse.pluginYaml);
      const yamlUp = await stack.ok(["up", "--yes", "--skip-preview"], undefined, asUser);
      expect(yamlUp.stdout).toMatch(/3 created/);
      const yamlKey = ((await stack.outputs(true)) as unknown as Record<string, string>).ciKey;
      expect((await emu().call("GET", "/v3/self", undefined, yamlKey)).status).toBe(200);
      await stack.ok(["preview", "--expect-no-changes"], undefined, asUser);
      await stack.ok(["destroy", "--yes", "--skip-preview"], undefined, asUser);
      expect((await emu().call<{ total: number }>("GET", "/v3/enterprise/organizations")).body.total).toBe(0);
      await stack.expectNoPlaintextSecrets();
    },
    400_000,
  );

  it("npx devin-emulator and startEmulator() from the installed package serve the API", async () => {
    const project = userProject("emulator");
    const installed = await install(project, readmeInstall("npm"));
    expect(installed.ok, installed.output).toBe(true);
    const token = emu().token;
    const served = await startInstalledEmulator(project, token);
    try {
      const res = await fetch(`${served.url}/v3/enterprise/organizations`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ items: [], total: 0 });
    } finally {
      await served.stop();
    }
    // Nothing of it is left running.
    await expect(fetch(`${served.url}/v3/self`)).rejects.toThrow();
    // A user's unit test, type-checked strictly and without skipLibCheck: the declarations name no Fastify or Ajv,
    // which the package bundles and does not install.
    writeFileSync(
      join(project, "emulator-check.ts"),
      [
        'import { startEmulator, SEEDED_ADMIN_NAME, type FaultRule } from "pulumi-devin/emulator";',
        'const rule: FaultRule = { kind: "rate-limit", path: "/v3/**", times: 1 };',
        "void startEmulator({ port: 0 }).then(async (e) => {",
        '  const r = await fetch(e.url + "/v3/self", { headers: { authorization: "Bearer " + e.token } });',
        "  const self = (await r.json()) as { service_user_name: string };",
        "  console.log(r.status, self.service_user_name === SEEDED_ADMIN_NAME, rule.kind);",
        "  await e.close();",
        "});",
      ].join("\n"),
    );
    const compilerOptions = { strict: true, module: "nodenext", moduleResolution: "nodenext", skipLibCheck: false, outDir: "out" };
    writeFileSync(join(project, "tsconfig.emulator.json"), JSON.stringify({ compilerOptions, files: ["emulator-check.ts"] }));
    const compiled = await install(project, ["npx", "--no-install", "tsc", "-p", "tsconfig.emulator.json"]);
    expect(compiled.ok, compiled.output).toBe(true);
    const { stdout } = await run("node", [join("out", "emulator-check.js")], { cwd: project, env: userEnv() });
    expect(stdout.trim()).toBe("200 true rate-limit");
  }, 300_000);

  it("TypeScript older than 5.6 (no noCheck) is refused at install, naming pulumi-devin's range", async () => {
    const project = userProject("old-ts");
    const installed = await install(project, readmeInstall("npm", { typescript: "typescript@5.5" }));
    expect(installed.ok).toBe(false);
    expect(installed.output).toContain("ERESOLVE");
    expect(installed.output).toMatch(/peerOptional typescript@">=5\.6\.0 <7\.0\.0" from pulumi-devin/);
  }, 300_000);
});
