import { describe, expect, it } from "vitest";
import { apiKey, type ApiKeyInputs, type ApiKeyOutputs } from "../../provider/impl/apiKey";
import { PartialCreateError } from "../../provider/impl/createOnce";
import { UNKNOWN } from "../../provider/impl/values";
import { getApiKeys } from "../../provider/lookups";
import { callsSince, useEmulator } from "../support/provider";

/** ApiKey against the emulator: the requests of each step, rotation that never leaves the holder without a key. */

const { emu } = useEmulator();
const mark = async () => (await emu().requests()).length;
const DAY = 86_400;

async function newServiceUser(): Promise<string> {
  const { service_user } = await emu().provision("/v3beta1/enterprise/service-users", "account_member", "ci");
  return service_user.service_user_id;
}

/** check, then create, as the engine does. */
async function created(inputs: Partial<ApiKeyInputs>): Promise<{ id: string; outs: ApiKeyOutputs; inputs: ApiKeyInputs }> {
  const checked = await apiKey.check({}, inputs);
  expect(checked.failures).toEqual([]);
  const res = await apiKey.create(checked.inputs as ApiKeyInputs);
  return { id: res.id, outs: res.outs as ApiKeyOutputs, inputs: checked.inputs as ApiKeyInputs };
}

const works = async (token: string) => (await emu().call("GET", "/v3/self", undefined, token)).status;

