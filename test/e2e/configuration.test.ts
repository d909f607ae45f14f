import { describe, expect, it } from "vitest";
import { useStack, writesSince, type Spec } from "../support/pulumi";

/** Where the token and URL come from, what refresh and destroy use after they change, and errors that say what to do. */

const SPEC: Spec = { orgs: [{ key: "eng", name: "Engineering", acuLimit: 100 }], serviceUsers: [] };
const WRONG_TOKEN = `cog_${"w".repeat(52)}`;

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
    expect(output).toContain("add --run-program");
    expect(output).not.toContain(WRONG_TOKEN);
    expect(output).not.toContain("DevinApiError");
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(await writesSince(emu(), mark)).toEqual([]);
  });

  it("a token moved from config to DEVIN_TOKEN and back: refresh says to use --run-program, which works", async () => {
    await stack().ok(["config", "rm", "devin:token"]);
    await stack().ok(["up", "--yes", "--skip-preview"], undefined, { DEVIN_TOKEN: emu().token });
    await stack().ok(["config", "set", "--secret", "devin:token"], emu().token);

    const refresh = await stack().run(["refresh", "--yes", "--skip-preview"]);
    expect(refresh.code).not.toBe(0);
    expect(refresh.stdout + refresh.stderr).toContain("No Devin API token");
    expect(refresh.stdout + refresh.stderr).toContain("use the devin:token and devin:apiUrl saved in the state by the last 'pulumi up'");

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
  });

  it("an unreachable API names devin:apiUrl", async () => {
    await stack().setSpec({ orgs: [], serviceUsers: [{ key: "ci", name: "ci", role: "Member" }] });
    await stack().ok(["config", "set", "devin:apiUrl", "http://127.0.0.1:9"]);
    const preview = await stack().run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(
      /could not reach the Devin API at http:\/\/127\.0\.0\.1:9 .*Check devin:apiUrl \(or DEVIN_API_URL\)/,
    );
  });
});
