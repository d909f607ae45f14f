#!/usr/bin/env node
import { parseArgs, type ParseArgsConfig } from "node:util";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "./generate";
import { LANGUAGES, type Language } from "./renderProgram";
import { migrate, MigrateError, parseStackExport, summary } from "./migrate";
import { parsePreview } from "./preview";
import { review } from "./review";

const GENERATE = `Usage: pulumi-devin generate [--out DIR] [--language typescript|yaml|go|python] [--plugin] [--project NAME]
                             [--force] [--api-url URL]

  Reads the Devin enterprise and writes a Pulumi project that adopts what exists: organizations, service users,
  roles, IdP groups, the IP access list, group limits, session tags, playbooks, knowledge notes, schedules, secrets
  (values from stack config) and git permissions. Every resource carries its adoptId and the live values, so the
  first 'pulumi up' sends no write. It prints what it adopted, what it left out and why, and which policy pack rules
  the program breaks.

  --language  typescript (the default: index.ts on the dynamic resources), yaml (Pulumi.yaml), go (main.go, go.mod)
              or python (__main__.py, requirements.txt); YAML, Go and Python run on the provider plugin.
  --plugin    TypeScript on the provider plugin (import from "pulumi-devin/plugin").
  Each also writes Pulumi.yaml, and package.json when there is none (npm install brings the plugin and the SDKs).

  The token comes from DEVIN_TOKEN (or DEVIN_SERVICE_USER_TOKEN), the API from DEVIN_API_URL (or --api-url), as the
  provider reads them. DIR defaults to the current directory; --force overwrites the files it writes.`;

const REVIEW = `Usage: pulumi-devin review [PREVIEW.json | -] [--output FILE] [--fail-on-risk]

  Turns the output of 'pulumi preview --json' (a file, or stdin) into a Markdown report for a pull request: each
  resource's changed fields, why replacements happen, and the risks (deletions, key rotations, ACU caps raised or
  removed, Admin roles granted, IP access list changes). Secrets and Pulumi's internal properties are never shown.
  With PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true, 'pulumi preview --json' also lists policy violations, and the
  report names each failed policy, its resource and its message.
  Writes to stdout, or to FILE. With --fail-on-risk, exits 2 when a risk is flagged (after writing the report).`;

const MIGRATE = `Usage: pulumi-devin migrate [--file STATE.json] [--out FILE]

  Moves a stack's dynamic resources (import ... from "pulumi-devin") to the provider plugin
  ("pulumi-devin/plugin") without recreating anything: reads 'pulumi stack export' (stdin, or --file), writes the
  state for 'pulumi stack import' (stdout, or --out), and says on stderr what moved.

    pulumi stack export | npx pulumi-devin migrate | pulumi stack import

  Each resource of type pulumi-nodejs:dynamic/devin:<Kind> becomes devin:index:<Kind> (its URN, and every reference to
  it, follow), drops __kind and __provider, and names the plugin's default provider, which is added as the engine
  writes it, with the devin config the old provider recorded. Ids and outputs stay, so the one-time API keys stay
  too. Secrets are copied as they are, ciphertext for ciphertext: no passphrase is needed, and the stack's secrets
  provider still opens them. Other resources stay as they are (but for the types in the URN of one under a moved
  resource). A state with pending operations is refused; running it again changes nothing.
  Then import from "pulumi-devin/plugin", add the plugin's path to Pulumi.yaml, and 'pulumi preview' shows no change.`;

const USAGE = `Usage: pulumi-devin <command> [options]

Commands:
  generate   write a Pulumi program that adopts the Devin enterprise as it is
  review     turn 'pulumi preview --json' into a Markdown report for a pull request
  migrate    move a stack's dynamic resources to the provider plugin, keeping their state

'pulumi-devin <command> --help' says more about each.`;

/** What to run before the first `pulumi up`, per language: npm install brings the package, and for the plugin its SDKs. */
const NEXT: Record<Language, string> = {
  typescript: "npm install",
  yaml: "npm install",
  go: "npm install, go mod tidy",
  python: "npm install (then Pulumi installs requirements.txt, the Python SDK from node_modules, into ./venv)",
};

/** A mistake on the command line: one line naming it, exit 1 (2 means "risks flagged" for review). */
class UsageError extends Error {}

const HELP = { help: { type: "boolean", short: "h", default: false } } as const;

