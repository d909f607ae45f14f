#!/usr/bin/env node
import { parseArgs } from "node:util";
import { readFileSync, writeFileSync } from "node:fs";
import { generate } from "./generate";
import { parsePreview, review } from "./review";

const usage = `Usage: pulumi-devin <command>

Commands:
  generate [--out DIR] [--project NAME] [--force]
      Reads the Devin enterprise and writes a Pulumi program (index.ts, Pulumi.yaml, and package.json when missing)
      that adopts every organization and service user. The token comes from DEVIN_TOKEN (or
      DEVIN_SERVICE_USER_TOKEN), the API from DEVIN_API_URL (or --api-url), as the provider reads them.
      DIR defaults to the current directory.

  review [PREVIEW.json | -] [--output FILE] [--fail-on-risk]
      Turns the output of 'pulumi preview --json' (a file, or stdin) into a Markdown report for a pull request: each
      resource's changed fields, why replacements happen, and the risks (deletions, key rotations, ACU caps raised or
      removed, Admin roles granted, IP access list changes). Secrets and Pulumi's internal properties are never shown.
      Writes to stdout, or to FILE. With --fail-on-risk, exits 2 when a risk is flagged (after writing the report).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h") {
    console.log(usage);
    return command ? 0 : 2;
  }
  if (command === "generate") {
    const { values } = parseArgs({
      args: rest,
      options: {
        out: { type: "string", default: "." },
        project: { type: "string" },
        force: { type: "boolean", default: false },
        "api-url": { type: "string" },
      },
    });
    const result = await generate({ out: values.out as string, project: values.project, force: values.force, apiUrl: values["api-url"] });
    console.log(
      `Wrote ${result.files.join(", ")}: ${result.organizations} organizations and ${result.serviceUsers} service users, each adopted.`,
    );
    for (const note of result.notes) console.log(`Not declared: ${note}.`);
    console.log("Next: npm install, pulumi stack init, pulumi config set --secret devin:token cog_..., pulumi up.");
    return 0;
  }
  if (command === "review") {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { output: { type: "string" }, "fail-on-risk": { type: "boolean", default: false } },
    });
    const source = positionals[0] ?? "-";
    const text = source === "-" ? readFileSync(0, "utf8") : readFileSync(source, "utf8");
    const result = review(parsePreview(text));
    if (values.output) writeFileSync(values.output, result.markdown);
    else process.stdout.write(result.markdown);
    if (values.output)
      console.error(`pulumi-devin review: ${result.changes.length} changes, ${result.risks.length} risks flagged; wrote ${values.output}`);
    return values["fail-on-risk"] && result.risks.length > 0 ? 2 : 0;
  }
  console.error(`pulumi-devin: unknown command '${command}'\n\n${usage}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`pulumi-devin: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
