import type { Declared, ProgramModel, Value } from "./model";

/** The program as Pulumi YAML, on the provider plugin: one Pulumi.yaml, the schema coming from the plugin. */

/**
 * A literal as YAML (JSON is YAML), with each `$` doubled: Pulumi YAML reads `${` as an expression and `$$` as `$`
 * in every string (pulumi-yaml's parseInterpolate).
 */
function literal(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v).replace(/\$/g, () => "$$");
  if (Array.isArray(v)) return `[${v.map(literal).join(", ")}]`;
  if (v !== null && typeof v === "object")
    return `{${Object.entries(v)
      .map(([k, x]) => `${literal(k)}: ${literal(x)}`)
      .join(", ")}}`;
  return JSON.stringify(v);
}

function value(v: Value): string {
  if ("literal" in v) return literal(v.literal);
  if ("ref" in v) return `"\${${v.ref}.${v.output}}"`;
  if ("secretConfig" in v) return `"\${${v.secretConfig}}"`;
  if ("list" in v) return `[${v.list.map(value).join(", ")}]`;
  return `{${v.object.map(([k, x]) => `${k}: ${value(x)}`).join(", ")}}`;
}

function resource(r: Declared): string[] {
  const options = [
    ...(r.protect ? ["      protect: true"] : []),
    ...(r.dependsOn ? [`      dependsOn: [${r.dependsOn.map((d) => `"\${${d}}"`).join(", ")}]`] : []),
  ];
  return [
    `  ${r.name}:`,
    `    type: devin:index:${r.type}`,
    "    properties:",
    ...r.args.map(([k, v]) => `      ${k}: ${value(v)}`),
    `      adoptId: ${literal(r.adoptId)}`,
    ...(options.length > 0 ? ["    options:", ...options] : []),
  ];
}

export function yamlProgram(model: ProgramModel, summary: string[], project: string): string {
  const lines = [
    ...summary.map((l) => (l ? `# ${l}` : "#")),
    `name: ${project}`,
    "description: A Devin enterprise, adopted by pulumi-devin generate.",
    "runtime: yaml",
    "# The provider plugin, from the project's node_modules (npm install).",
    "plugins:",
    "  providers:",
    "    - name: devin",
    "      path: ./node_modules/pulumi-devin/bin",
    ...(model.configKeys.length > 0
      ? ["config:", ...model.configKeys.flatMap((k) => [`  ${k}:`, "    type: string", "    secret: true"])]
      : []),
    "resources:",
    ...model.items.flatMap((item) => ("heading" in item ? [`  # ${item.heading}`] : resource(item))),
    "# Only the ids a reviewer needs.",
    "outputs:",
    ...model.outputs.flatMap((o) => [`  ${o.name}:`, ...o.entries.map((e) => `    ${e.resource}: "\${${e.resource}.${e.output}}"`)]),
  ];
  if (model.outputs.length === 0) lines.splice(-2, 2);
  return `${lines.join("\n")}\n`;
}
