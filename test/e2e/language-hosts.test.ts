import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TestEmulator } from "../support/emulator";
import { ROOT } from "../support/host";
import { startScannedEmulator, TestStack } from "../support/pulumi";

/**
 * The YAML and Go language hosts that scripts/ensure-pulumi.sh provides, through the real CLI: a program of each
 * runtime deploys, reports its output and is destroyed.
 */

let emu: TestEmulator;
let emulatorState: string;
let stack: TestStack | undefined;
beforeEach(async () => {
  ({ emu, stateDir: emulatorState } = await startScannedEmulator());
});
afterEach(async () => {
  await emu?.close();
  stack?.scanDirs.push(emulatorState);
  await stack?.finish();
  stack = undefined;
});

/** A stack of a project made of `files`, in a work directory of its own. */
async function projectStack(files: Record<string, string>): Promise<TestStack> {
  const dir = join(ROOT, "test/e2e/.work", randomUUID());
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return TestStack.forProject(emu, dir, undefined, dir);
}

/** `pulumi up`, the stack's `greeting` output, then `pulumi destroy`, after which the stack has no outputs. */
async function greetingOfUpThenDestroy(s: TestStack, env?: NodeJS.ProcessEnv): Promise<string> {
  await s.ok(["up", "--yes"], undefined, env);
  const greeting = (await s.ok(["stack", "output", "greeting"])).stdout.trim();
  await s.ok(["destroy", "--yes"]);
  expect(await s.outputs()).toEqual({});
  return greeting;
}

describe("programs in other languages, through the real CLI", () => {
  it("runs a Pulumi YAML program", async () => {
    stack = await projectStack({
      "Pulumi.yaml": "name: langhost-yaml\nruntime: yaml\noutputs:\n  greeting: hello from yaml\n",
    });
    expect(await greetingOfUpThenDestroy(stack)).toBe("hello from yaml");
  });

  // The host runs `go build` on the program; on a cold Go build cache compiling sdk/v3 takes 2 to 4 minutes on 2 cores.
  it("runs a Go program", { timeout: 900_000 }, async () => {
    stack = await projectStack({
      "Pulumi.yaml": "name: langhost-go\nruntime: go\n",
      "go.mod": "module langhost-go\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 v3.248.0\n",
      "main.go": [
        "package main",
        "",
        'import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
        "",
        "func main() {",
        "\tpulumi.Run(func(ctx *pulumi.Context) error {",
        '\t\tctx.Export("greeting", pulumi.String("hello from go"))',
        "\t\treturn nil",
        "\t})",
        "}",
        "",
      ].join("\n"),
    });
    // The program comes without go.sum: -mod=mod lets `go build` write it from the module cache (or the proxy).
    expect(await greetingOfUpThenDestroy(stack, { GOFLAGS: "-mod=mod" })).toBe("hello from go");
  });
});
