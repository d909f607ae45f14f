import { describe, expect, it } from "vitest";
import * as impl from "../../provider/impl";
import { callsSince, configureFor, useEmulator } from "../support/provider";

/**
 * The token and URL are proven once per run before it writes: through the host's entry points, as Pulumi calls them.
 * A bad setting fails the first resource's check in full and the others in one short line; an unchanged resource
 * sends nothing.
 */

const { emu } = useEmulator();
const WRONG_TOKEN = `cog_${"w".repeat(52)}`;
const mark = async () => (await emu().requests()).length;
const reasons = (result: { failures?: { reason: string }[] }) => (result.failures ?? []).map((f) => f.reason);

describe("proving the settings before a run writes", () => {
  it("a wrong token fails the first create's check in full, the next in one short line, after one read and no write", async () => {
    configureFor(emu(), { "devin:token": WRONG_TOKEN });
    const m = await mark();
    const first = await impl.check({}, { __kind: "Organization", name: "a" });
    const second = await impl.check({}, { __kind: "Organization", name: "b" });
    expect(reasons(first)).toEqual([
      "check devin:token and devin:apiUrl failed: the Devin API rejected the token (401). It is malformed, expired or revoked. " +
        "Set a valid service-user token with 'pulumi config set --secret devin:token cog_...' or DEVIN_TOKEN.",
    ]);
    expect(reasons(second)).toEqual([
      "check devin:token and devin:apiUrl failed: the Devin API rejected the token (401): the same settings problem as the first error of this run, which says how to fix it.",
    ]);
    expect(await callsSince(emu(), m)).toEqual(["GET /self"]);
  });

  it("a URL with a path before /v3 (here /v2) fails the check naming devin:apiUrl", async () => {
    configureFor(emu(), { "devin:apiUrl": `${emu().url}/v2` });
    const result = await impl.check({}, { __kind: "Organization", name: "a" });
    expect(reasons(result)).toEqual([
      `check devin:token and devin:apiUrl failed: ${emu().url}/v2 answers, but not as the Devin API (GET /v3/self: 404). ` +
        "Check devin:apiUrl (or DEVIN_API_URL): it is the API's base URL, e.g. https://api.devin.ai, or http://127.0.0.1:<port> for the emulator, with no other path (such as /v2).",
    ]);
  });

  it("a delete at such a URL fails instead of reading the 404 as done", async () => {
    const created = await impl.create({ __kind: "Organization", name: "kept" });
    configureFor(emu(), { "devin:apiUrl": `${emu().url}/v2` });
    await expect(impl.delete(created.id, created.outs)).rejects.toThrow(/answers, but not as the Devin API/);
    expect((await emu().call("GET", `/v3/enterprise/organizations/${created.id}`)).status).toBe(200);
  });

  it("sends nothing for an unchanged resource, and proves the settings once for every create and change of the run", async () => {
    const created = await impl.create({ __kind: "Organization", name: "same", acuLimit: 1 });
    configureFor(emu());
    const m = await mark();
    const inputs = { __kind: "Organization", name: "same", acuLimit: 1 };
    await impl.check(created.outs, inputs);
    expect((await impl.diff(created.id, created.outs, inputs)).changes).toBe(false);
    expect(await callsSince(emu(), m)).toEqual([]);

    expect((await impl.diff(created.id, created.outs, { ...inputs, acuLimit: 2 })).changes).toBe(true);
    await impl.check({}, { __kind: "Organization", name: "new" });
    expect(await callsSince(emu(), m)).toEqual(["GET /self"]);
  });
});
