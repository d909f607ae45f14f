import { defineConfig } from "vitest/config";
import type { Reporter } from "vitest/reporters";

/** After vitest's own summary, the plain "N passed, N failed" line that CI reads to count tests. */
const plainSummary: Reporter = {
  onFinished(files) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const visit = (tasks: { type: string; mode: string; result?: { state?: string }; tasks?: unknown[] }[]) => {
      for (const t of tasks) {
        if (t.type === "test") {
          if (t.result?.state === "pass") passed++;
          else if (t.result?.state === "fail") failed++;
          else skipped++;
        } else if (t.tasks) visit(t.tasks as typeof tasks);
      }
    };
    visit((files ?? []) as unknown as Parameters<typeof visit>[0]);
    const failedFiles = (files ?? []).filter((f) => f.result?.state === "fail" && (f.tasks?.length ?? 0) === 0).length;
    console.log(`\nvitest: ${passed} passed, ${failed + failedFiles} failed${skipped ? `, ${skipped} skipped` : ""}`);
  },
};

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    exclude: ["test/e2e/.work/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file gets its own process: Pulumi keeps runtime state on `global`, and the e2e suites run the CLI.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2 } },
    reporters: ["default", plainSummary],
  },
});
