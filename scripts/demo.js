#!/usr/bin/env node
// `npm run demo [-- up|preview|refresh|secrets|destroy]`: examples/quickstart, run in place against the embedded
// emulator, through the real Pulumi CLI with a local file backend. Everything it keeps lives in .demo/ (gitignored).
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { startEmulator } = require("../dist/emulator");

const ROOT = path.join(__dirname, "..");
const DEMO = path.join(ROOT, ".demo");
/** The quickstart runs in place, as a user would run it; its stack config lives in .demo, not in the example. */
const PROJECT = path.join(ROOT, "examples", "quickstart");
/** The commands that read the stack config, and so take --config-file. */
const READS_CONFIG = new Set(["config", "up", "preview", "refresh", "destroy"]);
const PORT = Number(process.env.DEVIN_EMULATOR_PORT || 18787);
// Its own stack name, so that the demo never touches a Pulumi.dev.yaml of someone running the example by hand.
const STACK = "demo";
const CONFIG_FILE = path.join(DEMO, `Pulumi.${STACK}.yaml`);
// A documented default so the demo needs no prompt; set PULUMI_CONFIG_PASSPHRASE to use your own.
const PASSPHRASE = process.env.PULUMI_CONFIG_PASSPHRASE ?? "pulumi-devin-demo";
const ACTIONS = ["up", "preview", "refresh", "secrets", "destroy"];

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

function pulumiEnv(pathPrefix) {
  return {
    ...process.env,
    PATH: `${pathPrefix}:${process.env.PATH}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_BACKEND_URL: `file://${path.join(DEMO, "backend")}`,
    PULUMI_HOME: path.join(DEMO, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
}

/** Runs the CLI without blocking this process, which also serves the emulator. */
function pulumi(env, args, { capture = false, input } = {}) {
  return new Promise((resolve, reject) => {
    const full = READS_CONFIG.has(args[0]) ? [...args, "--config-file", CONFIG_FILE] : args;
    const child = spawn("pulumi", full, {
      cwd: PROJECT,
      env,
      stdio: [input === undefined ? "ignore" : "pipe", capture ? "pipe" : "inherit", "inherit"],
    });
    let stdout = "";
    child.stdout?.on("data", (d) => (stdout += d));
    if (input !== undefined) child.stdin.end(input);
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) return resolve(stdout);
      const err = new Error(`pulumi ${args.join(" ")} exited with ${code}`);
      err.exitCode = code ?? 1;
      reject(err);
    });
  });
}

const mask = (key) => (typeof key === "string" && key.length > 12 ? `${key.slice(0, 4)}…${key.slice(-4)}` : "[secret]");

async function summary(env) {
  const out = JSON.parse((await pulumi(env, ["stack", "output", "--json", "--show-secrets"], { capture: true })) || "{}");
  const [last] = JSON.parse((await pulumi(env, ["stack", "history", "--json"], { capture: true })) || "[]");
  const changes = last?.resourceChanges ?? {};
  const changed = Object.entries(changes).filter(([kind, n]) => kind !== "same" && n > 0);
  console.log(`\n${bold("pulumi-devin quickstart")} (stack ${STACK}, emulator at http://127.0.0.1:${PORT})`);
  const verb = { create: "created", update: "updated", delete: "deleted", replace: "replaced" };
  console.log(
    changed.length === 0
      ? "No changes: the Devin enterprise already matches the program."
      : `Applied: ${changed.map(([k, n]) => `${n} ${verb[k] ?? k}`).join(", ")} (the count includes the stack itself on its first run).`,
  );
  console.log("\nOrganizations");
  for (const [key, orgId] of Object.entries(out.orgIds ?? {})) {
    const limit = out.acuLimits?.[key];
    console.log(`  ${key.padEnd(12)} ${orgId}  ACU limit per cycle: ${limit ?? "none"}`);
  }
  console.log("\nService users (API keys masked)");
  for (const [key, su] of Object.entries(out.serviceUsers ?? {})) {
    console.log(`  ${key.padEnd(12)} ${su.serviceUserId}  role ${su.role} in ${su.orgId}  key ${mask(out.apiKeys?.[key])}`);
  }
  console.log(`
Next:
  npm run demo -- preview   review changes (what a pull request shows)
  npm run demo -- secrets   show the API keys in clear
  npm run demo -- refresh   pull changes made outside Pulumi into the stack
  npm run demo -- destroy   delete everything the quickstart created`);
}

async function main() {
  const action = process.argv[2] ?? "up";
  if (!ACTIONS.includes(action)) {
    console.error(`usage: npm run demo [-- ${ACTIONS.join("|")}]`);
    process.exit(2);
  }
  fs.mkdirSync(path.join(DEMO, "backend"), { recursive: true });

  const pathPrefix = execFileSync("bash", [path.join(ROOT, "scripts/ensure-pulumi.sh")], { stdio: ["ignore", "pipe", "inherit"] })
    .toString()
    .trim();
  const env = pulumiEnv(pathPrefix);

  // The emulator's admin token is local to this machine; only its hash is in the emulator's state.
  const tokenFile = path.join(DEMO, "emulator-token");
  const savedToken = fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, "utf8").trim() : undefined;
  let emulator;
  try {
    emulator = await startEmulator({ port: PORT, stateDir: path.join(DEMO, "emulator-state"), token: savedToken });
  } catch (e) {
    if (e.code === "EADDRINUSE") throw new Error(`port ${PORT} is in use; set DEVIN_EMULATOR_PORT to a free port`);
    throw e;
  }
  fs.writeFileSync(tokenFile, emulator.token, { mode: 0o600 });
  console.log(`Devin API emulator: ${emulator.url} (state in .demo/emulator-state)`);

  try {
    await pulumi(env, ["stack", "select", "--create", STACK], { capture: true });
    // Creating the stack writes its config file (with the passphrase's salt) into the project: it belongs in .demo.
    const created = path.join(PROJECT, `Pulumi.${STACK}.yaml`);
    if (fs.existsSync(created) && !fs.existsSync(CONFIG_FILE)) fs.renameSync(created, CONFIG_FILE);
    await pulumi(env, ["config", "set", "devin:apiUrl", emulator.url], { capture: true });
    // Through stdin, so the token never appears in a process listing.
    await pulumi(env, ["config", "set", "--secret", "devin:token"], { capture: true, input: emulator.token });

    if (action === "up") {
      await pulumi(env, ["up", "--yes"]);
      await summary(env);
    } else if (action === "preview") {
      await pulumi(env, ["preview", "--diff"]);
    } else if (action === "refresh") {
      await pulumi(env, ["refresh", "--yes"]);
    } else if (action === "secrets") {
      await pulumi(env, ["stack", "output", "apiKeys", "--show-secrets"]);
    } else if (action === "destroy") {
      await pulumi(env, ["destroy", "--yes"]);
      console.log("\nDestroyed. `npm run demo` creates everything again.");
    }
  } finally {
    await emulator.close();
  }
}

main().catch((e) => {
  console.error(`demo: ${e.message}`);
  process.exit(e.exitCode ?? 1);
});
