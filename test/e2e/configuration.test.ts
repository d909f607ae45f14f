import { describe, expect, it } from "vitest";
import { useStack, writesSince, type Spec } from "../support/pulumi";

/** Where the token and URL come from, what refresh and destroy use after they change, and errors that say what to do. */

const SPEC: Spec = { orgs: [{ key: "eng", name: "Engineering", acuLimit: 100 }], serviceUsers: [] };
const WRONG_TOKEN = `cog_${"w".repeat(52)}`;
const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;
/** The error lines of the CLI's Diagnostics section, where each error is listed once (Pulumi's "update failed" aside). */
const diagnosticErrors = (output: string) =>
  output
    .slice(output.indexOf("Diagnostics:"))
    .split("\n")
    .filter((l) => l.includes("error:") && !l.includes("error: update failed") && !l.includes("error: preview failed"));

const { emu, stack } = useStack(SPEC);

describe("configuration", () => {
  it("refresh uses the token saved at the last up; with --run-program, the current one, whose rejection reads once, without a stack trace", async () => {
    await stack().up();
    await stack().ok(["config", "set", "--secret", "devin:token"], WRONG_TOKEN);

    // Without the program, refresh runs with the configuration saved in the state by the last `up`.
    await stack().ok(["refresh", "--yes", "--skip-preview"]);

    const mark = (await emu().requests()).length;
    const refresh = await stack().run(["refresh", "--run-program", "--yes", "--skip-preview"]);
    const output = refresh.stdout + refresh.stderr;
    expect(refresh.code).not.toBe(0);
    expect(output).toContain("failed: the Devin API rejected the token (401)");
    // Pulumi does not tell the provider that this refresh ran the program: the hint is conditional, in one error (which
    // Pulumi 3.248 lists twice in Diagnostics after a refresh with --run-program; the provider reports it once).
    expect([...new Set(diagnosticErrors(output))]).toEqual([expect.stringContaining("If this command ran without --run-program")]);
    expect(output).not.toContain(WRONG_TOKEN);
    expect(output).not.toContain("DevinApiError");
    expect(output).not.toMatch(STACK_TRACE);
    expect(await writesSince(emu(), mark)).toEqual([]);
  });

  it("a token moved from config to DEVIN_TOKEN and back: refresh says to use --run-program, which works", async () => {
    await stack().ok(["config", "rm", "devin:token"]);
    await stack().ok(["up", "--yes", "--skip-preview"], undefined, { DEVIN_TOKEN: emu().token });
    await stack().ok(["config", "set", "--secret", "devin:token"], emu().token);

    const refresh = await stack().run(["refresh", "--yes", "--skip-preview"]);
    expect(refresh.code).not.toBe(0);
    expect(refresh.stdout + refresh.stderr).toContain("No Devin API token");
    expect(refresh.stdout + refresh.stderr).toContain(
      "it used the devin:token and devin:apiUrl recorded in the state by the last 'pulumi up'",
    );

    await stack().ok(["refresh", "--run-program", "--yes", "--skip-preview"]);
    await stack().ok(["destroy", "--yes", "--skip-preview"]);
    expect((await emu().call<{ total: number }>("GET", "/v3/enterprise/organizations")).body.total).toBe(0);
  });

  it.each([
    ["no token at all", ["config", "rm", "devin:token"], "No Devin API token. Run 'pulumi config set --secret devin:token cog_...'"],
    [
      "a v1/v2 apk_ key",
      ["config", "set", "--secret", "devin:token", "apk_user_0123456789"],
      "must be a v3 service-user token starting with 'cog_'",
    ],
    [
      "plain http to another host",
      ["config", "set", "devin:apiUrl", "http://10.0.0.5/v3"],
      "devin:apiUrl 'http://10.0.0.5/v3' uses plain http",
    ],
    ["a malformed URL", ["config", "set", "devin:apiUrl", "api.devin.ai"], "devin:apiUrl 'api.devin.ai' is not a URL"],
  ])("preview fails on %s, naming the setting, before any API request", async (_case, command, message) => {
    await stack().ok(command);
    const mark = (await emu().requests()).length;
    const preview = await stack().run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toContain(message);
    expect(preview.stdout + preview.stderr).not.toContain("apk_user_0123456789");
    expect((await emu().requests()).slice(mark)).toEqual([]);
    expect(preview.stdout + preview.stderr).not.toMatch(STACK_TRACE);
    expect(diagnosticErrors(preview.stdout + preview.stderr)).toEqual([expect.stringContaining(message)]);
  });

  it.each([
    ["a wrong token", ["config", "set", "--secret", "devin:token", WRONG_TOKEN], "the Devin API rejected the token (401)."],
    [
      "a URL with a wrong path",
      ["config", "set", "devin:apiUrl", "<emu>/v2"],
      "<emu>/v2 answers, but not as the Devin API (GET /v3/self: 404).",
    ],
  ])("preview fails on %s in one line, before any resource is created, without a write", async (_case, command, message) => {
    await stack().setSpec({ orgs: ["a", "b", "c"].map((k) => ({ key: k, name: `Org ${k}` })), serviceUsers: [] });
    await stack().ok(command.map((c) => c.replace("<emu>", emu().url)));
    const mark = (await emu().requests()).length;
    const preview = await stack().run(["preview"]);
    const output = preview.stdout + preview.stderr;
    expect(preview.code).not.toBe(0);
    // Pulumi stops the preview at the first failed check: one resource errs, and its diagnostic is one line.
    expect(diagnosticErrors(output)).toEqual([
      expect.stringContaining(`has a problem: check devin:token and devin:apiUrl failed: ${message.replace("<emu>", emu().url)}`),
    ]);
    expect(output).toContain("1 errored");
    expect(output).not.toMatch(STACK_TRACE);
    expect(output).not.toContain(WRONG_TOKEN);
    expect(await writesSince(emu(), mark)).toEqual([]);
    expect((await emu().call<{ total: number }>("GET", "/v3/enterprise/organizations")).body.total).toBe(0);
  });

  it("an unreachable API names devin:apiUrl", async () => {
    await stack().setSpec({ orgs: [], serviceUsers: [{ key: "ci", name: "ci", role: "Member" }] });
    await stack().ok(["config", "set", "devin:apiUrl", "http://127.0.0.1:9"]);
    const preview = await stack().run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(
      /nothing accepts connections at http:\/\/127\.0\.0\.1:9 .*Check devin:apiUrl \(or DEVIN_API_URL\)/,
    );
  });
});
