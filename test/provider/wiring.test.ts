import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";

// Wiring only: Pulumi's mocks never call the provider. Serialization is stubbed because vitest's module transform
// breaks closure serialization; the real serialization is tested in plain Node (test/host).
const serializeClosure = createRequire(import.meta.url)("@pulumi/pulumi/runtime/closure/serializeClosure");
vi.spyOn(serializeClosure, "serializeFunction").mockResolvedValue({ text: "exports.handler = () => ({});", containsSecrets: false });

/** The invokes the mocks' `call` answered: lookups, under mocks. */
const invoked: { token: string; inputs: Record<string, unknown> }[] = [];

const registered: Record<string, { type: string; secretOutputs: string[]; inputs: Record<string, unknown> }> = {};

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered[args.name] = { ...registered[args.name], type: args.type, inputs: args.inputs };
        return { id: `${args.name}-id`, state: { ...args.inputs, orgId: `${args.name}-id` } };
      },
      call: ({ token, inputs }) => {
        invoked.push({ token, inputs });
        if (token === "devin:index:getOrganization") return { orgId: inputs.orgId, name: "Mocked", acuLimit: 7 };
        if (token === "devin:index:getUsers") return [{ userId: "user-1", email: inputs.email, name: null, roles: [] }];
        if (token === "devin:index:getOrganizations") return { items: [] };
        return {};
      },
    },
    "wiring",
    "test",
    false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource: (req: { getName(): string; getAdditionalsecretoutputsList(): string[] }, cb: unknown) => unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    registered[req.getName()] = { ...registered[req.getName()], secretOutputs: req.getAdditionalsecretoutputsList() };
    return original(req, cb);
  };
});

describe("resource wiring", () => {
  it("registers the documented type tokens, marks apiKey secret and never passes credentials as inputs", async () => {
    const devin = await import("../../provider/index");
    const org = new devin.Organization("eng", { name: "Engineering", acuLimit: 500 });
    const su = new devin.ServiceUser("ci", { orgId: org.orgId, name: "ci-bot", role: "Member" }, { additionalSecretOutputs: ["roleId"] });
    await new Promise<void>((resolve) => pulumi.all([org.urn, su.urn]).apply(() => resolve()));

    expect(registered.eng.type).toBe("pulumi-nodejs:dynamic/devin:Organization");
    expect(registered.ci.type).toBe("pulumi-nodejs:dynamic/devin:ServiceUser");
    expect(registered.ci.secretOutputs).toEqual(expect.arrayContaining(["apiKey", "roleId"]));
    expect(registered.eng.secretOutputs).not.toContain("apiKey");
    expect(Object.keys(registered.eng.inputs).sort()).toEqual(["__kind", "__provider", "acuLimit", "name"]);
    expect(Object.keys(registered.ci.inputs).sort()).toEqual(["__kind", "__provider", "name", "orgId", "role"]);
    expect(registered.ci.inputs.orgId).toBe("eng-id");
  });
});

describe("org content wiring", () => {
  it("a Secret's value is a secret input and output even when the program passes a plain string", async () => {
    const devin = await import("../../provider/index");
    const org = new devin.Organization("content-org", { name: "Content" });
    const book = new devin.Playbook("book", { orgId: org.orgId, title: "T", body: "B" });
    const secret = new devin.Secret("npm", { orgId: org.orgId, key: "NPM_TOKEN", value: "plain-value" });
    const sched = new devin.Schedule("weekly", {
      orgId: org.orgId,
      name: "W",
      prompt: "P",
      frequency: "0 9 * * 1",
      playbookId: book.playbookId,
    });
    await new Promise<void>((resolve) => pulumi.all([secret.urn, sched.urn]).apply(() => resolve()));
    expect(registered.npm.type).toBe("pulumi-nodejs:dynamic/devin:Secret");
    expect(registered.npm.secretOutputs).toContain("value");
    // Sent to the engine as a secret: the state stores it encrypted.
    expect(registered.npm.inputs.value).toEqual({
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: "plain-value",
    });
    expect(await new Promise((resolve) => (secret.value as unknown as { isSecret: Promise<boolean> }).isSecret.then(resolve))).toBe(true);
    const key = new devin.ApiKey("ci-key", { serviceUserId: "service-user-1", rotateAfterSeconds: 2_592_000 });
    await new Promise<void>((resolve) => key.urn.apply(() => resolve()));
    expect(registered["ci-key"].secretOutputs).toContain("key");
    // The key's name defaults to the resource name.
    expect(registered["ci-key"].inputs.name).toBe("ci-key");
    // The schedule refers to the playbook by its id, which is the playbook's resource id.
    expect(registered.weekly.inputs.playbookId).toBe("book-id");
  });
});

describe("program-side argument checks", () => {
  it("refuses an unknown argument, such as acu_limit from JSON, suggesting the right one", async () => {
    const devin = await import("../../provider/index");
    const args = JSON.parse(`{"name":"Loop","acu_limit":5}`) as import("../../provider/index").OrganizationArgs;
    expect(() => new devin.Organization("loop", args)).toThrow(
      "Organization 'loop' has unknown argument 'acu_limit' (did you mean 'acuLimit'?)",
    );
    expect(() => new devin.ServiceUser("bot", JSON.parse('{"name":"b","role":"Member","ttl":60}'))).toThrow(
      "ServiceUser 'bot' has unknown argument 'ttl'. Its arguments are: orgId, name, role, ttlSeconds, adoptId, apiKeyOnAdopt.",
    );
  });

  it.each([
    ["acu_limit", "acuLimit"],
    ["max_session_acu_limit", "maxSessionAcuLimit"],
    ["acuLimt", "acuLimit"],
    ["AcuLimit", "acuLimit"],
    ["role_id", "role"],
    ["colour", undefined],
  ])("suggests for %s: %s", async (key, expected) => {
    const { suggestArgument } = await import("../../provider/args");
    expect(suggestArgument(key, ["name", "acuLimit", "maxSessionAcuLimit", "role"])).toBe(expected);
  });
});

describe("lookups under Pulumi's mocks", () => {
  it("are invokes the mocks' call answers, with the lookup's own arguments, and send no request", async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(401).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const options = { token: `cog_${"a".repeat(52)}`, apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    try {
      const devin = await import("../../provider/index");
      invoked.length = 0;
      expect(await devin.getOrganization({ orgId: "org-1" }, options)).toEqual({ orgId: "org-1", name: "Mocked", acuLimit: 7 });
      const users = await new Promise((resolve) => devin.getUsersOutput({ email: "a@example.com" }, options).apply(resolve));
      expect(users).toEqual([{ userId: "user-1", email: "a@example.com", name: null, roles: [] }]);
      expect(await devin.getRoles(options)).toEqual([]);
      expect(invoked).toEqual([
        { token: "devin:index:getOrganization", inputs: { orgId: "org-1" } },
        { token: "devin:index:getUsers", inputs: { email: "a@example.com" } },
        { token: "devin:index:getRoles", inputs: {} },
      ]);
      // The credentials stay out of the mock's inputs, and nothing reached the API.
      expect(JSON.stringify(invoked)).not.toContain(options.token);
      expect(requests).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("a list lookup whose mock answers with an object says what it must return", async () => {
    const devin = await import("../../provider/index");
    await expect(devin.getOrganizations()).rejects.toThrow(
      "the mocks' call for devin:index:getOrganizations must return a list (the lookup's own result), not an object with 'items'.",
    );
  });
});
