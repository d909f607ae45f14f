#!/usr/bin/env node
// `npm run soak -- [N]`: the soak test of test/e2e/soak.test.ts (25% mixed faults, `pulumi up` until it converges)
// at N orgs with a service user each (default 100). It prints the runs, the requests and how many were faulted.
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const n = process.argv[2] ?? "100";
if (!/^\d+$/.test(n) || Number(n) < 1 || Number(n) > 200) {
  console.error("usage: npm run soak -- [N], 1 <= N <= 200");
  process.exit(2);
}
const res = spawnSync(process.execPath, [require.resolve("vitest/vitest.mjs"), "run", "test/e2e/soak.test.ts"], {
  cwd: path.join(__dirname, ".."),
  env: { ...process.env, SOAK_N: n },
  stdio: "inherit",
});
process.exit(res.status ?? 1);
