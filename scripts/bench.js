#!/usr/bin/env node
// `npm run bench -- [--n 100] [--latency-ms 50] [--rate-limit RPS] [--phases create,destroy] [--skip-floor] [--typecheck] [--write] [--keep]`
//
// Times the real Pulumi CLI on N orgs with a service user each, against the emulator with a latency per request
// (and optionally a per-token rate limit): create, a no-op up, preview, preview --refresh, an update of every object,
// destroy. Beside each phase it times the same phase for the same number of no-op dynamic resources (Pulumi's own
// floor on this machine, measured in the same run) and prints the ratio, with the API requests each phase made.
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
    typecheck: { type: "boolean", default: false },
    write: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const N = Number(values.n);
const LATENCY = Number(values["latency-ms"]);
const RATE = values["rate-limit"] ? Number(values["rate-limit"]) : undefined;
if (!Number.isInteger(N) || N < 1) throw new Error("--n must be a whole number, 1 or more");

const pulumiPath = execFileSync("bash", [path.join(ROOT, "scripts/ensure-pulumi.sh")], { stdio: ["ignore", "pipe", "inherit"] })
  .toString()
  .trim();
const cliVersion = execFileSync("pulumi", ["version"], { env: { ...process.env, PATH: `${pulumiPath}:${process.env.PATH}` } })
  .toString()
  .trim();

const DEVIN_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as devin from "pulumi-devin";
const config = new pulumi.Config();
const n = config.requireNumber("n");
const generation = config.getNumber("generation") ?? 0;
for (let i = 0; i < n; i++) {
  const org = new devin.Organization(\`org-\${i}\`, { name: \`bench-\${i}\`, acuLimit: 100 + generation });
  new devin.ServiceUser(\`bot-\${i}\`, { orgId: org.orgId, name: \`bot-\${i}\`, role: generation ? "Admin" : "Member" });
}
`;

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
  new Noop(\`bot-\${i}\`, { name: \`bot-\${i}\`, org: org.id, generation });
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

function project(dir, name, program) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: ${name}\nmain: index.ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
  );
  fs.writeFileSync(path.join(dir, "index.ts"), program);
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

async function main() {
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
  const requestCount = async () => (await control("GET", "requests")).requests.length;

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
  const devinDir = project(path.join(work, "devin"), "bench-devin", DEVIN_PROGRAM);
  const floorDir = project(path.join(work, "floor"), "bench-floor", FLOOR_PROGRAM);

  async function stack(dir, devinConfig) {
    await cli(dir, env, ["stack", "init", "bench"]);
    await cli(dir, env, ["config", "set", "n", String(N)]);
    if (devinConfig) {
      await cli(dir, env, ["config", "set", "devin:apiUrl", emu.url]);
      await cli(dir, env, ["config", "set", "--secret", "devin:token"], emu.token);
    }
  }
  await stack(devinDir, true);
  if (!values["skip-floor"]) await stack(floorDir, false);

  const rows = [];
  let typecheck;
  // --phases keeps the named phases (by their first word: create, no-op, preview, update, destroy); create always runs.
  const wanted = values.phases ? values.phases.split(",").map((p) => p.trim()) : undefined;
  const selected = PHASES.filter((p) => !wanted || p.name.startsWith("create") || wanted.some((w) => p.name.startsWith(w)));
  for (const phase of selected) {
    const row = { phase: phase.name };
    if (phase.generation !== undefined) {
      await cli(devinDir, env, ["config", "set", "generation", String(phase.generation)]);
      if (!values["skip-floor"]) await cli(floorDir, env, ["config", "set", "generation", String(phase.generation)]);
    }
    const before = await requestCount();
    row.devin = await cli(devinDir, env, phase.args);
    row.requests = (await requestCount()) - before;
    row.rateLimited = (await control("GET", "requests")).requests.slice(before).filter((r) => r.status === 429).length;
    if (!values["skip-floor"]) row.floor = await cli(floorDir, env, phase.args);
    rows.push(row);
    console.error(
      `${phase.name}: ${row.devin.toFixed(1)} s, ${row.requests} requests${row.floor ? `, floor ${row.floor.toFixed(1)} s` : ""}`,
    );
    if (phase.name === "no-op up" && values.typecheck) {
      const checked = await cli(devinDir, { ...env, PULUMI_NODEJS_TRANSPILE_ONLY: "false" }, ["preview"]);
      const transpiled = await cli(devinDir, env, ["preview"]);
      typecheck = { checked, transpiled };
    }
  }
  await emu.close();
  if (values.keep) console.error(`kept ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });

  const f = (s) => (s === undefined ? "—" : s.toFixed(1));
  const lines = [
    `N = ${N} orgs with a service user each (${2 * N} resources); ${LATENCY} ms latency per request${RATE ? `; rate limit ${RATE} requests/s per token` : ""}.`,
    `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, Pulumi ${cliVersion}, type-checking off (PULUMI_NODEJS_TRANSPILE_ONLY=true).`,
    "",
    "| Phase | pulumi-devin (s) | API requests | 429s | Floor: no-op dynamic resources (s) | Ratio to floor |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.phase} | ${f(r.devin)} | ${r.requests} | ${r.rateLimited} | ${f(r.floor)} | ${r.floor ? (r.devin / r.floor).toFixed(2) + "×" : "—"} |`,
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
    const section = `\n## N = ${N}${RATE ? `, ${RATE} requests/s` : ""} (${new Date().toISOString().slice(0, 10)})\n\n${table}\n`;
    const kept = existing
      .split(/\n(?=## N = )/)
      .filter((s) => s.trim() && !s.startsWith(`## N = ${N}${RATE ? `, ${RATE} requests/s` : ""} (`));
    fs.writeFileSync(file, `${head.trimEnd()}\n\n<!-- results -->\n${[...kept.map((s) => `\n${s.trim()}\n`), section].join("")}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
