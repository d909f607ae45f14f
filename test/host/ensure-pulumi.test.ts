import { spawnSync } from "node:child_process";
import { symlinkSync, writeFileSync } from "node:fs";
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

  it("prints a PATH prefix holding the CLI, the Node.js, YAML and Go language hosts and the dynamic-provider host", () => {
    const res = spawnSync("bash", [join(ROOT, "scripts/ensure-pulumi.sh")], { env: process.env });
    expect(res.status).toBe(0);
    const prefix = res.stdout.toString().trim();
    for (const tool of [
      "pulumi",
      "pulumi-language-nodejs",
      "pulumi-language-yaml",
      "pulumi-language-go",
      "pulumi-resource-pulumi-nodejs",
    ]) {
      const found = spawnSync("bash", ["-c", `command -v ${tool}`], { env: { ...process.env, PATH: `${prefix}:/usr/bin:/bin` } });
      expect(found.status, tool).toBe(0);
    }
  });

  it("with the pinned CLI on PATH but no YAML or Go language host there, adds the hosts it built to the PATH it prints", () => {
    const which = (tool: string, path: string) =>
      spawnSync("bash", ["-c", `command -v ${tool}`], { env: { ...process.env, PATH: path } })
        .stdout.toString()
        .trim();
    const pinned = spawnSync("bash", [join(ROOT, "scripts/ensure-pulumi.sh")], { env: process.env })
      .stdout.toString()
      .trim();
    const systemBin = tempDir();
    for (const tool of ["pulumi", "pulumi-language-nodejs"]) symlinkSync(which(tool, `${pinned}:/usr/bin:/bin`), join(systemBin, tool));
    const path = `${systemBin}:${dirname(process.execPath)}:/usr/bin:/bin`;
    expect(which("pulumi-language-yaml", path)).toBe("");

    const res = spawnSync("bash", [join(ROOT, "scripts/ensure-pulumi.sh")], { env: { ...process.env, PATH: path } });
    expect(res.status).toBe(0);
    const prefix = res.stdout.toString().trim();
    expect(prefix.split(":")[0]).toBe(systemBin);
    for (const tool of ["pulumi-language-yaml", "pulumi-language-go"]) {
      expect(which(tool, `${prefix}:${path}`), tool).toMatch(new RegExp(`/${tool}$`));
    }
  });

  it("ignores a pulumi on PATH of another version than the pinned one, and says so", () => {
    const fakeBin = tempDir();
    writeFileSync(join(fakeBin, "pulumi"), "#!/bin/sh\necho v3.1.0\n", { mode: 0o755 });
    writeFileSync(join(fakeBin, "pulumi-language-nodejs"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    const pinned = spawnSync("bash", [join(ROOT, "scripts/ensure-pulumi.sh")], { env: process.env })
      .stdout.toString()
      .trim();
    const res = spawnSync("bash", [join(ROOT, "scripts/ensure-pulumi.sh")], {
      env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` },
    });
    expect(res.status).toBe(0);
    expect(res.stderr.toString()).toContain("ignoring the pulumi v3.1.0 on PATH: this repository pins v3.248.0");
    expect(res.stdout.toString().trim()).not.toContain(fakeBin);
    expect(
      spawnSync("bash", ["-c", "pulumi version"], {
        env: { ...process.env, PATH: `${res.stdout.toString().trim()}:${pinned}:/usr/bin:/bin` },
      })
        .stdout.toString()
        .trim(),
    ).toBe("v3.248.0");
  });
});
