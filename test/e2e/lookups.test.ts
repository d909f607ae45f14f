import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { ROOT } from "../support/host";
import { TestStack } from "../support/pulumi";

// What a user sees when a lookup in their program fails: one line naming the cause and the fix, printed once, with
// no JavaScript stack trace and not just "Program exited with non-zero exit code".
const PROGRAM = join(ROOT, "test/e2e/lookup-program");

let emu: TestEmulator;
let stack: TestStack;
beforeEach(async () => {
  emu = await startTestEmulator();
  stack = await TestStack.create(emu, PROGRAM);
});
afterEach(async () => {
  await emu.close();
  await stack.finish();
});

/**
 * The error is one line of the preview's diagnostics (the progress display above them echoes each diagnostic as it
 * arrives), and nothing looks like a stack trace or an unhandled exception anywhere.
 */
function expectOneLine(output: string, line: RegExp, { nodeWarnings = false } = {}): void {
  const diagnostics = output.slice(output.indexOf("Diagnostics:"));
  expect(output).toContain("Diagnostics:");
  expect(diagnostics.split("\n").filter((l) => /error: /.test(l))).toEqual([expect.stringMatching(line)]);
  expect(output).not.toMatch(/^\s+at .+[(:]\d+/m);
  expect(output).not.toMatch(/unhandled exception|Error: /);
  if (!nodeWarnings) expect(output).not.toContain("PromiseRejectionHandledWarning");
  expect(output).not.toContain("Program exited with non-zero exit code");
}

describe("a lookup that fails in a program", () => {
  it.each(["output", "async", "input"])(
    "with a wrong token (%s form) prints one line naming the token in the stack config",
    async (how) => {
      await stack.ok(["config", "set", "e2e:lookup", how]);
      await stack.ok(["config", "set", "--secret", "devin:token"], `cog_${"a".repeat(52)}`);
      const res = await stack.run(["preview"]);
      expect(res.code).not.toBe(0);
      const output = res.stdout + res.stderr;
      expectOneLine(
        output,
        /error: .*rejected the token from the stack config devin:token \(401\).*pulumi config set --secret devin:token/,
      );
    },
  );

  it.each(["output", "async", "input"])("with no token (%s form) prints one line saying how to set it", async (how) => {
    await stack.ok(["config", "set", "e2e:lookup", how]);
    await stack.ok(["config", "rm", "devin:token"]);
    const res = await stack.run(["preview"]);
    expect(res.code).not.toBe(0);
    const output = res.stdout + res.stderr;
    // A promise the program exports that rejects at once, before Pulumi reads the exports, makes Node add its own
    // "PromiseRejectionHandledWarning"; the Output forms fail at the call instead, and have no such lines.
    expectOneLine(output, /error: .*No Devin API token\. Run 'pulumi config set --secret devin:token cog_\.\.\.' or set the DEVIN_TOKEN/, {
      nodeWarnings: how === "async",
    });
  });
});
