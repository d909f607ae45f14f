import { describe, expect, it, vi } from "vitest";
import { DevinApiError } from "../../provider/impl/errors";
import { forHost } from "../../provider/impl/host";
import { ConfigurationError } from "../../provider/impl/settings";

describe("the adapter between the dynamic-provider host and each lifecycle", () => {
  it("drops the host's own echo of an error thrown here (message plus stack trace), and nothing else", async () => {
    const printed: unknown[][] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void printed.push(args));
    try {
      const lifecycle = forHost({ read: async () => Promise.reject(new DevinApiError("read organization org-1 failed: the Devin API answered 500.", 500, "read", 1)) });
      const error = (await lifecycle.read().catch((e: Error) => e)) as Error;
      // What cmd/dynamic-provider does with an error from read, check, diff or delete:
      console.error(`${error}: ${error.stack}`);
      console.error("an unrelated line");
      expect(printed).toEqual([["an unrelated line"]]);
    } finally {
      spy.mockRestore();
    }
  });

  it("tells refresh and destroy, which use the configuration saved at the last up, how to use the current one", async () => {
    const lifecycle = forHost({
      read: async () => Promise.reject(new DevinApiError("read organization org-1 failed: the Devin API rejected the token (401).", 401, "read", 1)),
      delete: async () => Promise.reject(new ConfigurationError("No Devin API token.")),
      update: async () => Promise.reject(new DevinApiError("update failed (401).", 401, "update", 1)),
    });
    expect(((await lifecycle.read().catch((e: Error) => e)) as Error).message).toContain("add --run-program");
    expect(((await lifecycle.delete().catch((e: Error) => e)) as Error).message).toContain("add --run-program");
    // `up` runs the program with the current config: the hint would mislead there.
    expect(((await lifecycle.update().catch((e: Error) => e)) as Error).message).not.toContain("--run-program");
  });
});
