import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import * as devin from "../../provider";
import { LIFECYCLES } from "../../provider/impl/lifecycles";
import { DevinResource } from "../../provider/resource";
import { KINDS, LOOKUPS, RESOURCES } from "../../provider/schema";

const root = join(__dirname, "..", "..");
interface Property {
  description?: string;
  secret?: boolean;
  willReplaceOnChanges?: boolean;
}
interface PackageSchema {
  name: string;
  config: { variables: Record<string, Property> };
  resources: Record<string, { properties: Record<string, Property>; inputProperties: Record<string, Property>; requiredInputs: string[] }>;
  types: Record<string, { properties: Record<string, Property> }>;
  functions: Record<string, { inputs: { properties: Record<string, Property> }; outputs: { properties: Record<string, Property> } }>;
}
const schema = JSON.parse(readFileSync(join(root, "schema.json"), "utf8")) as PackageSchema;

describe("the package schema and what is generated from the tables", () => {
  it("is current: schema.json, the classes, the reference pages and the lifecycle table are what the tables make", () => {
    const run = spawnSync(process.execPath, [join(root, "scripts", "generate-schema.js"), "--check"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("fails naming the stale file when a generated file was edited by hand", () => {
    const copy = mkdtempSync(join(tmpdir(), "schema-check-"));
    try {
      for (const path of ["scripts/generate-schema.js", "provider", "docs/reference", "schema.json", "package.json", ".prettierrc.json"])
        cpSync(join(root, path), join(copy, path), { recursive: true });
      symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
      const page = join(copy, "docs", "reference", "Organization.md");
      writeFileSync(page, readFileSync(page, "utf8").replace("Display name", "Shown name"));
      const run = spawnSync(process.execPath, [join(copy, "scripts", "generate-schema.js"), "--check"], { encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("docs/reference/Organization.md");
      expect(run.stderr).not.toContain("schema.json");
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("is a valid Pulumi package schema (Pulumi's own metaschema, as of the CLI built here)", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(__dirname, "..", "support", "pulumi-package-metaschema.json"), "utf8")));
    expect(validate(schema), JSON.stringify(validate.errors)).toBe(true);
    // The same check fails on a schema that breaks a rule of it: a resource property without a type.
    const broken = JSON.parse(JSON.stringify(schema)) as { resources: Record<string, { properties: Record<string, unknown> }> };
    broken.resources["devin:index:Organization"].properties.name = { description: "no type" };
    expect(validate(broken)).toBe(false);
  });

  it("names every resource type as devin:index:<Type> and every lookup as devin:index:get<Thing>", () => {
    expect(schema.name).toBe("devin");
    expect(Object.keys(schema.resources).sort()).toEqual(KINDS.map((k) => `devin:index:${k}`).sort());
    expect(Object.keys(schema.functions).sort()).toEqual(
      Object.keys(LOOKUPS)
        .map((n) => `devin:index:${n}`)
        .sort(),
    );
    expect(Object.keys(LOOKUPS).length).toBeGreaterThanOrEqual(19);
    for (const name of Object.keys(LOOKUPS)) expect(name).toMatch(/^get[A-Z]/);
  });

  it("describes every property, and marks the credentials secret", () => {
    const undescribed: string[] = [];
    const visit = (where: string, props: Record<string, Property>) => {
      for (const [name, p] of Object.entries(props)) if (!p.description?.trim()) undescribed.push(`${where}.${name}`);
    };
    for (const [token, r] of Object.entries(schema.resources)) {
      visit(token, r.properties);
      visit(`${token} input`, r.inputProperties);
    }
    for (const [token, t] of Object.entries(schema.types)) visit(token, t.properties);
    for (const [token, f] of Object.entries(schema.functions)) {
      visit(`${token} input`, f.inputs.properties);
      visit(token, f.outputs.properties);
    }
    visit("config", schema.config.variables);
    expect(undescribed).toEqual([]);

    expect(schema.config.variables.token.secret).toBe(true);
    expect(schema.resources["devin:index:ServiceUser"].properties.apiKey.secret).toBe(true);
    expect(schema.resources["devin:index:ApiKey"].properties.key.secret).toBe(true);
    expect(schema.resources["devin:index:Secret"].properties.value.secret).toBe(true);
    expect(schema.resources["devin:index:Secret"].inputProperties.value.secret).toBe(true);
  });

  it("says which arguments replace", () => {
    expect(schema.resources["devin:index:ServiceUser"].inputProperties.name.willReplaceOnChanges).toBe(true);
    expect(schema.resources["devin:index:Organization"].inputProperties.name.willReplaceOnChanges).toBeUndefined();
    expect(schema.resources["devin:index:Organization"].requiredInputs).toEqual(["name"]);
  });

  it("has a reference page per resource and lookup, linked from the README", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(readme).toContain("docs/reference/README.md");
    const index = readFileSync(join(root, "docs", "reference", "README.md"), "utf8");
    for (const name of [...KINDS, ...Object.keys(LOOKUPS)]) {
      const page = join(root, "docs", "reference", `${name}.md`);
      expect(existsSync(page), name).toBe(true);
      expect(readFileSync(page, "utf8")).toContain(`devin:index:${name}`);
      expect(index).toContain(`(${name}.md)`);
    }
  });
});

describe("the kinds", () => {
  it("every exported resource class has a table and a lifecycle, and every table a class", () => {
    const classes = Object.entries(devin)
      .filter(([, v]) => typeof v === "function" && v.prototype instanceof DevinResource)
      .map(([k]) => k)
      .sort();
    expect(classes).toEqual([...KINDS].sort());
    for (const kind of KINDS) {
      expect(RESOURCES[kind].kind).toBe(kind);
      expect(typeof LIFECYCLES[kind]?.check).toBe("function");
    }
  });
});
