#!/usr/bin/env node
// `npm run sdk`: the Node.js, Python and Go SDKs (sdk/nodejs, sdk/python, sdk/go) that programs use with the
// pulumi-resource-devin plugin, written from schema.json by the Go program in sdk/gen (pkg/v3's own generators), then
// `go mod tidy` for the Go SDK's module. Run it after `npm run schema`. With --check it writes nothing and fails
// naming each file that is not what schema.json makes (test/provider/sdks.test.ts runs that).
//
// Needs Go (PULUMI_DEVIN_GO, else `go` on PATH, else /usr/local/go/bin/go) and the modules of sdk/gen/go.sum, which
// the module proxy serves on a machine that has not built them yet.
const { spawnSync } = require("node:child_process");
const { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync, unlinkSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { dirname, join, relative } = require("node:path");

const root = join(__dirname, "..");
const LANGUAGES = ["nodejs", "python", "go"];

/** The Go toolchain, found as scripts/ensure-pulumi.sh finds it (PULUMI_DEVIN_GO set but empty means none). */
function goBinary() {
  const named = process.env.PULUMI_DEVIN_GO ?? (spawnSync("go", ["version"], { stdio: "ignore" }).error ? "/usr/local/go/bin/go" : "go");
  if (named && (named === "go" || existsSync(named))) return named;
  throw new Error("npm run sdk needs Go (>= 1.25): put `go` on PATH or name it in PULUMI_DEVIN_GO");
}

// As scripts/ensure-pulumi.sh builds the CLI: no cgo, module files may be completed, the installed toolchain only.
const goEnv = {
  ...process.env,
  CGO_ENABLED: "0",
  GOFLAGS: `${process.env.GOFLAGS ?? ""} -mod=mod`.trim(),
  GOTOOLCHAIN: "local",
};

function run(go, args, cwd) {
  const r = spawnSync(go, args, { cwd, env: goEnv, encoding: "utf8" });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`\`go ${args.join(" ")}\` in ${relative(root, cwd) || "."} failed:\n${r.stderr}`);
}

// What building or installing an SDK in place leaves (its own .gitignore lists them): neither generated nor stale.
const BUILD_OUTPUT = new Set(["node_modules", "bin", "__pycache__", "build", "dist"]);

/** Every file under dir, as paths relative to it with forward slashes. */
function listFiles(dir, base = dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return BUILD_OUTPUT.has(e.name) ? [] : listFiles(full, base);
    return [relative(base, full).split("\\").join("/")];
  });
}

/** Writes the SDKs of schemaPath into a new temporary directory, `<tmp>/<language>/...`, and returns it. */
function generate(schemaPath) {
  const go = goBinary();
  const out = mkdtempSync(join(tmpdir(), "pulumi-devin-sdk-"));
  try {
    // With the flags scripts/ensure-pulumi.sh builds the CLI with: the pkg/v3 packages it compiled are reused (a
    // generator built from a cold cache takes minutes on 2 cores, from the CLI's about 20 seconds).
    run(go, ["run", "-trimpath", "-tags", "osusergo,grpcnotrace", ".", schemaPath, out], join(root, "sdk", "gen"));
    run(go, ["mod", "tidy"], join(out, "go"));
  } catch (e) {
    rmSync(out, { recursive: true, force: true });
    throw e;
  }
  return out;
}

/** The paths under sdk/ that differ between the generated tree and the checked-in one (added, changed, left over). */
function differences(generated) {
  const stale = [];
  for (const language of LANGUAGES) {
    const made = join(generated, language);
    const here = join(root, "sdk", language);
    const madeFiles = listFiles(made);
    for (const path of madeFiles) {
      const now = existsSync(join(here, path)) ? readFileSync(join(here, path)) : undefined;
      if (!now || !now.equals(readFileSync(join(made, path)))) stale.push(`sdk/${language}/${path}`);
    }
    const wanted = new Set(madeFiles);
    for (const path of listFiles(here)) if (!wanted.has(path)) stale.push(`sdk/${language}/${path}`);
  }
  return stale.sort();
}

function main() {
  const check = process.argv.includes("--check");
  const started = Date.now();
  const generated = generate(join(root, "schema.json"));
  try {
    const stale = differences(generated);
    if (check) {
      if (stale.length > 0) {
        console.error(`These files are not what schema.json makes; run \`npm run sdk\`:\n  ${stale.join("\n  ")}`);
        process.exitCode = 1;
      }
      return;
    }
    for (const path of stale) {
      const [, language, ...rest] = path.split("/");
      const from = join(generated, language, ...rest);
      const to = join(root, path);
      if (existsSync(from)) {
        mkdirSync(dirname(to), { recursive: true });
        writeFileSync(to, readFileSync(from));
        console.log(`wrote ${path}`);
      } else {
        unlinkSync(to);
        console.log(`removed ${path}`);
      }
    }
    console.log(`sdk: ${stale.length} file(s) changed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  } finally {
    rmSync(generated, { recursive: true, force: true });
  }
}

try {
  main();
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
