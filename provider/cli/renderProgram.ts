import type { Enterprise } from "./readEnterprise";
import { goMod, goProgram } from "./program/go";
import { adoptionModel, summaryLines } from "./program/model";
import { pythonProgram } from "./program/python";
import { typescriptProgram } from "./program/typescript";
import { yamlProgram } from "./program/yaml";

export { NO_ADMIN_SERVICE_USERS, ORG_ACU_LIMIT } from "./program/model";

/**
 * The project `generate` writes, from what `readEnterprise` read, in the language asked for. TypeScript uses the
 * dynamic resources unless `plugin` is set; YAML, Go and Python use the provider plugin (their only way).
 */

export const LANGUAGES = ["typescript", "yaml", "go", "python"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface RenderOptions {
  language?: Language;
  /** TypeScript on the plugin's SDK (`pulumi-devin/plugin`) instead of the dynamic resources. */
  plugin?: boolean;
  /** The Pulumi project name. */
  project?: string;
  now?: Date;
}

export interface Rendered {
  /** Each file of the project by its name, but package.json (which `generate` writes only where there is none). */
  files: Record<string, string>;
  /** The file that holds the program. */
  main: string;
  /** Adopted objects per resource type, in the order first declared. */
  counts: Record<string, number>;
  /** Objects left out, each with the reason. */
  notes: string[];
  /** Policy pack rules the program breaks, each with how to fix it. */
  policy: string[];
  /** The `pulumi config set --secret` lines to run before the first `up`. */
  configLines: string[];
}

/** The files of each language's project (package.json aside), known before anything is read. */
export const PROJECT_FILES: Record<Language, string[]> = {
  typescript: ["index.ts", "Pulumi.yaml"],
  yaml: ["Pulumi.yaml"],
  go: ["main.go", "go.mod", "Pulumi.yaml"],
  python: ["__main__.py", "requirements.txt", "Pulumi.yaml"],
};

const DESCRIPTION = "description: A Devin enterprise, adopted by pulumi-devin generate.";
// The plugin from the project's node_modules, where `npm install` puts it.
const PLUGIN = ["plugins:", "  providers:", "    - name: devin", "      path: ./node_modules/pulumi-devin/bin"];

export function renderProgram(enterprise: Enterprise, source: string, options: RenderOptions = {}): Rendered {
  const { language = "typescript", project = "devin-enterprise", now = new Date() } = options;
  const plugin = language !== "typescript" || options.plugin === true;
  const model = adoptionModel(enterprise);
  const summary = summaryLines(model, source, now);
  const pulumiYaml = (runtime: string[]) => [`name: ${project}`, DESCRIPTION, ...runtime, ...(plugin ? PLUGIN : [])].join("\n") + "\n";
  let files: Record<string, string>;
  let main: string;
  if (language === "yaml") {
    main = "Pulumi.yaml";
    files = { [main]: yamlProgram(model, summary, project) };
  } else if (language === "go") {
    main = "main.go";
    files = { [main]: goProgram(model, summary), "go.mod": goMod(project), "Pulumi.yaml": pulumiYaml(["runtime: go"]) };
  } else if (language === "python") {
    main = "__main__.py";
    files = {
      [main]: pythonProgram(model, summary),
      // The SDK ships in the npm package (npm install) until it is published.
      "requirements.txt": "pulumi>=3.231.0,<4.0.0\n./node_modules/pulumi-devin/sdk/python\n",
      "Pulumi.yaml": pulumiYaml(["runtime:", "  name: python", "  options:", "    toolchain: pip", "    virtualenv: venv"]),
    };
  } else {
    main = "index.ts";
    files = {
      [main]: typescriptProgram(model, summary, plugin),
      "Pulumi.yaml": pulumiYaml([
        "# The entry file, named: without it Pulumi would look for index.js.",
        "main: index.ts",
        "runtime:",
        "  name: nodejs",
        "  options:",
        "    typescript: true",
      ]),
    };
  }
  const { counts, notes, policy, configLines } = model;
  return { files, main, counts, notes, policy, configLines };
}
