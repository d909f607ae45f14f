import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir, useTestEmulator } from "../support/emulator";
import { ROOT } from "../support/host";
import { TestStack } from "../support/pulumi";

/**
 * The package as a user gets it: the `npm pack` tarball, installed into a project of its own (outside this
 * repository) next to another @pulumi/pulumi than the one this repository develops with.
 */

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; devDependencies: Record<string, string> };

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

describe("a user's project with the tarball", () => {
  it.each([
    ["npm", "3.276.0", "the newest @pulumi/pulumi"],
    ["npm", "3.216.0", "the oldest @pulumi/pulumi of the peer range"],
    ["pnpm", "3.276.0", "pnpm's symlinked layout"],
  ])(
    "%s with @pulumi/pulumi %s (%s): one SDK copy, and up, preview, refresh and destroy work",
    async (manager, sdk) => {
      expect(sdk).not.toBe(pkg.devDependencies["@pulumi/pulumi"]);
      const project = tempDir(`devin-user-${manager}-`);
      writeFileSync(
        join(project, "package.json"),
        JSON.stringify({ name: "devin-user", private: true, dependencies: { "pulumi-devin": `file:${tarball}`, "@pulumi/pulumi": sdk } }),
      );
      writeFileSync(
        join(project, "Pulumi.yaml"),
        "name: devin-user\nmain: index.ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
      );
      writeFileSync(
        join(project, "index.ts"),
        [
          'import * as devin from "pulumi-devin";',
          'const org = new devin.Organization("eng", { name: "Engineering", acuLimit: 100 });',
          'const bot = new devin.ServiceUser("bot", { orgId: org.orgId, name: "bot", role: "Member" });',
          "export const orgId = org.orgId;",
          "export const key = bot.apiKey;",
          "",
        ].join("\n"),
      );
      const install = manager === "npm" ? ["npm", ["install", "--no-audit", "--no-fund"]] : ["npx", ["-y", "pnpm@9", "install"]];
      await run(install[0] as string, install[1] as string[], {
        cwd: project,
        env: { ...process.env, npm_config_engine_strict: "false" },
        maxBuffer: 1 << 24,
      });
      expect(sdkCopies(project)).toHaveLength(1);

      mkdirSync(join(project, ".work"), { recursive: true });
      const stack = await TestStack.forProject(emu(), project, undefined, join(project, ".work"));
      await stack.ok(["up", "--yes", "--skip-preview"]);
      const { orgId, key } = (await stack.outputs(true)) as unknown as Record<string, string>;
      expect(orgId).toMatch(/^org-/);
      expect((await emu().call("GET", "/v3/self", undefined, key)).status).toBe(200);
      await stack.ok(["preview", "--expect-no-changes"]);
      await stack.ok(["refresh", "--yes", "--skip-preview"]);
      await stack.ok(["destroy", "--yes", "--skip-preview"]);
      expect((await emu().call<{ total: number }>("GET", "/v3/enterprise/organizations")).body.total).toBe(0);
      await stack.expectNoPlaintextSecrets();
    },
    300_000,
  );
});
