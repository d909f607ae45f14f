#!/usr/bin/env node
// Removes dist/ before a build: tsc never deletes the output of a source file that is gone, and the package ships dist/.
require("node:fs").rmSync(require("node:path").join(__dirname, "..", "dist"), { recursive: true, force: true });
