// The entry point the Pulumi CLI loads for this policy pack (run-policy-pack requires this directory, cwd = here).
// In a checkout of pulumi-devin the TypeScript source runs: run-policy-pack registers ts-node, which compiles it. The
// npm package ships no TypeScript, and ts-node would not compile it under node_modules anyway, so there the copy
// compiled into dist/ by the package's build runs.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const source = join(__dirname, "pack.ts");
require(existsSync(source) ? source : join(__dirname, "..", "dist", "policy", "pack.js"));
