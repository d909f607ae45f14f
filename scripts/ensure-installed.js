#!/usr/bin/env node
// Installs dependencies when they are missing or older than package-lock.json, so that `npm test` and `npm run demo`
// work as the first commands on a fresh clone.
const { execSync } = require("node:child_process");
const { existsSync, statSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const marker = join(root, "node_modules", ".package-lock.json");
const lock = join(root, "package-lock.json");
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  console.log("Installing dependencies (npm ci)...");
  execSync("npm ci --no-audit --no-fund", { cwd: root, stdio: "inherit" });
}
