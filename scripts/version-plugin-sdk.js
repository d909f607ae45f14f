#!/usr/bin/env node
// Writes dist/sdk/nodejs/package.json (run by `npm run build` after tsc). The generated Node.js SDK (`pulumi-devin/plugin`)
// reads its version from a package.json next to it and sends it with every resource and invoke, so the engine loads
// plugin `devin` at this package's version. Only `version`: a "pulumi" field there would make the language host require
// the plugin for every program that installs pulumi-devin, the dynamic-resource ones included.
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { version } = require("../package.json");

writeFileSync(join(__dirname, "..", "dist", "sdk", "nodejs", "package.json"), JSON.stringify({ version }, null, 2) + "\n");
