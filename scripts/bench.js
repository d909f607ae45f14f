#!/usr/bin/env node
// `npm run bench -- [--n 100] [--latency-ms 50] [--rate-limit RPS] [--phases create,destroy] [--paths dynamic,yaml,ts]
//                   [--orgs-only] [--skip-floor] [--typecheck] [--write] [--keep]`
//
// Times the real Pulumi CLI on N orgs with a service user each, against the emulator with a latency per request
// (and optionally a per-token rate limit): create, a no-op up, preview, preview --refresh, an update of every object,
// destroy. Each phase runs on every path: the dynamic resources in a TypeScript program (the default), and the provider
// plugin driven by a Pulumi YAML program and by a TypeScript program on its SDK ("pulumi-devin/plugin"), each path
// against its own emulator with the same latency. Beside them it times the same phase for the same number of no-op
// dynamic resources (Pulumi's own floor for dynamic resources on this machine, measured in the same run) and prints
// the ratios, with the API requests each phase made. --orgs-only leaves the service users out: N orgs alone, the
// shape of the Terraform provider comparison in docs/benchmarks.md.
// --typecheck also times a preview with and without type-checking (PULUMI_NODEJS_TRANSPILE_ONLY). --write keeps the
// table in docs/benchmarks.md; --keep keeps the projects and their state for a closer look. Not a test: the numbers
// depend on the machine; the ratios are what to compare.
const { execFileSync, spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { parseArgs } = require("node:util");

const ROOT = path.join(__dirname, "..");
const { values } = parseArgs({
  options: {
    n: { type: "string", default: "100" },
    "latency-ms": { type: "string", default: "50" },
    "rate-limit": { type: "string" },
    "skip-floor": { type: "boolean", default: false },
    phases: { type: "string" },
    "orgs-only": { type: "boolean", default: false },
    paths: { type: "string", default: "dynamic,yaml,ts" },
    typecheck: { type: "boolean", default: false },
    write: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const N = Number(values.n);
const LATENCY = Number(values["latency-ms"]);
const RATE = values["rate-limit"] ? Number(values["rate-limit"]) : undefined;
const WITH_SERVICE_USERS = !values["orgs-only"];
if (!Number.isInteger(N) || N < 1) throw new Error("--n must be a whole number, 1 or more");

const pulumiPath = execFileSync("bash", [path.join(ROOT, "scripts/ensure-pulumi.sh")], { stdio: ["ignore", "pipe", "inherit"] })
  .toString()
  .trim();
const cliVersion = execFileSync("pulumi", ["version"], { env: { ...process.env, PATH: `${pulumiPath}:${process.env.PATH}` } })
  .toString()
  .trim();

// The three ways to run the same stack: each path's program and the config keys a phase sets on it.
const tsProgram = (module) => `import * as pulumi from "@pulumi/pulumi";
import * as devin from "${module}";
const config = new pulumi.Config();
const n = config.requireNumber("n");
const generation = config.getNumber("generation") ?? 0;
for (let i = 0; i < n; i++) {
  const org = new devin.Organization(\`org-\${i}\`, { name: \`bench-\${i}\`, acuLimit: 100 + generation });
  if (config.getBoolean("serviceUsers") !== false)
    new devin.ServiceUser(\`bot-\${i}\`, { orgId: org.orgId, name: \`bot-\${i}\`, role: generation ? "Admin" : "Member" });
}
`;
// YAML has no loops: the N pairs are written out; the values a phase changes come from config.
const yamlProgram = (n) =>
  [
    "name: bench-yaml",
    "runtime: yaml",
    `plugins:\n  providers:\n    - name: devin\n      path: ${path.join(ROOT, "bin")}`,
    "config:\n  acuLimit:\n    type: integer\n  role:\n    type: string",
    "resources:",
    ...Array.from(
      { length: n },
      (_, i) =>
        `  org-${i}:\n    type: devin:index:Organization\n    properties:\n      name: bench-${i}\n      acuLimit: \${acuLimit}` +
        (WITH_SERVICE_USERS
          ? `\n  bot-${i}:\n    type: devin:index:ServiceUser\n    properties:\n      orgId: \${org-${i}.orgId}\n      name: bot-${i}\n      role: \${role}`
          : ""),
    ),
    "",
  ].join("\n");
const pluginProviders = `plugins:\n  providers:\n    - name: devin\n      path: ${path.join(ROOT, "bin")}\n`;
const generationConfig = (generation) => [["generation", String(generation)]];
const PATHS = {
  dynamic: { label: "dynamic, TypeScript", files: () => tsProject(tsProgram("pulumi-devin")), config: generationConfig },
  yaml: {
    label: "plugin, YAML",
    files: () => ({ "Pulumi.yaml": yamlProgram(N) }),
    config: (generation) => [
      ["acuLimit", String(100 + generation)],
      ["role", generation ? "Admin" : "Member"],
    ],
  },
  ts: { label: "plugin, TypeScript", files: () => tsProject(tsProgram("pulumi-devin/plugin"), pluginProviders), config: generationConfig },
};
function tsProject(program, extra = "") {
  return {
    "Pulumi.yaml": `name: bench\nmain: index.ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n${extra}`,
    "index.ts": program,
  };
}

// The same number of resources, with the same dependency between each pair, whose provider does nothing.
const FLOOR_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: \`\${inputs.name}-\${Date.now()}\`, outs: inputs };
  },
  async diff(_id, olds, news) {
    return { changes: olds.generation !== news.generation };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
};
class Noop extends pulumi.dynamic.Resource {
  constructor(name: string, props: pulumi.Inputs) {
    super(provider, name, props);
  }
}
const config = new pulumi.Config();
const n = config.requireNumber("n");
const generation = config.getNumber("generation") ?? 0;
for (let i = 0; i < n; i++) {
  const org = new Noop(\`org-\${i}\`, { name: \`bench-\${i}\`, generation });
  if (config.getBoolean("serviceUsers") !== false) new Noop(\`bot-\${i}\`, { name: \`bot-\${i}\`, org: org.id, generation });
}
`;

const PHASES = [
  { name: "create (up)", args: ["up", "--yes", "--skip-preview"] },
  { name: "no-op up", args: ["up", "--yes", "--skip-preview"] },
  { name: "preview", args: ["preview"] },
  { name: "preview --refresh", args: ["preview", "--refresh"] },
  { name: "update every object (up)", args: ["up", "--yes", "--skip-preview"], generation: 1 },
  { name: "destroy", args: ["destroy", "--yes", "--skip-preview"] },
];

function project(dir, files) {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function cli(dir, env, args, input) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd: dir,
      env,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    if (input !== undefined) child.stdin.end(input);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) reject(new Error(`pulumi ${args.join(" ")} exited ${code}\n${out.slice(-4000)}`));
      else resolve(seconds);
    });
  });
}

