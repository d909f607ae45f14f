#!/usr/bin/env node
// Bundles the emulator with Fastify and Ajv into dist/emulator/index.js and cli.js (run by `npm run build` after tsc).
// The package then depends on neither: a provider user installs no emulator server (whose `cookie` dependency wants
// Node 22 and warns EBADENGINE on Node 20), and `npx devin-emulator` and `pulumi-devin/emulator` still work from the
// installed package. The tests import the emulator from source and do not use these files.
const { build } = require("esbuild");
const { join } = require("node:path");

const dist = join(__dirname, "..", "dist", "emulator");
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  keepNames: true,
  legalComments: "linked",
  logLevel: "warning",
};
async function main() {
  await build({ ...common, entryPoints: [join(__dirname, "..", "emulator", "index.ts")], outfile: join(dist, "index.js") });
  // The CLI takes the server from index.js, so the package holds one copy of it.
  await build({
    ...common,
    entryPoints: [join(__dirname, "..", "emulator", "cli.ts")],
    outfile: join(dist, "cli.js"),
    plugins: [
      {
        name: "server-from-index",
        setup(build) {
          build.onResolve({ filter: /^\.\/server$/ }, () => ({ path: "./index.js", external: true }));
        },
      },
    ],
  });
}

main().catch(() => process.exit(1));
