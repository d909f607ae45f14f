import { camelCase, type Declared, type ProgramModel, type Value } from "./model";

/** The program as TypeScript: on the dynamic resources (`pulumi-devin`), or on the plugin's SDK (`pulumi-devin/plugin`). */

function value(v: Value): string {
  if ("literal" in v) return JSON.stringify(v.literal);
  if ("ref" in v) return `${camelCase(v.ref)}.${v.output}`;
  if ("secretConfig" in v) return `config.requireSecret(${JSON.stringify(v.secretConfig)})`;
  if ("list" in v) return `[${v.list.map(value).join(", ")}]`;
  return `{ ${v.object.map(([k, x]) => `${k}: ${value(x)}`).join(", ")} }`;
}

function resource(r: Declared): string {
  const args = [...r.args.map(([k, v]) => `${k}: ${value(v)}`), `adoptId: ${JSON.stringify(r.adoptId)}`];
  const options = [
    ...(r.protect ? ["protect: true"] : []),
    ...(r.dependsOn ? [`dependsOn: [${r.dependsOn.map(camelCase).join(", ")}]`] : []),
  ];
  const opts = options.length > 0 ? `, { ${options.join(", ")} }` : "";
  return `const ${camelCase(r.name)} = new devin.${r.type}(${JSON.stringify(r.name)}, { ${args.join(", ")} }${opts});`;
}

export function typescriptProgram(model: ProgramModel, summary: string[], plugin: boolean): string {
  const secrets = model.configKeys.length > 0;
  const lines = [
    ...summary.map((l) => (l ? `// ${l}` : "//")),
    ...(secrets ? ['import * as pulumi from "@pulumi/pulumi";'] : []),
    `import * as devin from "${plugin ? "pulumi-devin/plugin" : "pulumi-devin"}";`,
    ...(secrets ? ["", "const config = new pulumi.Config();"] : []),
    ...model.items.flatMap((item) => ("heading" in item ? ["", `// ${item.heading}`] : [resource(item)])),
    "",
    "// Only the ids a reviewer needs.",
    ...model.outputs.map(
      (o) =>
        `export const ${o.name} = { ${o.entries.map((e) => `${camelCase(e.resource)}: ${camelCase(e.resource)}.${e.output}`).join(", ")} };`,
    ),
  ];
  return `${lines.join("\n").trimEnd()}\n`;
}