/** An emulator with the run's latency and rate limit, and a count of the requests it has seen. */
async function benchEmulator() {
  const { startEmulator } = require(path.join(ROOT, "dist/emulator/server"));
  const emu = await startEmulator({ port: 0, controlPlane: true });
  const control = async (method, route, body) => {
    const res = await fetch(`${emu.url}/_emulator/${route}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`control plane ${method} ${route}: ${res.status}`);
    return res.status === 204 ? undefined : res.json();
  };
  await control("PUT", "faults", { faults: [{ kind: "latency", path: "/**", latencyMs: LATENCY }] });
  if (RATE) await control("PUT", "rate-limit", { requestsPerSecond: RATE });
  const requests = async () => (await control("GET", "requests")).requests;
  return { emu, requests };
}

async function main() {
  const work = path.join(ROOT, "test/e2e/.work", `bench-${Date.now()}`);
  const env = {
    ...process.env,
    PATH: `${pulumiPath}:${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${path.join(work, "backend")}`,
    PULUMI_HOME: path.join(work, "home"),
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    DEVIN_TOKEN: "",
    DEVIN_SERVICE_USER_TOKEN: "",
  };
  fs.mkdirSync(path.join(work, "backend"), { recursive: true });

  const names = values.paths.split(",").map((p) => p.trim());
  for (const name of names) if (!PATHS[name]) throw new Error(`--paths: unknown path '${name}' (dynamic, yaml, ts)`);
  const paths = [];
  for (const name of names) {
    const { emu, requests } = await benchEmulator();
    const dir = project(path.join(work, name), PATHS[name].files());
    await cli(dir, env, ["stack", "init", `bench-${name}`]);
    await cli(dir, env, ["config", "set", "n", String(N)]);
    await cli(dir, env, ["config", "set", "serviceUsers", String(WITH_SERVICE_USERS)]);
    for (const [key, value] of PATHS[name].config(0)) await cli(dir, env, ["config", "set", key, value]);
    await cli(dir, env, ["config", "set", "devin:apiUrl", emu.url]);
    await cli(dir, env, ["config", "set", "--secret", "devin:token"], emu.token);
    paths.push({ name, ...PATHS[name], dir, emu, requests });
  }
  const floorDir = values["skip-floor"] ? undefined : project(path.join(work, "floor"), tsProject(FLOOR_PROGRAM));
  if (floorDir) {
    await cli(floorDir, env, ["stack", "init", "bench-floor"]);
    await cli(floorDir, env, ["config", "set", "n", String(N)]);
    await cli(floorDir, env, ["config", "set", "serviceUsers", String(WITH_SERVICE_USERS)]);
  }

  const rows = [];
  let typecheck;
  // --phases keeps the named phases (by their first word: create, no-op, preview, update, destroy); create always runs.
  const wanted = values.phases ? values.phases.split(",").map((p) => p.trim()) : undefined;
  const selected = PHASES.filter((p) => !wanted || p.name.startsWith("create") || wanted.some((w) => p.name.startsWith(w)));
  for (const phase of selected) {
    const row = { phase: phase.name, seconds: {}, requests: {}, rateLimited: 0 };
    for (const p of paths) {
      if (phase.generation !== undefined)
        for (const [key, value] of p.config(phase.generation)) await cli(p.dir, env, ["config", "set", key, value]);
      const before = (await p.requests()).length;
      row.seconds[p.name] = await cli(p.dir, env, phase.args);
      const made = (await p.requests()).slice(before);
      row.requests[p.name] = made.length;
      row.rateLimited += made.filter((r) => r.status === 429).length;
    }
    if (floorDir) {
      if (phase.generation !== undefined) await cli(floorDir, env, ["config", "set", "generation", String(phase.generation)]);
      row.floor = await cli(floorDir, env, phase.args);
    }
    rows.push(row);
    console.error(
      `${phase.name}: ${paths.map((p) => `${p.label} ${row.seconds[p.name].toFixed(1)} s, ${row.requests[p.name]} requests`).join("; ")}` +
        `${row.floor ? `; floor ${row.floor.toFixed(1)} s` : ""}`,
    );
    const dynamic = paths.find((p) => p.name === "dynamic");
    if (phase.name === "no-op up" && values.typecheck && dynamic) {
      const checked = await cli(dynamic.dir, { ...env, PULUMI_NODEJS_TRANSPILE_ONLY: "false" }, ["preview"]);
      const transpiled = await cli(dynamic.dir, env, ["preview"]);
      typecheck = { checked, transpiled };
    }
  }
  for (const p of paths) await p.emu.close();
  if (values.keep) console.error(`kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });

  const f = (s) => (s === undefined ? "—" : s.toFixed(1));
  const ratio = (a, b) => (a !== undefined && b ? (a / b).toFixed(2) + "×" : "—");
  // One count when every path made the same requests (the minimum is the same for all), else each path's.
  const counts = (r) => {
    const all = paths.map((p) => r.requests[p.name]);
    return all.every((c) => c === all[0]) ? String(all[0]) : all.join(" / ");
  };
  const lines = [
    `N = ${N} orgs${WITH_SERVICE_USERS ? ` with a service user each (${2 * N} resources)` : " alone"}; ${LATENCY} ms latency per request${RATE ? `; rate limit ${RATE} requests/s per token` : ""}.`,
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, Pulumi ${cliVersion}, type-checking off (PULUMI_NODEJS_TRANSPILE_ONLY=true).`,
    "",
    `| Phase | ${paths.map((p) => `${p.label} (s)`).join(" | ")} | API requests | 429s | Floor: no-op dynamic resources (s) | Dynamic ÷ floor | ${paths
      .filter((p) => p.name !== "dynamic")
      .map((p) => `${p.label} ÷ dynamic`)
      .join(" | ")} |`,
    `|---|${paths.map(() => "---|").join("")}---|---|---|---|${paths
      .filter((p) => p.name !== "dynamic")
      .map(() => "---|")
      .join("")}`,
    ...rows.map((r) =>
      `| ${r.phase} | ${paths.map((p) => f(r.seconds[p.name])).join(" | ")} | ${counts(r)} | ${r.rateLimited} | ${f(r.floor)} | ${ratio(r.seconds.dynamic, r.floor)} | ${paths
        .filter((p) => p.name !== "dynamic")
        .map((p) => ratio(r.seconds[p.name], r.seconds.dynamic))
        .join(" | ")} |`.replace(/ \| \|$/, " |"),
    ),
  ];
  if (typecheck) {
    lines.push(
      "",
      `Type-checking: \`pulumi preview\` took ${typecheck.checked.toFixed(1)} s with it and ${typecheck.transpiled.toFixed(1)} s without (${(typecheck.transpiled / typecheck.checked).toFixed(2)}×).`,
    );
  }
  const table = lines.join("\n");
  console.log(table);
  if (values.write) {
    const file = path.join(ROOT, "docs/benchmarks.md");
    const head = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("<!-- results -->")[0] : "# Benchmarks\n\n";
    const existing = fs.existsSync(file) ? (fs.readFileSync(file, "utf8").split("<!-- results -->")[1] ?? "") : "";
    const section = `\n## N = ${N}${WITH_SERVICE_USERS ? "" : " orgs alone"}${RATE ? `, ${RATE} requests/s` : ""} (${new Date().toISOString().slice(0, 10)})\n\n${table}\n`;
    const kept = existing
      .split(/\n(?=## N = )/)
      .filter(
        (s) => s.trim() && !s.startsWith(`## N = ${N}${WITH_SERVICE_USERS ? "" : " orgs alone"}${RATE ? `, ${RATE} requests/s` : ""} (`),
      );
    fs.writeFileSync(file, `${head.trimEnd()}\n\n<!-- results -->\n${[...kept.map((s) => `\n${s.trim()}\n`), section].join("")}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
