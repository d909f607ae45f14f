#!/usr/bin/env node
// Serializes each resource's provider exactly as `pulumi up` does (plain Node, compiled CommonJS output) and reports
// its size, whether Pulumi flagged secrets, and which modules it requires. `--json` prints everything, including
// the serialized text, for the tests; without it, a short report.
const pulumi = require("@pulumi/pulumi");
const { organizationProvider } = require("../dist/provider/organization.js");
const { serviceUserProvider } = require("../dist/provider/serviceUser.js");

async function main() {
  const report = {};
  for (const [kind, provider] of Object.entries({ organization: organizationProvider, serviceUser: serviceUserProvider })) {
    const { text, containsSecrets } = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    const requires = [...new Set([...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))];
    report[kind] = { bytes: Buffer.byteLength(text), containsSecrets, requires, text };
  }
  if (process.argv.includes("--json")) {
    process.stdout.write(JSON.stringify(report));
    return;
  }
  for (const [kind, r] of Object.entries(report)) {
    console.log(`${kind}: ${r.bytes} bytes (${(r.bytes / 2048).toFixed(2)} of the 2 KB budget), secrets: ${r.containsSecrets}, requires: ${r.requires.join(", ")}`);
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