/** Parses a subcommand's arguments; an unknown option or a missing value becomes one line pointing at --help. */
function args<T extends ParseArgsConfig["options"]>(command: string, rest: string[], options: T, positionals = false) {
  try {
    return parseArgs({ args: rest, options: { ...HELP, ...options }, allowPositionals: positionals, strict: true });
  } catch (e) {
    const message = e instanceof Error ? e.message.split("\n")[0].replace(/\. To specify a positional.*$/, "") : String(e);
    throw new UsageError(`${command}: ${message.replace(/\.$/, "")}. See 'pulumi-devin ${command} --help'.`);
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return 0;
  }
  if (!command) {
    console.error(USAGE);
    return 1;
  }
  if (command === "generate") {
    const { values } = args("generate", rest, {
      out: { type: "string", default: "." },
      project: { type: "string" },
      force: { type: "boolean", default: false },
      "api-url": { type: "string" },
      language: { type: "string", default: "typescript" },
      plugin: { type: "boolean", default: false },
    });
    if (values.help) {
      console.log(GENERATE);
      return 0;
    }
    const language = values.language as Language;
    if (!LANGUAGES.includes(language)) {
      throw new UsageError(
        `generate: --language must be one of ${LANGUAGES.join(", ")} (got '${language}'). See 'pulumi-devin generate --help'.`,
      );
    }
    const result = await generate({
      out: values.out as string,
      project: values.project as string | undefined,
      force: values.force as boolean,
      apiUrl: values["api-url"] as string | undefined,
      language,
      plugin: values.plugin as boolean,
    });
    const adopted = Object.entries(result.counts).map(([kind, n]) => `${n} ${kind}`);
    console.log(`Wrote ${result.files.join(", ")}. Adopted: ${adopted.join(", ") || "nothing"}.`);
    for (const note of result.notes) console.log(`Left out: ${note}.`);
    for (const rule of result.policy) console.log(`Breaks policy ${rule}.`);
    if (result.configLines.length > 0) {
      console.log("Secret values cannot be read: set each one in the stack before the first up:");
      for (const line of result.configLines) console.log(`  ${line}`);
    }
    console.log(
      `Next: ${NEXT[language]}, pulumi stack init, pulumi config set --secret devin:token cog_..., then the lines above, pulumi up.`,
    );
    return 0;
  }
  if (command === "review") {
    const { values, positionals } = args(
      "review",
      rest,
      { output: { type: "string" }, "fail-on-risk": { type: "boolean", default: false } },
      true,
    );
    if (values.help) {
      console.log(REVIEW);
      return 0;
    }
    if (positionals.length > 1)
      throw new UsageError(`review: one preview at a time, got ${positionals.length}. See 'pulumi-devin review --help'.`);
    const source = positionals[0] ?? "-";
    let text: string;
    try {
      text = readFileSync(source === "-" ? 0 : source, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(
        `review: cannot read ${source === "-" ? "stdin" : `'${source}'`} (${code === "ENOENT" ? "no such file" : (code ?? String(e))}).`,
      );
    }
    const result = review(parsePreview(text));
    const output = values.output as string | undefined;
    if (output) writeFileSync(output, result.markdown);
    else process.stdout.write(result.markdown);
    if (output)
      console.error(`pulumi-devin review: ${result.changes.length} changes, ${result.risks.length} risks flagged; wrote ${output}`);
    return values["fail-on-risk"] && result.risks.length > 0 ? 2 : 0;
  }
  if (command === "migrate") {
    const { values } = args("migrate", rest, { file: { type: "string" }, out: { type: "string" } });
    if (values.help) {
      console.log(MIGRATE);
      return 0;
    }
    const file = values.file as string | undefined;
    let text: string;
    try {
      text = readFileSync(file === undefined || file === "-" ? 0 : file, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(
        `migrate: cannot read ${file ? `'${file}'` : "stdin"} (${code === "ENOENT" ? "no such file" : (code ?? String(e))}).`,
      );
    }
    // The version the plugin SDK of this package sends, which names the default provider the engine looks for.
    const { version } = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version: string };
    const result = (() => {
      try {
        return migrate(parseStackExport(text), { version });
      } catch (e) {
        throw e instanceof MigrateError ? new Error(`migrate: ${e.message}`) : e;
      }
    })();
    const json = JSON.stringify(result.state, null, 4) + "\n";
    const out = values.out as string | undefined;
    if (out) writeFileSync(out, json);
    else process.stdout.write(json);
    for (const line of summary(result)) console.error(`pulumi-devin migrate: ${line}`);
    return 0;
  }
  throw new UsageError(`unknown command '${command}'. See 'pulumi-devin --help'.`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`pulumi-devin: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