describe("ApiKey", () => {
  it("refuses bad input at preview, naming the field, with no request", async () => {
    const m = await mark();
    const failuresOf = async (news: object) => ((await apiKey.check({}, news)).failures ?? []).map((f) => `${f.property}: ${f.reason}`);
    expect(await failuresOf({ name: "ci" })).toEqual([
      expect.stringMatching(
        /^serviceUserId: serviceUserId has no value. If the program passes a ServiceUser.s serviceUserId, that ServiceUser was not created/,
      ),
    ]);
    expect(await failuresOf({ serviceUserId: "service-user-1", name: "ci", expiresInSeconds: 30 })).toEqual([
      expect.stringMatching(/^expiresInSeconds: .* 60 or more/),
    ]);
    expect(
      await failuresOf({ serviceUserId: "service-user-1", name: "ci", expiresInSeconds: 30 * DAY, rotateAfterSeconds: 30 * DAY }),
    ).toEqual([expect.stringMatching(/^rotateAfterSeconds: rotateAfterSeconds \(2592000\) must be less than expiresInSeconds/)]);
    expect(await failuresOf({ serviceUserId: UNKNOWN, name: UNKNOWN, rotateAfterSeconds: UNKNOWN, rotationTriggers: [UNKNOWN] })).toEqual(
      [],
    );
    expect(await callsSince(emu(), m)).toEqual([]);
  });

  it("issues a key with one POST, rotates on a trigger (new key first, then the old one revoked), and revokes on delete", async () => {
    const su = await newServiceUser();
    const base = `/enterprise/service-users/${su}/api-keys`;
    let m = await mark();
    const key = await created({ serviceUserId: su, name: "ci", rotationTriggers: { quarter: "2026Q4" } });
    // check reads the service user, made outside the stack, once: it names a live one.
    expect(await callsSince(emu(), m)).toEqual([
      `GET /enterprise/members/service-users/${su}`,
      `GET ${base}`,
      `POST ${base}`,
      `GET ${base}`,
    ]);
    expect(key.outs).toMatchObject({ apiKeyId: key.id, name: "ci", rotatedAt: null, expiresAt: null });
    expect(key.outs.rotation).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: issued$/);
    expect(await works(key.outs.key)).toBe(200);

    // Unchanged: no rotation, and no request (nothing timed to look at).
    m = await mark();
    const same = await apiKey.check(key.inputs, { serviceUserId: su, name: "ci", rotationTriggers: { quarter: "2026Q4" } });
    expect((same.inputs as ApiKeyInputs).rotation).toBe(key.outs.rotation);
    expect((await apiKey.diff(key.id, key.outs, same.inputs as ApiKeyInputs)).changes).toBe(false);
    expect(await callsSince(emu(), m)).toEqual([]);

    const next = await apiKey.check(key.inputs, { serviceUserId: su, name: "ci", rotationTriggers: { quarter: "2027Q1" } });
    expect((next.inputs as ApiKeyInputs).rotation).toMatch(/: rotated: rotationTriggers changed$/);
    expect(await apiKey.diff(key.id, key.outs, next.inputs as ApiKeyInputs)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    m = await mark();
    const rotated = (await apiKey.update(key.id, key.outs, next.inputs as ApiKeyInputs)).outs as ApiKeyOutputs;
    expect(await callsSince(emu(), m)).toEqual([
      `GET ${base}`,
      `POST ${base}/${key.outs.apiKeyId}/rotate`,
      `GET ${base}`,
      `DELETE ${base}/${key.outs.apiKeyId}`,
    ]);
    expect(rotated.apiKeyId).not.toBe(key.outs.apiKeyId);
    expect(rotated.rotatedAt).toBe(rotated.createdAt);
    expect(await works(rotated.key)).toBe(200);
    expect(await works(key.outs.key)).toBe(401);
    expect(await emu().auditLog("rotate_service_user_api_key")).toHaveLength(1);

    m = await mark();
    await apiKey.delete(key.id, rotated);
    expect(await callsSince(emu(), m)).toEqual([`DELETE ${base}/${rotated.apiKeyId}`]);
    expect(await works(rotated.key)).toBe(401);
    // Already revoked: done.
    await expect(apiKey.delete(key.id, rotated)).resolves.toBeUndefined();
  });

  it("rotates once the key is older than rotateAfterSeconds in the API's clock, and the reason says so", async () => {
    const su = await newServiceUser();
    const key = await created({ serviceUserId: su, name: "ci", rotateAfterSeconds: 30 * DAY, expiresInSeconds: 45 * DAY });
    // The expiry is computed from the API's time just before the create: a second may pass in between.
    expect((key.outs.expiresAt as number) - key.outs.createdAt - 45 * DAY).toBeGreaterThanOrEqual(-2);
    expect((key.outs.expiresAt as number) - key.outs.createdAt - 45 * DAY).toBeLessThanOrEqual(0);
    const declared = { serviceUserId: su, name: "ci", rotateAfterSeconds: 30 * DAY, expiresInSeconds: 45 * DAY };

    let m = await mark();
    const young = await apiKey.check(key.inputs, declared);
    expect((young.inputs as ApiKeyInputs).rotation).toBe(key.outs.rotation);
    expect(await callsSince(emu(), m)).toEqual([`GET /enterprise/service-users/${su}/api-keys`]);

    await emu().advanceClock(31 * DAY);
    const due = await apiKey.check(key.inputs, declared);
    expect((due.inputs as ApiKeyInputs).rotation).toMatch(/: rotated: the key is 31 days old; rotateAfterSeconds is 30 days$/);
    const rotated = (await apiKey.update(key.id, key.outs, due.inputs as ApiKeyInputs)).outs as ApiKeyOutputs;
    // The new key lives 45 days from the API's now, not from the old key's birth.
    expect((rotated.expiresAt as number) - rotated.createdAt - 45 * DAY).toBeGreaterThanOrEqual(-2);
    expect((rotated.expiresAt as number) - rotated.createdAt - 45 * DAY).toBeLessThanOrEqual(0);
    expect(rotated.createdAt - key.outs.createdAt).toBeGreaterThanOrEqual(31 * DAY);
    m = await mark();
    const fresh = await apiKey.check(due.inputs as ApiKeyInputs, declared);
    expect((fresh.inputs as ApiKeyInputs).rotation).toBe((due.inputs as ApiKeyInputs).rotation);
    expect(await callsSince(emu(), m)).toHaveLength(1);
  });

  it("a key revoked outside Pulumi: refresh drops it, and a timed check asks for a new one", async () => {
    const su = await newServiceUser();
    const key = await created({ serviceUserId: su, name: "ci", rotateAfterSeconds: 30 * DAY });
    await emu().call("DELETE", `/v3beta1/enterprise/service-users/${su}/api-keys/${key.outs.apiKeyId}`);
    expect(await apiKey.read(key.id, key.outs)).toEqual({});
    const check = await apiKey.check(key.inputs, { serviceUserId: su, name: "ci", rotateAfterSeconds: 30 * DAY });
    expect((check.inputs as ApiKeyInputs).rotation).toMatch(/rotated: the key is no longer active/);
    const m = await mark();
    const replaced = (await apiKey.update(key.id, key.outs, check.inputs as ApiKeyInputs)).outs as ApiKeyOutputs;
    // The old key cannot be rotated: a new one is created.
    expect((await callsSince(emu(), m)).filter((c) => c.startsWith("POST"))).toEqual([`POST /enterprise/service-users/${su}/api-keys`]);
    expect(await works(replaced.key)).toBe(200);
  });

  it("refuses to issue a second key of a name in use, and adopting it replaces it with the stack's own", async () => {
    const su = await newServiceUser();
    const stray = await emu().call<{ api_key_id: string; token: string }>("POST", `/v3beta1/enterprise/service-users/${su}/api-keys`, {
      name: "ci",
    });
    const m = await mark();
    const checked = await apiKey.check({}, { serviceUserId: su, name: "ci" });
    const err = (await apiKey.create(checked.inputs as ApiKeyInputs).catch((e: Error) => e)) as Error;
    expect(err.message).toContain(`an active API key named 'ci' of ${su} already exists (${stray.body.api_key_id})`);
    expect(err.message).toContain(`'adoptId: "${stray.body.api_key_id}"'`);
    expect((await callsSince(emu(), m)).filter((c) => !c.startsWith("GET"))).toEqual([]);

    const adopted = await created({ serviceUserId: su, name: "ci", adoptId: stray.body.api_key_id });
    expect(await works(adopted.outs.key)).toBe(200);
    expect(await works(stray.body.token)).toBe(401);
    expect((await getApiKeys({ serviceUserId: su }, { token: emu().token, apiUrl: emu().url })).map((k) => k.name).sort()).toEqual([
      "ci",
      "initial",
    ]);
  });

  it("a lost rotation answer leaves no stray key, and a failed revoke still keeps the new key in the state", async () => {
    const su = await newServiceUser();
    const key = await created({ serviceUserId: su, name: "ci", rotationTriggers: 1 });
    const next = (await apiKey.check(key.inputs, { serviceUserId: su, name: "ci", rotationTriggers: 2 })).inputs as ApiKeyInputs;
    await emu().faults([
      { kind: "commit-then-drop", method: "POST", path: "/v3beta1/enterprise/service-users/*/api-keys/*/rotate", times: 1 },
    ]);
    const rotated = (await apiKey.update(key.id, key.outs, next)).outs as ApiKeyOutputs;
    // The lost answer's key was made, and the resent request made another: the stray is revoked.
    expect(await emu().auditLog("rotate_service_user_api_key")).toHaveLength(2);
    const active = await getApiKeys({ serviceUserId: su }, { token: emu().token, apiUrl: emu().url });
    expect(active.filter((k) => k.name === "ci").map((k) => k.apiKeyId)).toEqual([rotated.apiKeyId]);

    const third = (await apiKey.check(next, { serviceUserId: su, name: "ci", rotationTriggers: 3 })).inputs as ApiKeyInputs;
    await emu().faults([
      { kind: "server-error", status: 500, method: "DELETE", path: "/v3beta1/enterprise/service-users/*/api-keys/*", times: 1000 },
    ]);
    process.env.DEVIN_RETRY_BUDGET_SECONDS = "1";
    try {
      const err = (await apiKey.update(key.id, rotated, third).catch((e: Error) => e)) as PartialCreateError;
      expect(err).toBeInstanceOf(PartialCreateError);
      expect(err.message).toContain("issued the new key");
      const partial = err.properties as unknown as ApiKeyOutputs;
      expect(partial.apiKeyId).not.toBe(rotated.apiKeyId);
      expect(await works(partial.key)).toBe(200);
      expect(partial.revokePending).toBe(true);
      // The next up revokes the old key, and issues nothing.
      await emu().faults([]);
      expect((await apiKey.diff(key.id, partial, third)).changes).toBe(true);
      const m = await mark();
      const finished = (await apiKey.update(key.id, partial, third)).outs as ApiKeyOutputs;
      expect((await callsSince(emu(), m)).filter((c) => !c.startsWith("GET"))).toEqual([
        `DELETE /enterprise/service-users/${su}/api-keys/${rotated.apiKeyId}`,
      ]);
      expect(finished.revokePending).toBeUndefined();
      expect(finished.key).toBe(partial.key);
      expect(await works(rotated.key)).toBe(401);
    } finally {
      delete process.env.DEVIN_RETRY_BUDGET_SECONDS;
      await emu().faults([]);
    }
  });
});
