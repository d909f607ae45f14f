#!/usr/bin/env node
import { parseArgs } from "node:util";
import { generate } from "./generate";

const usage = `Usage: pulumi-devin <command>

Commands:
  generate [--out DIR] [--project NAME] [--force]
      Reads the Devin enterprise and writes a Pulumi program (index.ts, Pulumi.yaml, and package.json when missing)
      that adopts every organization and service user. The token comes from DEVIN_TOKEN (or
      DEVIN_SERVICE_USER_TOKEN), the API from DEVIN_API_URL (or --api-url), as the provider reads them.
      DIR defaults to the current directory.`;

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
