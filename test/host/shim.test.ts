import { describe, expect, it } from "vitest";
import { serializedShims } from "../support/host";

describe("the serialized provider is a thin shim", () => {
  const FAKE_TOKEN = `cog_${"q".repeat(52)}`;
  // Credentials in the environment of the program must not leak into what is serialized.
  const shims = serializedShims({ ...process.env, DEVIN_TOKEN: FAKE_TOKEN, DEVIN_SERVICE_USER_TOKEN: FAKE_TOKEN });

  it.each(["organization", "serviceUser"] as const)("%s stays within 2 KB, holds no secret and requires only pulumi-devin", (kind) => {
    const shim = shims[kind];
    expect(shim.bytes).toBeLessThanOrEqual(2048);
    expect(shim.containsSecrets).toBe(false);
    expect(shim.requires).toEqual(["pulumi-devin/impl"]);
    expect(shim.text).not.toContain(FAKE_TOKEN);
    expect(shim.text).not.toMatch(/cog_|apiKey|undici/);
  });
});
