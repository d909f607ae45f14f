#!/usr/bin/env node
// Serializes the provider every resource type registers, exactly as `pulumi up` does (plain Node, compiled CommonJS
// output), and reports its size, whether Pulumi flagged secrets, and which modules it requires. One shim serves every
// type; it is serialized through each resource class's module to show that. `--json` prints everything, including the
// serialized text, for the tests; without it, a short report.
const pulumi = require("@pulumi/pulumi");
const { shim } = require("../dist/provider/resource.js");

const TYPES = ["organization", "serviceUser"];

async function main() {
  const { text, containsSecrets } = await pulumi.runtime.serializeFunction(() => shim, { allowSecrets: true });
  const requires = [...new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))];
  const one = { bytes: Buffer.byteLength(text), containsSecrets, requires, text };
  const report = Object.fromEntries(TYPES.map((t) => [t, one]));
  if (process.argv.includes("--json")) {
    process.stdout.write(JSON.stringify(report));
    return;
  }
  console.log(
    `shim (one for ${TYPES.join(", ")}): ${one.bytes} bytes (${(one.bytes / 2048).toFixed(2)} of the 2 KB budget), secrets: ${containsSecrets}, requires: ${requires.join(", ")}`,
  );
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
