import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/**
 * A smoke run of `npm run bench` at N = 2: the script works end to end, and each phase makes the fewest requests the
 * API allows (docs/benchmarks.md explains each count). The seconds are not asserted: they belong to the machine.
 */

const ROOT = path.join(__dirname, "../..");
const N = 2;

describe("npm run bench", () => {
  it("prints a row per phase with the minimum number of API requests on every path, beside the floor", { timeout: 240_000 }, async () => {
    const { stdout } = await promisify(execFile)("node", [path.join(ROOT, "scripts/bench.js"), "--n", String(N), "--latency-ms", "0"], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    const table = stdout.split("\n").filter((l) => l.startsWith("| "));
    const cells = (line: string) =>
      line
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim());
    const header = cells(table[0]);
    const rows: Record<string, { cells: Record<string, string>; requests: number }> = Object.fromEntries(
      table.slice(1).map((line) => {
        const row: Record<string, string> = Object.fromEntries(cells(line).map((c, i) => [header[i], c]));
        return [row.Phase, { cells: row, requests: Number(row["API requests"]) }];
      }),
    );
    // Every path: the dynamic resources, and the plugin from YAML and from TypeScript.
    expect(header.filter((h) => h.endsWith("(s)"))).toEqual([
      "dynamic, TypeScript (s)",
      "plugin, YAML (s)",
      "plugin, TypeScript (s)",
      "Floor: no-op dynamic resources (s)",
    ]);
    expect(Object.fromEntries(Object.entries(rows).map(([phase, r]) => [phase, r.requests]))).toEqual({
      // The same on every path (a path that made more would show one count per path and fail here).
      "create (up)": 2 * N + 3, // a POST per object, one org list for every create's guard, one role list, one settings read
      "no-op up": 0,
      preview: 0,
      "preview --refresh": 2 * N, // a GET per object
      "update every object (up)": 2 * N + 2, // a PATCH per org, a role change per service user, the role list, the settings read
      destroy: 2 * N + 2, // a DELETE per object, one service-user list for every org delete, the settings read
    });
    for (const r of Object.values(rows)) {
      expect(r.cells["429s"]).toBe("0");
      for (const ratio of ["Dynamic ÷ floor", "plugin, YAML ÷ dynamic", "plugin, TypeScript ÷ dynamic"])
        expect(r.cells[ratio]).toMatch(/^\d+\.\d\d×$/);
    }
  });
});
