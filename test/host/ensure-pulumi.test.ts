import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../support/emulator";
import { ROOT } from "../support/host";

describe("scripts/ensure-pulumi.sh", () => {
  it("with neither a Pulumi CLI nor Go, fails with a message that says how to install the CLI", () => {
    const res = spawnSync("bash", [join(ROOT, "scripts/ensure-pulumi.sh")], {
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: tempDir(), PULUMI_DEVIN_CACHE: tempDir(), PULUMI_DEVIN_GO: "" },
    });
    expect(res.status).toBe(1);
    expect(res.stdout.toString()).toBe("");
    expect(res.stderr.toString()).toMatch(/no Pulumi CLI found and no Go toolchain.*\n.*Install the Pulumi CLI/);
  });

  it("prints a PATH prefix holding the CLI, the Node.js language host and the dynamic-provider host", () => {
    const res = spawnSync("bash", [join(ROOT, "scripts/ensure-pulumi.sh")], { env: process.env });
    expect(res.status).toBe(0);
    const prefix = res.stdout.toString().trim();
    for (const tool of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
      const found = spawnSync("bash", ["-c", `command -v ${tool}`], { env: { ...process.env, PATH: `${prefix}:/usr/bin:/bin` } });
      expect(found.status, tool).toBe(0);
    }
  });
});
