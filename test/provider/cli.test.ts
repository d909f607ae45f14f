import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/host";

/** The `pulumi-devin` bin as a user runs it (the compiled dist/, which `npm test` builds first). */
const cli = (args: string[], input = "") => {
  const res = spawnSync(process.execPath, [join(ROOT, "dist/provider/cli/main.js"), ...args], { input, encoding: "utf8" });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
};

describe("the pulumi-devin command line", () => {
  it.each([
    [["--help"]],
    [["-h"]],
    [["generate", "--help"]],
    [["generate", "-h"]],
    [["review", "--help"]],
    [["review", "-h"]],
    [["migrate", "--help"]],
  ])("%j prints the usage and exits 0", (args) => {
    const { code, stdout, stderr } = cli(args);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: pulumi-devin ${args.length > 1 ? args[0] : "<command>"}`));
    expect(stderr).toBe("");
  });

  it("names an unknown option or command in one line pointing at --help, and exits 1", () => {
    expect(cli(["review", "--fail-on-risks"])).toEqual({
      code: 1,
      stdout: "",
      stderr: "pulumi-devin: review: Unknown option '--fail-on-risks'. See 'pulumi-devin review --help'.\n",
    });
    expect(cli(["generate", "--outdir", "x"]).stderr).toBe(
      "pulumi-devin: generate: Unknown option '--outdir'. See 'pulumi-devin generate --help'.\n",
    );
    // Before any request: no token is set here.
    expect(cli(["generate", "--language", "cobol"])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "pulumi-devin: generate: --language must be one of typescript, yaml, go, python (got 'cobol'). See 'pulumi-devin generate --help'.\n",
    });
    expect(cli(["frob"])).toMatchObject({ code: 1, stderr: "pulumi-devin: unknown command 'frob'. See 'pulumi-devin --help'.\n" });
    expect(cli([])).toMatchObject({ code: 1, stdout: "" });
  });

  it("refuses input that is not a preview, in one line, instead of reporting no changes", () => {
    for (const input of ['{"foo":1}', ""]) {
      const { code, stdout, stderr } = cli(["review", "-"], input);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^pulumi-devin: review expects the output of 'pulumi preview --json', but .*; make it with .*\.\n$/);
    }
    expect(cli(["review", "missing.json"]).stderr).toBe("pulumi-devin: review: cannot read 'missing.json' (no such file).\n");
  });
});
