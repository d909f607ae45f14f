import { describe, expect, it, vi } from "vitest";
import { ConfigurationError, DevinApiError } from "../../provider/impl/errors";
import { dispatcher, type AnyLifecycle } from "../../provider/impl/host";
import { configure } from "../../provider/impl/settings";

/** A lifecycle whose every method fails with the given error. */
function failing(error: () => Error): AnyLifecycle {
  const fail = async () => Promise.reject(error());
  return { check: fail, diff: fail, create: fail, read: fail, update: fail, delete: fail };
}

describe("the adapter between the dynamic-provider host and each lifecycle", () => {
  it("drops the host's own echo of an error thrown here (message plus stack trace), and nothing else", async () => {
    const printed: unknown[][] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void printed.push(args));
    try {
      const host = dispatcher({
        Org: failing(() => new DevinApiError("read organization org-1 failed: the Devin API answered 500.", 500, "read", 1)),
      });
      const error = (await host.read("org-1", { __kind: "Org" }).catch((e: Error) => e)) as Error;
      // What cmd/dynamic-provider does with an error from read, check, diff or delete:
      console.error(`${error}: ${error.stack}`);
      console.error("an unrelated line");
      expect(printed).toEqual([["an unrelated line"]]);
    } finally {
      spy.mockRestore();
    }
  });

  it("tells refresh and destroy without the program that they used the recorded settings, once a run, and never after the program ran", async () => {
    configure({ config: { get: () => undefined } });
    const rejected = dispatcher({
      Org: failing(
        () =>
          new DevinApiError("read organization org-1 failed: the Devin API rejected the token (401). Set a valid token.", 401, "read", 1),
      ),
    });
    const message = async (run: Promise<unknown>) => ((await run.catch((e: Error) => e)) as Error).message;
    const first = await message(rejected.read("org-1", { __kind: "Org" }));
    expect(first).toContain("recorded in the state by the last 'pulumi up'");
    expect(first).toContain("'pulumi refresh --run-program' or 'pulumi destroy --run-program'");
    // The same cause on the next resource of the run: one short line pointing at the first.
    expect(await message(rejected.read("org-2", { __kind: "Org" }))).toBe(
      "read organization org-1 failed: the Devin API rejected the token (401): the same settings problem as the first error of this run, which says how to fix it.",
    );

    const unconfigured = dispatcher({ Org: failing(() => new ConfigurationError("No Devin API token.")) });
    configure({ config: { get: () => undefined } });
    expect(await message(unconfigured.delete("org-1", { __kind: "Org" }))).toContain("--run-program");

    // A run that called check ran the program, with the current config: the hint would mislead there.
    configure({ config: { get: () => undefined } });
    await rejected.check({ __kind: "Org", name: "x" }, { __kind: "Org", name: "x" }).catch(() => undefined);
    expect(await message(rejected.read("org-1", { __kind: "Org" }))).not.toContain("--run-program");
  });

  it("dispatches on __kind, adds it to what it returns, and refuses a kind it does not know, saying to upgrade", async () => {
    const seen: string[] = [];
    const lifecycle = (kind: string): AnyLifecycle => ({
      ...failing(() => new Error("unused")),
      create: async (inputs: { name: string }) => (seen.push(`${kind} create ${inputs.name}`), { id: "x-1", outs: { name: inputs.name } }),
    });
    const host = dispatcher({ A: lifecycle("A"), B: lifecycle("B") });
    expect(await host.create({ __kind: "B", name: "n" })).toEqual({ id: "x-1", outs: { name: "n", __kind: "B" } });
    expect(seen).toEqual(["B create n"]);
    await expect(host.create({ __kind: "Playbook", name: "n" })).rejects.toThrow("pulumi-devin has no resource type 'Playbook'");
  });
});
