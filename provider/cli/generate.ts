import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { apiClient } from "../impl/client";
import { readEnterprise } from "./readEnterprise";
import { PROJECT_FILES, renderProgram, type Language } from "./renderProgram";

/**
 * `pulumi-devin generate`: reads an existing Devin enterprise and writes a Pulumi program that adopts all of it, so a
 * team can bring what it already has under code. Every declared object carries the `adoptId` of what exists, and
 * every value is the live one, so the first `pulumi up` reads each object and sends no write (no POST, PATCH, PUT or DELETE).
 */

export interface GenerateOptions {
  /** Where to write the program; created if missing. */
  out: string;
  /** The Pulumi project name; the directory's name by default. */
  project?: string;
  /** Overwrite an existing index.ts / Pulumi.yaml. */
  force?: boolean;
  /** The API base URL, instead of DEVIN_API_URL. */
  apiUrl?: string;
  /** The program's language; TypeScript by default. */
  language?: Language;
  /** TypeScript on the provider plugin instead of the dynamic resources (YAML, Go and Python always use it). */
  plugin?: boolean;
}

export interface Generated {
  files: string[];
  /** Adopted objects per resource type. */
  counts: Record<string, number>;
  /** Objects left out, each with the reason. */
  notes: string[];
  /** Policy pack rules the program breaks, each with how to fix it. */
  policy: string[];
  /** The `pulumi config set --secret` lines to run before the first `up`. */
  configLines: string[];
}

export async function generate(options: GenerateOptions): Promise<Generated> {
  const out = resolve(options.out);
  const project = (options.project ?? basename(out)).toLowerCase().replace(/[^a-z0-9_.-]+/g, "-") || "devin";
  const paths = PROJECT_FILES[options.language ?? "typescript"].map((name) => join(out, name));
  if (!options.force) {
    for (const f of paths) {
      if (existsSync(f)) throw new Error(`${f} exists; pass --force to overwrite it, or --out another directory`);
    }
  }
  const client = apiClient({ apiUrl: options.apiUrl });
  const enterprise = await readEnterprise(client);
  const rendered = renderProgram(enterprise, client.settings.baseUrl, { language: options.language, plugin: options.plugin, project });
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(rendered.files)) writeFileSync(join(out, name), text);
  const written = [...paths];
  // The package (and, for the plugin, its launcher and SDKs) comes from npm whatever the program's language.
  const pkgPath = join(out, "package.json");
  if (!existsSync(pkgPath)) {
    const version = require("pulumi-devin/package.json") as { version: string; peerDependencies: Record<string, string> };
    const pkg = {
      name: project,
      private: true,
      dependencies: { "pulumi-devin": `^${version.version}`, "@pulumi/pulumi": version.peerDependencies["@pulumi/pulumi"] },
    };
    writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
    written.push(pkgPath);
  }
  const { counts, notes, policy, configLines } = rendered;
  return { files: written, counts, notes, policy, configLines };
}
