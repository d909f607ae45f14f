import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { register } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { policies } from "../../policy/rules";

// examples/gitops/.github/workflows/devin.yml, validated against GitHub's own workflow schema with
// @actions/workflow-parser (the parser behind the Actions language service), then read for the facts a reviewer of
// the workflow relies on: what runs on a pull request, what runs on main, where the Devin token comes from.

// @actions/workflow-parser imports its JSON schema without `with { type: "json" }`. Bundlers accept that; Node's own
// loader, which vitest uses for node_modules, refuses it. This hook serves the @actions packages' JSON files as modules.
const jsonAsModule = `
export async function load(url, context, next) {
  if (url.endsWith(".json") && url.includes("/node_modules/@actions/")) {
    const { readFile } = await import("node:fs/promises");
    return { format: "module", source: "export default " + (await readFile(new URL(url), "utf8")) + ";", shortCircuit: true };
  }
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(jsonAsModule)}`);
const wp = await import("@actions/workflow-parser");
// @actions/expressions: the expression language, a dependency of @actions/workflow-parser (same release).
const { Evaluator, Lexer, Parser, data } = await import("@actions/expressions");
const { truthy } = await import("@actions/expressions/result");

const ROOT = join(__dirname, "../..");
const EXAMPLE = join(ROOT, "examples/gitops");
const WORKFLOW = join(EXAMPLE, ".github/workflows/devin.yml");
const source = readFileSync(WORKFLOW, "utf8");

/** A parsed workflow: the schema's errors, the converted template (jobs with normalized `if`s), and a plain tree. */
async function load(content: string) {
  const parsed = wp.parseWorkflow({ name: "devin.yml", content }, new wp.NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (!parsed.value) return { errors: errors.length > 0 ? errors : ["no workflow"], template: undefined, tree: undefined };
  const template = await wp.convertWorkflowTemplate(parsed.context, parsed.value);
  errors.push(...(template.errors ?? []).map((e) => e.Message));
  return { errors, template, tree: plain(parsed.value) as Workflow };
}

/** The token tree as plain data; an expression is its source text, such as "${{ secrets.DEVIN_TOKEN }}". */
function plain(token: TemplateToken): unknown {
  if (wp.isMapping(token)) return Object.fromEntries([...token].map((kv) => [String(plain(kv.key)), plain(kv.value)]));
  if (wp.isSequence(token)) return [...token].map(plain);
  if (wp.isBasicExpression(token)) return token.source ?? `\${{ ${token.expression} }}`;
  if (wp.isString(token) || wp.isBoolean(token) || wp.isNumber(token)) return token.value;
  return null;
}

type Env = Record<string, string>;
interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Env;
  run?: string;
}
interface Job {
  name?: string;
  if?: string;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  environment?: string;
  env?: Env;
  steps: Step[];
}
interface Workflow {
  on: Record<string, { branches?: string[]; types?: string[] } | unknown[]>;
  permissions?: Record<string, string>;
  concurrency?: unknown;
  env: Env;
  jobs: Record<string, Job>;
}

const loaded = await load(source);
const workflow = loaded.tree!;
const steps = (job: string) => workflow.jobs[job].steps;
/** A run script with the workflow's own variables ($STACK, "$POLICY_PACK", ...) put in. */
const expand = (script: string) =>
  script.replace(/"?\$(?:\{(\w+)\}|(\w+))"?/g, (all, a: string | undefined, b: string | undefined) => workflow.env[(a ?? b)!] ?? all);
const stepRunning = (job: string, pattern: RegExp) => {
  const index = steps(job).findIndex((s) => s.run !== undefined && pattern.test(expand(s.run)));
  return { index, step: steps(job)[index] };
};

/** Whether a job's `if` (as GitHub normalizes it, `success() && (...)`) lets it run for an event. */
function runsFor(job: string, github: Record<string, unknown>): boolean {
  const expression = loaded.template!.jobs.find((j) => j.id.value === job)!.if.expression;
  return evaluate(expression, { github });
}

const statusFunctions: FunctionDefinition[] = [
  ["success", true],
  ["always", true],
  ["cancelled", false],
  ["failure", false],
].map(([name, value]) => ({ name: name as string, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value as boolean) }));

function evaluate(expression: string, contexts: Record<string, unknown>): boolean {
  const parsed = new Parser(new Lexer(expression).lex().tokens, Object.keys(contexts), statusFunctions).parse();
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as InstanceType<typeof data.Dictionary>;
  return truthy(new Evaluator(parsed, context, new Map(statusFunctions.map((f) => [f.name, f]))).evaluate());
}

/** The expression inside "${{ ... }}". */
const inner = (value: string) => /^\$\{\{\s*([\s\S]*?)\s*\}\}$/.exec(value)?.[1];

