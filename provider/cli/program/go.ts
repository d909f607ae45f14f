import { argType, objectFieldType, type ArgType } from "./fieldTypes";
import { camelCase, type Declared, type ProgramModel, type Value } from "./model";

/** The program as Go, on the generated Go SDK (`github.com/pulumi-devin/pulumi-devin/sdk/go/devin`) and the plugin. */

export const GO_SDK = "github.com/pulumi-devin/pulumi-devin/sdk/go";

const exported = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const quote = (s: string) => JSON.stringify(s);

/** Any JSON value as a Go literal, for `json` and `mapOf json` arguments. */
function goLiteral(v: unknown): string {
  if (v === null || v === undefined) return "nil";
  if (Array.isArray(v)) return `[]interface{}{${v.map(goLiteral).join(", ")}}`;
  if (typeof v === "object")
    return `map[string]interface{}{${Object.entries(v)
      .map(([k, x]) => `${quote(k)}: ${goLiteral(x)}`)
      .join(", ")}}`;
  return JSON.stringify(v);
}

/** A value as the Go SDK's input type for `t`: pointer inputs where the argument may be left out. */
function value(v: Value, t: ArgType): string {
  const { type, optional } = t;
  if ("ref" in v || "secretConfig" in v) {
    // Outputs are StringOutput; an optional argument takes a StringPtrInput.
    const out = "ref" in v ? `${camelCase(v.ref)}.${exported(v.output)}` : `cfg.RequireSecret(${quote(v.secretConfig)})`;
    return optional ? `${out}.ToStringPtrOutput()` : out;
  }
  if (typeof type === "object" && "arrayOf" in type) {
    const items = "list" in v ? v.list : ((v as { literal: unknown[] }).literal ?? []).map((x) => ({ literal: x }));
    const item = type.arrayOf;
    const arrayType = typeof item === "object" && "object" in item ? `devin.${item.object}Array` : `pulumi.${exported(scalar(item))}Array`;
    return `${arrayType}{${items.map((x) => value(x, { type: item, optional: false })).join(", ")}}`;
  }
  if (typeof type === "object" && "object" in type) {
    const fields =
      "object" in v ? v.object : Object.entries((v as { literal: object }).literal).map(([k, x]): [string, Value] => [k, { literal: x }]);
    return `devin.${type.object}Args{${fields.map(([k, x]) => `${exported(k)}: ${value(x, objectFieldType(type.object, k))}`).join(", ")}}`;
  }
  const literal = (v as { literal: unknown }).literal;
  if (typeof type === "object") return `pulumi.ToMap(${goLiteral(literal)})`;
  if (type === "json") return `pulumi.Any(${goLiteral(literal)})`;
  return `pulumi.${exported(scalar(type))}(${JSON.stringify(literal)})`;
}

/** The Go SDK's name for a scalar type (pulumi.String, pulumi.Int, ...). */
function scalar(type: ArgType["type"]): string {
  if (type === "integer") return "int";
  if (type === "number") return "float64";
  if (type === "boolean") return "bool";
  if (type === "string") return "string";
  throw new Error(`no Go scalar for ${JSON.stringify(type)}`);
}

function resource(r: Declared, used: Set<string>): string[] {
  const options = [
    ...(r.protect ? ["pulumi.Protect(true)"] : []),
    ...(r.dependsOn ? [`pulumi.DependsOn([]pulumi.Resource{${r.dependsOn.map(camelCase).join(", ")}})`] : []),
  ];
  const target = used.has(r.name) ? `${camelCase(r.name)}, err :=` : "_, err =";
  return [
    `\t\t${target} devin.New${r.type}(ctx, ${quote(r.name)}, &devin.${r.type}Args{`,
    ...r.args.map(([k, v]) => `\t\t\t${exported(k)}: ${value(v, argType(r.type, k))},`),
    `\t\t\tAdoptId: pulumi.String(${quote(r.adoptId)}),`,
    `\t\t}${options.map((o) => `, ${o}`).join("")})`,
    "\t\tif err != nil {",
    "\t\t\treturn err",
    "\t\t}",
  ];
}

/** The names of the resources the program reads again (references, dependsOn, outputs): Go refuses unused variables. */
function usedNames(model: ProgramModel): Set<string> {
  const used = new Set<string>();
  const visit = (v: Value) => {
    if ("ref" in v) used.add(v.ref);
    else if ("list" in v) v.list.forEach(visit);
    else if ("object" in v) v.object.forEach(([, x]) => visit(x));
  };
  for (const item of model.items) {
    if ("heading" in item) continue;
    item.args.forEach(([, v]) => visit(v));
    item.dependsOn?.forEach((d) => used.add(d));
  }
  for (const o of model.outputs) o.entries.forEach((e) => used.add(e.resource));
  return used;
}

export function goProgram(model: ProgramModel, summary: string[]): string {
  const used = usedNames(model);
  const secrets = model.configKeys.length > 0;
  const resources = model.items.some((i) => !("heading" in i));
  const lines = [
    ...summary.map((l) => (l ? `// ${l}` : "//")),
    "package main",
    "",
    "import (",
    `\t"${GO_SDK}/devin"`,
    '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
    ...(secrets ? ['\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"'] : []),
    ")",
    "",
    "func main() {",
    "\tpulumi.Run(func(ctx *pulumi.Context) error {",
    ...(secrets ? ['\t\tcfg := config.New(ctx, "")'] : []),
    ...(resources ? ["\t\tvar err error"] : []),
    ...model.items.flatMap((item) => ("heading" in item ? ["", `\t\t// ${item.heading}`] : resource(item, used))),
    "",
    "\t\t// Only the ids a reviewer needs.",
    ...model.outputs.map(
      (o) =>
        `\t\tctx.Export(${quote(o.name)}, pulumi.StringMap{${o.entries.map((e) => `${quote(camelCase(e.resource))}: ${camelCase(e.resource)}.${exported(e.output)}`).join(", ")}})`,
    ),
    "\t\treturn nil",
    "\t})",
    "}",
  ];
  return `${lines.join("\n")}\n`;
}

/** go.mod: the SDK from the npm package, until it is published as a Go module. */
export function goMod(project: string): string {
  return `module ${project}

go 1.25

require (
\t${GO_SDK} v0.0.0
\tgithub.com/pulumi/pulumi/sdk/v3 v3.248.0
)

// The Go SDK ships in the npm package (npm install): take it from there.
replace ${GO_SDK} => ./node_modules/pulumi-devin/sdk/go
`;
}
