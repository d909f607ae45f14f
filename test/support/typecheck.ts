import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/**
 * Type-checks a user's program as a strict user project would (module resolution as Node.js does it, through
 * node_modules and the package's exports), with the repository's own TypeScript: writes `dir/tsconfig.json` naming
 * `include`, and returns tsc's exit status and everything it printed.
 */
export function strictTypeCheck(dir: string, include: string[]): { status: number | null; output: string } {
  const compilerOptions = {
    strict: true,
    noEmit: true,
    target: "ES2020",
    module: "nodenext",
    moduleResolution: "nodenext",
    types: ["node"],
    skipLibCheck: true,
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include }));
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")], {
    cwd: dir,
    encoding: "utf8",
  });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
