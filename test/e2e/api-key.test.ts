import { describe, expect, it } from "vitest";
import { useStack, type Spec } from "../support/pulumi";

/**
 * A key that rotates itself, through the real CLI: issue, rotate on a trigger, rotate when due (the emulator's clock
 * moved past rotateAfterSeconds), a key revoked outside Pulumi, destroy. Each step asserts the requests it made; the
 * secrets scan that ends the test checks no key is in plaintext anywhere.
 */

const { emu, stack } = useStack();
const DAY = 86_400;

const spec = (quarter: string): Spec => ({
  orgs: [],
  serviceUsers: [{ key: "ci", name: "ci", role: "Member" }],
  resources: [
    {
      key: "ciKey",
      type: "ApiKey",
      args: { serviceUserId: "$ci.serviceUserId", rotateAfterSeconds: 30 * DAY, expiresInSeconds: 45 * DAY, rotationTriggers: { quarter } },
    },
  ],
});

describe("ApiKey through the real CLI", () => {
  it("issues, rotates on a trigger and when due, replaces a key revoked outside Pulumi, and revokes on destroy", async () => {
    const api = emu();
    // The requests about API keys since `mark`, and any write (the ServiceUser beside it reads the roles once per run).
    const calls = async (mark: number) =>
      (await api.requests())
        .slice(mark)
        .map(
          (r) =>
            `${r.method} ${r.path
              .split("?")[0]
              .replace(/^\/v3(beta1)?/, "")
              .replace(/[0-9a-f]{32}/g, "*")}`,
        )
        .filter((c) => c.includes("/api-keys") || !c.startsWith("GET"));
    const token = async () => (await stack().outputs(true)).apiKeyTokens.ciKey;
    const stateKey = async () => {
      const exported = JSON.parse((await stack().ok(["stack", "export", "--show-secrets"])).stdout) as {
        deployment: { resources: { type: string; outputs?: { key?: { plaintext?: string } | string } }[] };
      };
      const key = exported.deployment.resources.find((r) => r.type.endsWith(":ApiKey"))?.outputs?.key;
      return typeof key === "string" ? key : (JSON.parse(key?.plaintext ?? "null") as string);
    };
    const works = async (key: string) => (await api.call("GET", "/v3/self", undefined, key)).status;
    const KEYS = "/enterprise/service-users/service-user-*/api-keys";

    await stack().setSpec(spec("2026Q4"));
    let mark = (await api.requests()).length;
    await stack().ok(["up", "--yes", "--skip-preview"]);
    const first = await token();
    expect(await works(first)).toBe(200);
    expect((await calls(mark)).filter((c) => c.includes("/api-keys"))).toEqual([`GET ${KEYS}`, `POST ${KEYS}`, `GET ${KEYS}`]);

    // Nothing due: the preview reads the key once (its age) and writes nothing.
    mark = (await api.requests()).length;
    await stack().ok(["preview", "--expect-no-changes"]);
    expect(await calls(mark)).toEqual([`GET ${KEYS}`]);

    // A trigger changes: the key rotates in place; the new key exists before the old one is revoked.
    await stack().setSpec(spec("2027Q1"));
    const triggered = await stack().ok(["preview", "--diff"]);
    expect(triggered.stdout).toMatch(/~ rotation\s*: "[^"]+: issued" => "[^"]+: rotated: rotationTriggers changed"/);
    mark = (await api.requests()).length;
    const rotated = await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(rotated.stdout).toMatch(/1 updated/);
    expect(await calls(mark)).toEqual([
      `GET ${KEYS}`, // check: the key's age
      `GET ${KEYS}`, // update: the key to rotate
      `POST ${KEYS}/api-key-*/rotate`,
      `GET ${KEYS}`,
      `DELETE ${KEYS}/api-key-*`,
    ]);
    const second = await token();
    expect(second).not.toBe(first);
    expect(await works(second)).toBe(200);
    expect(await works(first)).toBe(401);

    // Revoking fails after the new key is issued: the failed up still saves the new key, and the next up only revokes.
    await api.faults([
      { kind: "server-error", status: 500, method: "DELETE", path: "/v3beta1/enterprise/service-users/*/api-keys/*", times: 1000 },
    ]);
    await stack().setSpec(spec("2027Q2"));
    const failed = await stack().run(["up", "--yes", "--skip-preview"], undefined, { DEVIN_RETRY_BUDGET_SECONDS: "1" });
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toContain("issued the new key");
    await api.faults([]);
    // The state holds the new key (the stack's outputs are written only by a successful up).
    const partial = await stateKey();
    expect(partial).not.toBe(second);
    expect(await works(partial)).toBe(200);
    expect(await works(second)).toBe(200);
    mark = (await api.requests()).length;
    await stack().ok(["up", "--yes", "--skip-preview"]);
    expect((await calls(mark)).filter((c) => !c.startsWith("GET"))).toEqual([`DELETE ${KEYS}/api-key-*`]);
    expect(await works(second)).toBe(401);
    expect(await token()).toBe(partial);
    await stack().ok(["preview", "--expect-no-changes"]);

    // A month later (the emulator's clock): the preview shows the rotation that is due and why; up makes it.
    await api.advanceClock(31 * DAY);
    const due = await stack().ok(["preview"]);
    expect(due.stdout).toMatch(/~\s+pulumi-nodejs:dynamic\/devin:ApiKey ciKey update \[diff: ~rotation\]/);
    const reasons = await stack().ok(["preview", "--diff"]);
    expect(reasons.stdout).toContain("rotated: the key is 31 days old; rotateAfterSeconds is 30 days");
    mark = (await api.requests()).length;
    await stack().ok(["up", "--yes", "--skip-preview"]);
    expect((await calls(mark)).filter((c) => !c.startsWith("GET"))).toEqual([`POST ${KEYS}/api-key-*/rotate`, `DELETE ${KEYS}/api-key-*`]);
    const third = await token();
    expect(await works(third)).toBe(200);
    expect(await works(partial)).toBe(401);
    await stack().ok(["preview", "--expect-no-changes"]);

    // Revoked outside Pulumi: refresh drops it, and the next up issues a new key.
    const { resourceIds } = await stack().outputs();
    const live = await api.call<{ items: { api_key_id: string; api_key_name: string }[] }>(
      "GET",
      `/v3beta1/enterprise/service-users/${(await stack().outputs()).serviceUserIds.ci}/api-keys?status=active`,
    );
    const current = live.body.items.find((k) => k.api_key_name === "ciKey");
    expect(current).toBeDefined();
    await api.call(
      "DELETE",
      `/v3beta1/enterprise/service-users/${(await stack().outputs()).serviceUserIds.ci}/api-keys/${current?.api_key_id}`,
    );
    await stack().ok(["refresh", "--yes", "--skip-preview"]);
    mark = (await api.requests()).length;
    const reissued = await stack().ok(["up", "--yes", "--skip-preview"]);
    expect(reissued.stdout).toMatch(/1 created/);
    expect((await calls(mark)).filter((c) => !c.startsWith("GET"))).toEqual([`POST ${KEYS}`]);
    const fourth = await token();
    expect(await works(fourth)).toBe(200);
    expect((await stack().outputs()).resourceIds.ciKey).not.toBe(resourceIds.ciKey);

    mark = (await api.requests()).length;
    await stack().ok(["destroy", "--yes", "--skip-preview"]);
    expect((await calls(mark)).filter((c) => c.includes("/api-keys"))).toEqual([`DELETE ${KEYS}/api-key-*`]);
    expect(await works(fourth)).toBe(401);
    for (const key of [first, second, partial, third, fourth]) stack().sensitive.add(key);
  });
});
