import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, vi } from "vitest";
import { startTestEmulator, type TestEmulator } from "./emulator";
import { ROOT } from "./host";

// Every test that drives the CLI runs several Pulumi commands, each starting Node processes; on a busy 2-core machine
// one test can take a minute or more.
vi.setConfig({ testTimeout: 240_000 });

/** The PATH prefix with `pulumi`, its Node.js language host and the dynamic-provider host (built once, cached). */
export const PULUMI_PATH = execFileSync("bash", [join(ROOT, "scripts/ensure-pulumi.sh")], { stdio: ["ignore", "pipe", "inherit"] })
  .toString()
  .trim();

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * What test/e2e/program deploys. Besides `key` (and a service user's `org`, the key of an org of the spec), every field
 * goes to the resource as an argument, unchecked, as from JSON: tests may pass fields the resource does not know.
 */
export interface Spec {
  orgs: ({ key: string; name: string; acuLimit?: number; maxSessionAcuLimit?: number } & Record<string, unknown>)[];
  serviceUsers: ({ key: string; org?: string; orgId?: string; name: string; role: string; ttlSeconds?: number } & Record<
    string,
    unknown
  >)[];
  /** Any other resource type; an argument "$<key>.<output>" is another resource's output. */
  resources?: { key: string; type: string; args: Record<string, unknown>; dependsOn?: string[] }[];
}

/**
 * A fresh Pulumi project and stack (local file backend, its own PULUMI_HOME) in a work directory inside the repo, so
 * the program and the dynamic-provider host resolve the installed `pulumi-devin` as a user's project would.
 */
export class TestStack {
  /** Everything the CLI printed (except commands asked to reveal secrets), to check that no credential appears. */
  transcript = "";
  /**
   * Values that must never appear in plaintext anywhere (see {@link expectNoPlaintextSecrets}): the emulator's token,
   * every value set with `config set --secret`, and what a test adds (a Secret's value, say).
   */
  readonly sensitive = new Set<string>();
  /** More directories to scan, such as the emulator's state. */
  readonly scanDirs: string[] = [];

  private constructor(
    /** Where the CLI runs: the Pulumi project directory. */
    readonly projectDir: string,
    /** Backend, PULUMI_HOME and stack config live here, so nothing is written into the project. */
    private readonly workDir: string,
    readonly emu: TestEmulator,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The local file backend's directory (its files are under `.pulumi/`). */
  get backendDir(): string {
    return join(this.workDir, "backend");
  }

  /** A stack of a generated project whose entry point re-exports `program`. */
  static async create(emu: TestEmulator, program: string, spec?: Spec): Promise<TestStack> {
    const workDir = join(ROOT, "test/e2e/.work", randomUUID());
    mkdirSync(workDir, { recursive: true });
    writeFileSync(
      join(workDir, "Pulumi.yaml"),
      "name: devin-e2e\nmain: index.ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
    );
    writeFileSync(join(workDir, "index.ts"), `export * from ${JSON.stringify(relative(workDir, program))};\n`);
    return TestStack.forProject(emu, workDir, spec, workDir);
  }

  /** A stack of an existing project (an example), run in place. */
  static async forProject(
    emu: TestEmulator,
    projectDir: string,
    spec?: Spec,
    workDir = join(ROOT, "test/e2e/.work", randomUUID()),
  ): Promise<TestStack> {
    mkdirSync(join(workDir, "backend"), { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${PULUMI_PATH}:${process.env.PATH}`,
      PULUMI_BACKEND_URL: `file://${join(workDir, "backend")}`,
      PULUMI_HOME: join(workDir, "home"),
      PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // The e2e programs are type-checked by tsc elsewhere; transpiling only keeps each CLI run short.
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      DEVIN_TOKEN: "",
      DEVIN_SERVICE_USER_TOKEN: "",
      DEVIN_API_URL: "",
    };
    const stack = new TestStack(projectDir, workDir, emu, env);
    stack.sensitive.add(emu.token);
    await stack.ok(["stack", "init", "dev"]);
    // `stack init` writes the stack's config file, with the passphrase's salt, into the project: keep the project clean.
    const created = join(projectDir, "Pulumi.dev.yaml");
    if (projectDir !== workDir && existsSync(created)) renameSync(created, join(workDir, "Pulumi.dev.yaml"));
    await stack.ok(["config", "set", "devin:apiUrl", `${emu.url}/v3beta1`]);
    await stack.ok(["config", "set", "--secret", "devin:token"], emu.token);
    if (spec) await stack.setSpec(spec);
    return stack;
  }

  setSpec(spec: Spec): Promise<RunResult> {
    return this.ok(["config", "set", "e2e:spec", JSON.stringify(spec)]);
  }

  /** Starts the CLI in its own process group, so a test can kill it together with its plugins. */
  start(args: string[], input?: string, env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<RunResult> } {
    const revealsSecrets = args.includes("--show-secrets");
    if (args[0] === "config" && args.includes("--secret")) {
      const value = input ?? args[args.length - 1];
      if (value.length >= 8) this.sensitive.add(value);
    }
    const configFile = CONFIG_FILE_COMMANDS.has(args[0]) ? ["--config-file", join(this.workDir, "Pulumi.dev.yaml")] : [];
    const child = spawn("pulumi", [...args, ...configFile, "--non-interactive"], {
      cwd: this.projectDir,
      env: { ...this.env, ...env },
      detached: true,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    if (input !== undefined) child.stdin?.end(input);
    const done = new Promise<RunResult>((resolve) =>
      child.on("close", (code) => {
        if (!revealsSecrets) this.transcript += stdout + stderr;
        resolve({ code: code ?? -1, stdout, stderr });
      }),
    );
    return { child, done };
  }

  run(args: string[], input?: string, env?: NodeJS.ProcessEnv): Promise<RunResult> {
    return this.start(args, input, env).done;
  }

  /** Runs and fails the test with the CLI's output when the command fails. */
  async ok(args: string[], input?: string, env?: NodeJS.ProcessEnv): Promise<RunResult> {
    const res = await this.run(args, input, env);
    if (res.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${res.code}\n${res.stdout}\n${res.stderr}`);
    return res;
  }

  up(): Promise<RunResult> {
    return this.ok(["up", "--yes", "--skip-preview"]);
  }

  async outputs(showSecrets = false): Promise<Record<string, Record<string, string>>> {
    const args = ["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])];
    return JSON.parse((await this.ok(args)).stdout);
  }

  /** The steps of `pulumi preview --json` as [op, resource name] pairs, with each step's old and new inputs. */
  async previewSteps(): Promise<PreviewStep[]> {
    const res = await this.run(["preview", "--json"]);
    const parsed = JSON.parse(res.stdout) as {
      steps?: {
        op: string;
        urn: string;
        oldState?: { inputs?: Record<string, unknown> };
        newState?: { inputs?: Record<string, unknown> };
      }[];
    };
    if (!parsed.steps) throw new Error(`preview --json printed no steps (exit ${res.code}):\n${res.stdout}\n${res.stderr}`);
    return parsed.steps.map((s) => ({
      op: s.op,
      type: s.urn.split("::")[2],
      name: s.urn.split("::").pop() as string,
      oldInputs: s.oldState?.inputs,
      newInputs: s.newState?.inputs,
    }));
  }

  /**
   * The secrets scan every e2e stack ends with: no sensitive value and no `cog_` key in plaintext in the CLI's output,
   * the backend's files (state, its history and backups), `pulumi stack export`, or the scanned directories (the
   * emulator's state). Keys the emulator issued are caught by their shape, whoever holds them.
   */
  async expectNoPlaintextSecrets(): Promise<void> {
    const places: [where: string, text: string][] = [];
    const backend = join(this.workDir, "backend");
    for (const dir of [backend, ...this.scanDirs]) for (const file of filesUnder(dir)) places.push([file, readFileSync(file, "latin1")]);
    if (places.some(([file]) => file.startsWith(backend) && /\/stacks\/.+\.json$/.test(file))) {
      places.push(["pulumi stack export", (await this.ok(["stack", "export"])).stdout]);
    }
    places.push(["the CLI's output", this.transcript]);
    const found: string[] = [];
    for (const [where, text] of places) {
      for (const value of this.sensitive) {
        const at = text.indexOf(value);
        // What comes before it says where it is, without printing it.
        if (at >= 0)
          found.push(`${where}: a sensitive value (${value.slice(0, 4)}…) after ${JSON.stringify(text.slice(Math.max(0, at - 100), at))}`);
      }
      const key = /cog_[A-Za-z0-9_-]{32,}/.exec(text);
      if (key) found.push(`${where}: an API key (${key[0].slice(0, 8)}…)`);
    }
    if (found.length > 0) throw new Error(`secrets in plaintext:\n${found.join("\n")}`);
  }

  /** The scan, then removal of the work directory. */
  async finish(): Promise<void> {
    try {
      await this.expectNoPlaintextSecrets();
    } finally {
      this.cleanup();
    }
  }

  cleanup(): void {
    rmSync(this.workDir, { recursive: true, force: true });
    for (const dir of this.scanDirs) rmSync(dir, { recursive: true, force: true });
  }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** A test emulator that keeps its state in files, so the secrets scan can read them. */
export async function startScannedEmulator(): Promise<{ emu: TestEmulator; stateDir: string }> {
  const stateDir = mkdtempSync(join(tmpdir(), "devin-e2e-emulator-"));
  return { emu: await startTestEmulator({ stateDir }), stateDir };
}

export interface PreviewStep {
  op: string;
  /** The type token, e.g. pulumi-nodejs:dynamic/devin:Organization or pulumi:pulumi:Stack. */
  type: string;
  /** The resource's name in the program. */
  name: string;
  oldInputs?: Record<string, unknown>;
  newInputs?: Record<string, unknown>;
}

/** Commands that read the stack config: it is kept in the work directory, not next to the project's Pulumi.yaml. */
const CONFIG_FILE_COMMANDS = new Set(["config", "preview", "up", "refresh", "destroy"]);

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The write requests the emulator saw since `mark`, as "METHOD /path" without version prefix. */
export async function writesSince(emu: TestEmulator, mark: number): Promise<string[]> {
  return (await emu.requests())
    .slice(mark)
    .filter((r) => WRITES.has(r.method))
    .map((r) => `${r.method} ${r.path.split("?")[0].replace(/^\/v3(beta1)?/, "")}`);
}

/** The config-driven program the e2e tests deploy (test/e2e/program). */
export const E2E_PROGRAM = join(ROOT, "test/e2e/program");

/** A fresh emulator and a fresh stack for every test of the file; `up` deploys `spec` before each test. */
export function useStack(spec?: Spec, options: { up?: boolean } = {}): { emu: () => TestEmulator; stack: () => TestStack } {
  let emu: TestEmulator | undefined;
  let stack: TestStack | undefined;
  beforeEach(async () => {
    const started = await startScannedEmulator();
    emu = started.emu;
    stack = await TestStack.create(emu, E2E_PROGRAM, spec);
    stack.scanDirs.push(started.stateDir);
    if (options.up) await stack.up();
  });
  afterEach(async () => {
    try {
      await emu?.close();
      await stack?.finish();
    } finally {
      stack = undefined;
    }
  });
  return { emu: () => emu as TestEmulator, stack: () => stack as TestStack };
}
