import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Each file gets its own process: Pulumi keeps runtime state on `global`, and the e2e suites run the CLI.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2 } },
    reporters: ["default"],
  },
});
