import { argType, objectFieldType, type ArgType } from "./fieldTypes";
import type { Declared, ProgramModel, Value } from "./model";

/** The program as Python, on the generated Python SDK (`pulumi_devin`) and the plugin. */

/** Python's names for arguments and outputs: the SDK's snake_case. */
export const snakeCase = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toLowerCase()
    .replace(/^(\d)/, "_$1");

/** Any JSON value as a Python literal. */
function pyLiteral(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (Array.isArray(v)) return `[${v.map(pyLiteral).join(", ")}]`;
  if (typeof v === "object")
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pyLiteral(x)}`)
      .join(", ")}}`;
  return JSON.stringify(v);
}

function value(v: Value, t: ArgType): string {
  if ("literal" in v) return pyLiteral(v.literal);
  if ("ref" in v) return `${snakeCase(v.ref)}.${snakeCase(v.output)}`;
  if ("secretConfig" in v) return `config.require_secret(${JSON.stringify(v.secretConfig)})`;
  const { type } = t;
  if ("list" in v) {
    const item = typeof type === "object" && "arrayOf" in type ? type.arrayOf : "json";
    return `[${v.list.map((x) => value(x, { type: item, optional: false })).join(", ")}]`;
  }
  if (typeof type !== "object" || !("object" in type)) throw new Error(`an object value for ${JSON.stringify(type)}`);
  return `devin.${type.object}Args(${v.object.map(([k, x]) => `${snakeCase(k)}=${value(x, objectFieldType(type.object, k))}`).join(", ")})`;
}

function resource(r: Declared): string[] {
  const options = [
    ...(r.protect ? ["protect=True"] : []),
    ...(r.dependsOn ? [`depends_on=[${r.dependsOn.map(snakeCase).join(", ")}]`] : []),
  ];
  return [
    `${snakeCase(r.name)} = devin.${r.type}(`,
    `    ${JSON.stringify(r.name)},`,
    ...r.args.map(([k, v]) => `    ${snakeCase(k)}=${value(v, argType(r.type, k))},`),
    `    adopt_id=${JSON.stringify(r.adoptId)},`,
    ...(options.length > 0 ? [`    opts=pulumi.ResourceOptions(${options.join(", ")}),`] : []),
    ")",
  ];
}

export function pythonProgram(model: ProgramModel, summary: string[]): string {
  const lines = [
    ...summary.map((l) => (l ? `# ${l}` : "#")),
    "import pulumi",
    "import pulumi_devin as devin",
    ...(model.configKeys.length > 0 ? ["", "config = pulumi.Config()"] : []),
    ...model.items.flatMap((item) => ("heading" in item ? ["", `# ${item.heading}`] : resource(item))),
    "",
    "# Only the ids a reviewer needs.",
    ...model.outputs.map(
      (o) =>
        `pulumi.export(${JSON.stringify(o.name)}, {${o.entries.map((e) => `${JSON.stringify(snakeCase(e.resource))}: ${snakeCase(e.resource)}.${snakeCase(e.output)}`).join(", ")}})`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
