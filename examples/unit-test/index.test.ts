import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";

// Unit-testing a program that uses pulumi-devin, with Pulumi's mocks: nothing reaches Devin, the provider is never
// called, and `newResource` decides each resource's id and outputs.
//
// Under vitest, modules are transformed in a way Pulumi's closure serializer cannot read, so serializing the provider
// is stubbed (the mocks never run it anyway). Under mocha or jest with ts-node, the stub is not needed.
const closure = createRequire(import.meta.url)("@pulumi/pulumi/runtime/closure/serializeClosure");
vi.spyOn(closure, "serializeFunction").mockResolvedValue({ text: "exports.handler = () => ({});", containsSecrets: false });

/** The lookups the program made, by invoke token. */
const calls: string[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      // Ids the way pulumi-devin makes them: an organization's id is its org-… id, a service user's its
      // service-user-… id; `orgId` and `serviceUserId` are the resource id, so they need no entry in `state`.
      newResource: ({ type, name, inputs }) => {
        const kind = type.split(":").pop();
        const id = `${kind === "Organization" ? "org" : "service-user"}-${Buffer.from(name).toString("hex").padEnd(32, "0").slice(0, 32)}`;
        const computed = kind === "ServiceUser" ? { apiKey: "cog_unit-test-key", expiresAt: null } : {};
        return { id, state: { ...inputs, ...computed } };
      },
      // Lookups are invokes here, with the token `devin:index:<function name>`: `inputs` are the lookup's own
      // arguments, and the answer is what the lookup returns (for a list lookup, the list). No request reaches Devin.
      call: ({ token, inputs }) => {
        calls.push(token);
        if (token === "devin:index:getOrganization") return { orgId: "org-legacy", name: inputs.name, acuLimit: 10 };
        throw new Error(`unexpected lookup ${token}`);
      },
    },
    "unit-test",
    "dev",
  );
});

/** An Output's value, once it settles. */
const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("a team's resources", () => {
  it("provisions the team's bot in the team's own org, with a member role and a 30-day lifetime", async () => {
    const { team } = await import("./index");
    const { org, bot } = team({ name: "Data Science", acuLimit: 150 });
    const [orgId, botOrg, role, ttl] = await Promise.all([
      valueOf(org.orgId),
      valueOf(bot.orgId),
      valueOf(bot.role),
      valueOf(bot.ttlSeconds),
    ]);
    expect(orgId).toMatch(/^org-[0-9a-f]{32}$/);
    expect(botOrg).toBe(orgId);
    expect(role).toBe("Member");
    expect(ttl).toBe(30 * 24 * 3600);
  });

  it("caps the org's ACUs per cycle", async () => {
    const { platform } = await import("./index");
    expect(await valueOf(platform.org.acuLimit)).toBe(500);
  });
});

describe("a bot for an existing org", () => {
  it("finds the org with a lookup, answered by the mocks, and puts the bot in it", async () => {
    const { botFor } = await import("./index");
    const bot = botFor("Legacy");
    expect(await valueOf(bot.orgId)).toBe("org-legacy");
    expect(calls).toEqual(["devin:index:getOrganization"]);
  });
});