/** Runs a step's script as GitHub does (bash -eo pipefail) with the workflow's env plus `env`, in `cwd`. */
function runScript(step: Step, env: Env, cwd: string) {
  const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", step.run!], {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...workflow.env, ...env },
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const scratch: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "devin-gitops-"));
  scratch.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe("examples/gitops/.github/workflows/devin.yml", () => {
  it("is a valid GitHub Actions workflow: GitHub's schema, expressions and contexts, without an error", () => {
    expect(loaded.errors).toEqual([]);
    expect(Object.keys(workflow.jobs).sort()).toEqual(["apply", "preview"]);
  });

  it("fails validation when broken: a misspelt key, a broken expression, a secret where GitHub does not allow one", async () => {
    const broken = [
      source.replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"),
      source.replace("${{ !cancelled() && steps.preview.outcome == 'success' }}", "${{ !cancelled( && steps.preview.outcome }}"),
      source.replace("if: github.event_name == 'pull_request'", "if: secrets.DEVIN_TOKEN != ''"),
      source.replace("      - run: npm ci", "     - run: npm ci"),
    ];
    for (const content of broken) {
      expect(content).not.toBe(source);
      expect((await load(content)).errors.length, content).toBeGreaterThan(0);
    }
  });

  it("runs on pull requests to main and on pushes to main", () => {
    expect(workflow.on.pull_request).toMatchObject({ branches: ["main"] });
    expect(workflow.on.push).toMatchObject({ branches: ["main"] });
  });

  it("pull request job: preview with the policy pack into preview.json, then the review, then one sticky comment", () => {
    expect(runsFor("preview", { event_name: "pull_request", ref: "refs/pull/7/merge" })).toBe(true);
    expect(runsFor("preview", { event_name: "push", ref: "refs/heads/main" })).toBe(false);
    expect(runsFor("preview", { event_name: "schedule", ref: "refs/heads/main" })).toBe(false);

    const preview = stepRunning("preview", /pulumi preview .*--json/);
    expect(preview.index).toBeGreaterThan(-1);
    const command = expand(preview.step.run!).replace(/\\\n\s*/g, "");
    expect(command).toContain("--policy-pack node_modules/pulumi-devin/policy --policy-pack-config policy-config.json > preview.json");
    // The streamed form of `--json` is the one that carries policy violations, which the review then names.
    expect(preview.step.env?.PULUMI_ENABLE_STREAMING_JSON_PREVIEW).toBe("true");
    expect(command).toContain("--non-interactive");

    const review = stepRunning("preview", /npx pulumi-devin review preview\.json --output review\.md/);
    expect(review.index).toBeGreaterThan(preview.index);

    const comments = steps("preview").filter((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"));
    expect(comments).toHaveLength(1);
    expect(comments[0].uses).toMatch(/@v\d+$/);
    expect(comments[0].with).toMatchObject({ header: expect.any(String), path: "comment.md" });
    expect(steps("preview").indexOf(comments[0])).toBeGreaterThan(review.index);
    expect(stepRunning("preview", /\} > comment\.md/).index).toBeGreaterThan(review.index);

    // Nothing on a pull request writes to Devin or to the stack.
    for (const step of steps("preview"))
      expect(step.run ?? "").not.toMatch(/^\s*pulumi (up|destroy|refresh|import|cancel|state|config set)\b/m);
  });

  it("pull request job: its last step fails it on a failed preview (a policy violation) and on risks nobody accepted", () => {
    const gate = steps("preview").at(-1)!;
    expect(gate.env).toMatchObject({
      PREVIEW_STATUS: "${{ steps.preview.outputs.status }}",
      REVIEW_STATUS: "${{ steps.review.outputs.status }}",
    });
    const cwd = tempDir();
    const gateWith = (previewStatus: string, reviewStatus: string, riskAccepted = "false") =>
      runScript(gate, { PREVIEW_STATUS: previewStatus, REVIEW_STATUS: reviewStatus, RISK_ACCEPTED: riskAccepted }, cwd).status;
    expect(gateWith("0", "0")).toBe(0);
    expect(gateWith("1", "0")).not.toBe(0); // a mandatory policy violation: `pulumi preview` exits 1
    expect(gateWith("1", "2", "true")).not.toBe(0); // the label never overrides a policy
    expect(gateWith("0", "2")).not.toBe(0);
    expect(gateWith("0", "2", "true")).toBe(0);
    expect(gateWith("0", "1", "true")).not.toBe(0); // the review itself failed
    expect(gateWith("0", "", "true")).not.toBe(0);

    // The label counts when it is on the pull request, and not on the run of a new commit (which takes it off).
    const accepted = inner(gate.env!.RISK_ACCEPTED)!;
    const pr = (action: string, labels: string[]) => ({
      github: { event_name: "pull_request", event: { action, pull_request: { labels: labels.map((name) => ({ name })) } } },
      env: workflow.env,
    });
    expect(evaluate(accepted, pr("labeled", ["devin-risk-accepted"]))).toBe(true);
    expect(evaluate(accepted, pr("opened", ["docs", "devin-risk-accepted"]))).toBe(true);
    expect(evaluate(accepted, pr("synchronize", ["devin-risk-accepted"]))).toBe(false);
    expect(evaluate(accepted, pr("labeled", ["docs"]))).toBe(false);
    expect(workflow.env.RISK_LABEL).toBe("devin-risk-accepted");
  });

  it("pull request job: the comment shows the violations of a failed preview, fits GitHub's limit, and never holds the token", () => {
    const { step } = stepRunning("preview", /\} > comment\.md/);
    const write = (files: Record<string, string>, env: Env) => {
      const cwd = tempDir();
      for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
      const base = { HEAD_SHA: "0123456789abcdef", RUN_URL: "https://github.com/acme/devin/actions/runs/1", GITHUB_RUN_ID: "1" };
      const { status, output } = runScript(step, { ...base, DEVIN_TOKEN: "cog_secretsecret", ...env }, cwd);
      expect(status, output).toBe(0);
      return readFileSync(join(cwd, "comment.md"), "utf8");
    };

    const failed = write(
      {
        "review.md": "## Organization\n",
        // What Pulumi 3.248 prints for a mandatory violation (`--json` leaves it out).
        "preview.txt": [
          "Policies:",
          "    ❌ pulumi-devin-guardrails@v0.1.0 (local: node_modules/pulumi-devin/policy)",
          "        - [mandatory]  devin-org-acu-limit  (pulumi-nodejs:dynamic/devin:Organization: platform)",
          "          Organization 'platform' has acuLimit 5000, above the maximum 2000 that policy devin-org-acu-limit allows.",
          "",
        ].join("\n"),
      },
      { PREVIEW_STATUS: "1", REVIEW_STATUS: "0" },
    );
    expect(failed).toContain("[!CAUTION]");
    expect(failed).toContain("Organization 'platform' has acuLimit 5000, above the maximum 2000");
    expect(failed).toContain("## Organization");

    const risky = write({ "review.md": "## ApiKey\n" }, { PREVIEW_STATUS: "0", REVIEW_STATUS: "2" });
    expect(risky).toContain("[!WARNING]");
    expect(risky).toContain("`devin-risk-accepted`");
    expect(risky).not.toContain("[!CAUTION]");

    const huge = write({ "review.md": `${"| row | of | a | long | table |\n".repeat(8000)}` }, { PREVIEW_STATUS: "0", REVIEW_STATUS: "0" });
    expect(huge.length).toBeLessThan(65536);
    expect(huge).toContain("The report is cut here");

    const leaking = write({ "review.md": "stdout: cog_secretsecret\n" }, { PREVIEW_STATUS: "0", REVIEW_STATUS: "0" });
    expect(leaking).not.toContain("cog_secretsecret");
    expect(leaking).toContain("withheld");
  });

  it("apply job: runs `pulumi up --yes` with the same policy pack only for main (a push, or the nightly schedule)", () => {
    expect(runsFor("apply", { event_name: "push", ref: "refs/heads/main" })).toBe(true);
    expect(runsFor("apply", { event_name: "schedule", ref: "refs/heads/main" })).toBe(true);
    expect(runsFor("apply", { event_name: "push", ref: "refs/heads/feature" })).toBe(false);
    expect(runsFor("apply", { event_name: "workflow_dispatch", ref: "refs/heads/feature" })).toBe(false);
    expect(runsFor("apply", { event_name: "pull_request", ref: "refs/pull/7/merge" })).toBe(false);

    const up = stepRunning("apply", /^\s*pulumi up /m);
    const command = expand(up.step.run!).replace(/\\\n\s*/g, "");
    expect(command).toMatch(/ --yes /);
    expect(command).toContain("--policy-pack node_modules/pulumi-devin/policy --policy-pack-config policy-config.json");
    // Only this step writes: no other job and no other step runs `pulumi up`.
    const ups = Object.values(workflow.jobs).flatMap((j) => j.steps.filter((s) => /^\s*pulumi up\b/m.test(s.run ?? "")));
    expect(ups).toEqual([up.step]);

    // The start time is recorded before `up`, and the audit log since then is printed after it, even when `up` failed.
    const started = stepRunning("apply", /STARTED=\$\(date \+%s\)" >> "\$GITHUB_ENV"/);
    expect(started.index).toBeGreaterThan(-1);
    expect(started.index).toBeLessThan(up.index);
    const audit = stepRunning("apply", /node print-audit\.mjs --since "\$STARTED"/);
    expect(audit.index).toBeGreaterThan(up.index);
    expect(audit.step.run).toContain('"$GITHUB_STEP_SUMMARY"');
    expect(audit.step.if).toContain("always()");
  });

  it("the Devin token comes only from secrets, only into the steps that call Devin, and no script prints it", () => {
    const tokenVars = /^DEVIN(_SERVICE_USER)?_TOKEN$/;
    expect(Object.keys(workflow.env).filter((k) => tokenVars.test(k))).toEqual([]);
    expect(JSON.stringify(workflow.env)).not.toContain("secrets.");
    const calling: string[] = [];
    for (const [id, job] of Object.entries(workflow.jobs)) {
      expect(JSON.stringify(job.env ?? {}), id).not.toContain("secrets.");
      for (const step of job.steps) {
        for (const [key, value] of Object.entries(step.env ?? {})) {
          if (tokenVars.test(key)) {
            expect(inner(value), `${id}: ${step.name}`).toMatch(/^secrets\.[A-Z0-9_]+$/);
            calling.push(`${id}: ${step.name ?? step.run}`);
          }
          // Any other variable holding a secret holds it whole, never spliced into a larger string.
          if (value.includes("secrets.")) expect(inner(value), key).toMatch(/^secrets\.[A-Z0-9_]+$/);
        }
        // Values reach scripts through env, never as ${{ }} inside a script (no script injection, no inlined secret).
        expect(step.run ?? "").not.toContain("${{");
        expect(step.run ?? "").not.toMatch(/(echo|printf|tee)\b[^\n]*\$\{?DEVIN(_SERVICE_USER)?_TOKEN/);
        expect(step.run ?? "").not.toMatch(/devin:token/);
        expect(JSON.stringify(step.with ?? {}), `${id}: ${step.uses}`).not.toContain("secrets.");
      }
    }
    expect(calling.sort()).toEqual(
      [
        "apply: What changed in Devin (audit log)",
        "apply: pulumi up, with the policy pack",
        "preview: Write the comment", // only to check that the comment does not contain it
        "preview: pulumi preview, with the policy pack",
      ].sort(),
    );
    // `npm ci` runs the dependencies' install scripts: no secret reaches them.
    for (const job of Object.values(workflow.jobs)) expect(job.steps.find((s) => s.run === "npm ci")?.env).toBeUndefined();
  });

  it("concurrency: one `up` at a time, never cancelled; a newer commit of a pull request cancels its older preview", () => {
    expect(workflow.concurrency).toBeUndefined();
    const apply = workflow.jobs.apply.concurrency!;
    expect(apply["cancel-in-progress"]).toBe(false);
    expect(apply.group).not.toContain("${{"); // one group for every run, whatever its commit or event
    const preview = workflow.jobs.preview.concurrency!;
    expect(preview.group).toContain("github.event.pull_request.number");
    expect(preview["cancel-in-progress"]).toBe(true);
    expect(preview.group).not.toBe(apply.group);
  });

  it("least privilege: no permission by default, read-only contents, and pull-requests: write only for the comment", () => {
    expect(workflow.permissions).toEqual({});
    expect(workflow.jobs.preview.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(workflow.jobs.apply.permissions).toEqual({ contents: "read" });
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps.filter((s) => s.uses)) {
        expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+|[0-9a-f]{40})$/); // a major version or a commit, never a branch
        if (step.uses!.startsWith("actions/checkout@")) expect(step.with).toMatchObject({ "persist-credentials": "false" });
      }
    }
  });

  it("the example is the project the workflow expects at the repository's root", () => {
    for (const file of ["Pulumi.yaml", "index.ts", "package.json", "policy-config.json", "print-audit.mjs"]) {
      expect(existsSync(join(EXAMPLE, file)), file).toBe(true);
    }
    expect(readFileSync(join(EXAMPLE, "Pulumi.yaml"), "utf8")).toMatch(/^main: index\.ts$/m);
    const pkg = JSON.parse(readFileSync(join(EXAMPLE, "package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(["pulumi-devin", "@pulumi/pulumi"]));
    expect(Object.keys(pkg.devDependencies)).toContain("@pulumi/policy");

    // policy-config.json configures policies the pack has, with properties their schemas declare.
    const config = JSON.parse(readFileSync(join(EXAMPLE, workflow.env.POLICY_CONFIG), "utf8")) as Record<string, unknown>;
    for (const [name, value] of Object.entries(config)) {
      if (name === "all") continue;
      const policy = policies.find((p) => p.name === name);
      expect(policy, `policy-config.json names ${name}, which the pack lacks`).toBeDefined();
      if (typeof value === "string") continue;
      const declared = Object.keys(policy!.configSchema?.properties ?? {});
      for (const property of Object.keys(value as object).filter((k) => k !== "enforcementLevel")) expect(declared).toContain(property);
    }
  });
});
