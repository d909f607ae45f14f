import { apiKey as table } from "../schema/apiKey";
import { fromWire } from "../schema/wire";
import { seg } from "./api";
import { checkId, checkOptionalText, failures, type CheckFailure } from "./check";
import { apiClient, type DevinClient, type RequestSpec } from "./client";
import { PartialCreateError } from "./createOnce";
import { adoptTargetMissingError, duplicateObjectError, partialCreateMessage } from "./errors";
import { SCHEMA_VERSION, type Lifecycle } from "./lifecycle";
import { checkReferences } from "./references";
import { isOffline } from "./offline";
import { settingsProblem } from "./settings";
import { declaredArguments, defined, isUnknown } from "./values";

export const apiKeyPaths = {
  apiKeys: (serviceUserId: string) => `/v3beta1/enterprise/service-users/${seg(serviceUserId)}/api-keys`,
  apiKey: (serviceUserId: string, apiKeyId: string) => `/v3beta1/enterprise/service-users/${seg(serviceUserId)}/api-keys/${seg(apiKeyId)}`,
  /** Issues a new key in place of an active one; `revoke_current: false` keeps the old one working. */
  rotateApiKey: (serviceUserId: string, apiKeyId: string) =>
    `/v3beta1/enterprise/service-users/${seg(serviceUserId)}/api-keys/${seg(apiKeyId)}/rotate`,
} as const;

export interface ApiKey {
  api_key_id: string;
  api_key_name?: string;
  created_at: number;
  expires_at?: number | null;
  is_active?: boolean;
  revoked_at?: number | null;
}

export interface ApiKeyWithToken {
  api_key_id: string;
  api_key_name?: string;
  token: string;
}

/**
 * An API key of a service user that rotates itself. A rotation is an update, never a replacement: the key keeps its
 * resource, its name and its place in the program, and only `key` and `apiKeyId` change.
 *
 * Why a rotation happens is decided in `check`, which writes it into the `rotation` input ("<when>: <why>"): a changed
 * `rotationTriggers`, a key older than `rotateAfterSeconds` (measured in the API's clock: its Date header and the key's
 * `created_at`), a key revoked or expired outside Pulumi, a new `expiresInSeconds`. So the preview shows the rotation
 * and its reason as a change of `rotation`, and `up` makes exactly the rotation the preview showed.
 *
 * A rotation never leaves the holder without a working key: the new key is issued first (the API's rotate, keeping
 * the old key active), then every other active key of that name is revoked: the old one, and any whose answer a
 * failure lost. The old key therefore works until the moment `up` has the new one.
 */

export interface ApiKeyInputs {
  serviceUserId: string;
  /** The key's name; the program side defaults it to the resource name. */
  name: string;
  expiresInSeconds?: number;
  rotateAfterSeconds?: number;
  rotationTriggers?: unknown;
  /** Written by check: when the current key was (or is to be) issued, and why. */
  rotation: string;
  adoptId?: string;
}

export interface ApiKeyOutputs extends ApiKeyInputs {
  schemaVersion: number;
  apiKeyId: string;
  /** The `cog_` token. A Pulumi secret. */
  key: string;
  /** When the current key was created, unix seconds (the API's clock). */
  createdAt: number;
  expiresAt: number | null;
  /** When the current key replaced an earlier one, unix seconds; null for the first key. */
  rotatedAt: number | null;
  /** A rotation issued the key but could not revoke the one it replaces: the next `up` revokes it. */
  revokePending?: boolean;
}

/** The shortest lifetime and rotation age accepted: anything shorter is a typo of units. */
const MIN_SECONDS = 60;

const DAY = 86_400;
function duration(seconds: number): string {
  if (seconds >= DAY) return `${Math.floor(seconds / DAY)} day${seconds >= 2 * DAY ? "s" : ""}`;
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 60)} min`;
}

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");
const canonical = (v: unknown) => JSON.stringify(v ?? null);

function checkSeconds(property: string, value: unknown, meaning: string): string | undefined {
  if (value === undefined || value === null || isUnknown(value)) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < MIN_SECONDS)
    return `${property} must be a whole number of seconds, ${MIN_SECONDS} or more (${meaning}; 30 days is 2592000) (got ${JSON.stringify(value)}).`;
  return undefined;
}

function checkInputs(news: Partial<ApiKeyInputs>): CheckFailure[] {
  const { expiresInSeconds: expires, rotateAfterSeconds: after } = news;
  return failures([
    [
      "serviceUserId",
      checkId("serviceUserId", news.serviceUserId, "service-user") ??
        (news.serviceUserId === undefined
          ? // A ServiceUser that failed (refused, or left by a killed run) gives its dependents no id at all.
            "serviceUserId has no value. If the program passes a ServiceUser's serviceUserId, that ServiceUser was not " +
            "created: fix the error reported for it, and run 'pulumi up' again. Otherwise pass the service user the key " +
            "belongs to (a ServiceUser's serviceUserId)."
          : undefined),
    ],
    [
      "name",
      checkOptionalText("name", news.name, "the key's name") ??
        (typeof news.name === "string" && news.name.length > 256 ? "name must be at most 256 characters." : undefined),
    ],
    ["expiresInSeconds", checkSeconds("expiresInSeconds", expires, "the lifetime of each key")],
    ["rotateAfterSeconds", checkSeconds("rotateAfterSeconds", after, "the age at which `pulumi up` rotates the key")],
    [
      "rotateAfterSeconds",
      typeof expires === "number" && typeof after === "number" && !isUnknown(expires) && !isUnknown(after) && after >= expires
        ? `rotateAfterSeconds (${after}) must be less than expiresInSeconds (${expires}), so that each key is rotated before it expires; leave a margin for how often 'pulumi up' runs.`
        : undefined,
    ],
    ["", settingsProblem()],
  ]);
}

/** The active keys of a service user with a name, newest first, and the API's time; none if the service user is gone. */
async function activeKeysNamed(
  client: DevinClient,
  serviceUserId: string,
  name: string,
  operation: string,
): Promise<{ keys: ApiKey[]; serverTime?: number }> {
  const res = await client.call<{ items?: ApiKey[] }>(
    { method: "GET", path: apiKeyPaths.apiKeys(serviceUserId), query: { status: "active", first: 200 } },
    { operation, allow: [404] },
  );
  if (res.status === 404) return { keys: [], serverTime: res.serverTime };
  const keys = (res.body.items ?? []).filter((k) => (k.api_key_name ?? "") === name && k.is_active !== false);
  return { keys: keys.sort((a, b) => b.created_at - a.created_at), serverTime: res.serverTime };
}

/** Why the current key must be replaced now, if it must. Reads the key only when its age or liveness matters. */
async function rotationReasons(olds: Partial<ApiKeyInputs>, news: Partial<ApiKeyInputs>): Promise<{ reasons: string[]; now?: number }> {
  const reasons: string[] = [];
  if (canonical(olds.rotationTriggers) !== canonical(news.rotationTriggers)) reasons.push("rotationTriggers changed");
  if (canonical(olds.expiresInSeconds) !== canonical(news.expiresInSeconds)) reasons.push("expiresInSeconds changed");
  const timed = news.rotateAfterSeconds !== undefined || news.expiresInSeconds !== undefined;
  if (!timed || isUnknown(news.serviceUserId) || isUnknown(news.name) || isOffline() || settingsProblem()) return { reasons };
  const { keys, serverTime } = await activeKeysNamed(
    apiClient(),
    news.serviceUserId as string,
    news.name as string,
    `check API key '${news.name}' of ${news.serviceUserId}`,
  );
  const now = serverTime ?? Date.now() / 1000;
  const current = keys[0];
  if (!current) reasons.push("the key is no longer active (revoked or expired outside Pulumi)");
  else if (typeof news.rotateAfterSeconds === "number" && now - current.created_at >= news.rotateAfterSeconds) {
    reasons.push(`the key is ${duration(now - current.created_at)} old; rotateAfterSeconds is ${duration(news.rotateAfterSeconds)}`);
  }
  return { reasons, now };
}

/** The times the API shows of a key: when it was created, and when it expires (null: never). */
function timesOf(key: ApiKey): { createdAt?: number; expiresAt: number | null } {
  const { createdAt, expiresAt } = fromWire(table.fields, { ...key });
  return { createdAt: createdAt as number | undefined, expiresAt: expiresAt as number | null };
}

function outputsOf(inputs: ApiKeyInputs, issued: ApiKeyWithToken, meta: ApiKey | undefined, rotatedAt: number | null): ApiKeyOutputs {
  // The issuing answer's id and token; its name is the declared one, so the inputs' stands.
  const { apiKeyId, key } = fromWire(table.fields, { ...issued });
  const times = meta ? timesOf(meta) : undefined;
  return defined({
    ...inputs,
    schemaVersion: SCHEMA_VERSION,
    apiKeyId: apiKeyId as string,
    key: key as string,
    createdAt: times?.createdAt ?? Math.floor(Date.now() / 1000),
    expiresAt: times?.expiresAt ?? null,
    rotatedAt,
  });
}

/** The API takes an expiry time, the program a lifetime: each key gets its own. */
function expiresAtFor(inputs: ApiKeyInputs, now: number): number | null {
  return inputs.expiresInSeconds ? Math.floor(now) + inputs.expiresInSeconds : null;
}

/**
 * Issues the stack's new key: a rotation of `from` while it is still active (so the audit log shows a rotation), a
 * new key otherwise. The old key stays active: {@link revokeOthers} revokes it once the new one is in hand.
 */
async function issue(
  client: DevinClient,
  inputs: ApiKeyInputs,
  from: string | undefined,
  live: { keys: ApiKey[]; serverTime?: number },
  operation: string,
): Promise<ApiKeyWithToken> {
  const expiresAt = expiresAtFor(inputs, live.serverTime ?? Date.now() / 1000);
  // A lost answer leaves a key nobody holds; sending again is safe because revokeOthers revokes it afterwards.
  const request: RequestSpec =
    from !== undefined && live.keys.some((k) => k.api_key_id === from)
      ? {
          method: "POST",
          path: apiKeyPaths.rotateApiKey(inputs.serviceUserId, from),
          body: { new_key_expires_at: expiresAt, revoke_current: false },
        }
      : { method: "POST", path: apiKeyPaths.apiKeys(inputs.serviceUserId), body: { name: inputs.name, expires_at: expiresAt } };
  return (await client.call<ApiKeyWithToken>(request, { operation, repeatable: true })).body;
}

/** Revokes every active key of the name but `keep`: the key it replaces, and any a lost answer left behind. */
async function revokeOthers(client: DevinClient, inputs: ApiKeyInputs, keep: string, operation: string): Promise<ApiKey | undefined> {
  const { keys } = await activeKeysNamed(client, inputs.serviceUserId, inputs.name, operation);
  for (const stale of keys.filter((k) => k.api_key_id !== keep)) {
    await client.call(
      { method: "DELETE", path: apiKeyPaths.apiKey(inputs.serviceUserId, stale.api_key_id) },
      { operation: `${operation}: revoke API key ${stale.api_key_id}`, allow: [404, 409] },
    );
  }
  return keys.find((k) => k.api_key_id === keep);
}

/**
 * Issues, then revokes the others. If revoking fails, the new key is already the one the stack must hold: it goes to
 * the state (a partial create or update), and the next `up` finishes revoking.
 */
async function replaceKeys(
  client: DevinClient,
  id: string | undefined,
  inputs: ApiKeyInputs,
  from: string | undefined,
  rotatedAt: (created: number) => number | null,
  operation: string,
  live?: { keys: ApiKey[]; serverTime?: number },
): Promise<ApiKeyOutputs> {
  const before = live ?? (await activeKeysNamed(client, inputs.serviceUserId, inputs.name, operation));
  const issued = await issue(client, inputs, from, before, operation);
  try {
    const meta = await revokeOthers(client, inputs, issued.api_key_id, operation);
    return outputsOf(inputs, issued, meta, rotatedAt(meta?.created_at ?? Math.floor(Date.now() / 1000)));
  } catch (e) {
    const outs = { ...outputsOf(inputs, issued, undefined, rotatedAt(Math.floor(Date.now() / 1000))), revokePending: true };
    // The state takes the new key, marked: the next `up` sees the mark in diff and revokes the old key then.
    throw new PartialCreateError(
      partialCreateMessage(operation, "issued the new key", issued.api_key_id, e, "API key"),
      id ?? issued.api_key_id,
      { ...outs },
    );
  }
}

export const apiKey: Lifecycle<ApiKeyInputs, ApiKeyOutputs> = {
  async check(olds, news) {
    // The API does not document the form of key ids, so any non-empty id is accepted.
    const found = [
      ...checkInputs(news),
      ...failures([["adoptId", checkOptionalText("adoptId", news.adoptId, "an API key id from getApiKeys")]]),
    ];
    if (found.length === 0) found.push(...(await checkReferences(olds, news, ["serviceUserId"])));
    const inputs = declaredArguments<ApiKeyInputs>(table, news);
    const sameKey = olds.rotation !== undefined && olds.serviceUserId === news.serviceUserId && olds.name === news.name;
    if (!sameKey || found.length > 0) {
      return {
        inputs: { ...inputs, rotation: `${iso(Date.now() / 1000)}: ${news.adoptId ? `adopted ${news.adoptId}` : "issued"}` },
        failures: found,
      };
    }
    const { reasons, now } = await rotationReasons(olds, news);
    const rotation = reasons.length > 0 ? `${iso(now ?? Date.now() / 1000)}: rotated: ${reasons.join("; ")}` : (olds.rotation as string);
    return { inputs: { ...inputs, rotation }, failures: found };
  },

  async diff(_id, olds, news) {
    const replaces = ["serviceUserId", "name"].filter(
      (k) => isUnknown(news[k as keyof ApiKeyInputs]) || olds[k as keyof ApiKeyOutputs] !== news[k as keyof ApiKeyInputs],
    );
    const changed =
      replaces.length > 0 ||
      olds.revokePending === true ||
      isUnknown(news.rotation) ||
      olds.rotation !== news.rotation ||
      canonical(olds.rotationTriggers) !== canonical(news.rotationTriggers) ||
      canonical(olds.expiresInSeconds) !== canonical(news.expiresInSeconds) ||
      canonical(olds.rotateAfterSeconds) !== canonical(news.rotateAfterSeconds);
    return { changes: changed, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const client = apiClient();
    const operation = `issue API key '${inputs.name}' for ${inputs.serviceUserId}`;
    if (inputs.adoptId) {
      // A key's token is shown only once, so adopting one means replacing it with a key the stack holds.
      const res = await client.call<{ items?: ApiKey[] }>(
        { method: "GET", path: apiKeyPaths.apiKeys(inputs.serviceUserId), query: { status: "all", first: 200 } },
        { operation, allow: [404] },
      );
      const adopted = res.status === 404 ? undefined : (res.body.items ?? []).find((k) => k.api_key_id === inputs.adoptId);
      if (!adopted) throw adoptTargetMissingError(operation, inputs.adoptId);
      // Named as declared, the new key replaces the adopted one, which is revoked once the new one exists.
      const outs = await replaceKeys(client, undefined, inputs, undefined, (created) => created, operation);
      if (adopted.is_active !== false && adopted.revoked_at == null && adopted.api_key_name !== inputs.name) {
        await client.call(
          { method: "DELETE", path: apiKeyPaths.apiKey(inputs.serviceUserId, adopted.api_key_id) },
          { operation: `${operation}: revoke the adopted key ${adopted.api_key_id}`, allow: [404, 409] },
        );
      }
      return { id: outs.apiKeyId, outs };
    }
    // The guard: an active key of this name that the stack does not hold is left from an interrupted run (its token
    // lost with it) or someone else's; a second one would leave two that nobody can tell apart.
    const live = await activeKeysNamed(client, inputs.serviceUserId, inputs.name, operation);
    const { keys } = live;
    if (keys.length > 0) {
      throw duplicateObjectError(
        operation,
        `an active API key named '${inputs.name}' of ${inputs.serviceUserId}`,
        keys.map((k) => k.api_key_id),
        "ApiKey",
        " (its token cannot be read back, so adopting it issues a new key and revokes it)",
      );
    }
    const outs = await replaceKeys(client, undefined, inputs, undefined, () => null, operation, live);
    return { id: outs.apiKeyId, outs };
  },

  async read(id, props) {
    if (!props)
      throw new Error(`cannot read API key ${id} without its service user; declare it with adoptId instead of looking it up by id alone.`);
    const res = await apiClient().call<{ items?: ApiKey[] }>(
      { method: "GET", path: apiKeyPaths.apiKeys(props.serviceUserId), query: { status: "all", first: 200 } },
      { operation: `read API key ${props.apiKeyId} of ${props.serviceUserId}`, allow: [404] },
    );
    const live = res.status === 404 ? undefined : (res.body.items ?? []).find((k) => k.api_key_id === props.apiKeyId);
    // Revoked or expired outside Pulumi (or its service user deleted): gone, and the next `up` issues a new key.
    if (!live || live.is_active === false || live.revoked_at != null) return {};
    const { createdAt, expiresAt } = timesOf(live);
    const outs: ApiKeyOutputs = { ...props, createdAt: createdAt as number, expiresAt };
    const inputs = defined({
      serviceUserId: props.serviceUserId,
      name: props.name,
      expiresInSeconds: props.expiresInSeconds,
      rotateAfterSeconds: props.rotateAfterSeconds,
      rotationTriggers: props.rotationTriggers,
      rotation: props.rotation,
    });
    return { id, props: outs, inputs: inputs as ApiKeyOutputs };
  },

  async update(id, olds, news) {
    const carried = {
      apiKeyId: olds.apiKeyId,
      key: olds.key,
      createdAt: olds.createdAt,
      expiresAt: olds.expiresAt,
      rotatedAt: olds.rotatedAt,
    };
    // The stamp decides, and so do the inputs that rotate: two rotations within one second may write the same stamp.
    // After a partial rotation the engine keeps the old inputs, so the next check stamps the same rotation again:
    // the key it asks for already exists, and only revoking is left.
    const rotate =
      (news.rotation !== olds.rotation && !olds.revokePending) ||
      canonical(olds.rotationTriggers) !== canonical(news.rotationTriggers) ||
      canonical(olds.expiresInSeconds) !== canonical(news.expiresInSeconds);
    const client = apiClient();
    if (!rotate) {
      const meta = olds.revokePending
        ? await revokeOthers(client, news, olds.apiKeyId, `finish rotating API key '${news.name}' of ${news.serviceUserId}`)
        : undefined;
      const known = meta ? { createdAt: meta.created_at, expiresAt: meta.expires_at ?? null } : {};
      return { outs: defined({ ...news, ...carried, ...known, schemaVersion: SCHEMA_VERSION }) };
    }
    const operation = `rotate API key '${news.name}' of ${news.serviceUserId} (${news.rotation.replace(/^[^ ]+ /, "")})`;
    return { outs: await replaceKeys(client, id, news, olds.apiKeyId, (created) => created, operation) };
  },

  async delete(_id, props) {
    if (!props) return;
    await apiClient().call(
      { method: "DELETE", path: apiKeyPaths.apiKey(props.serviceUserId, props.apiKeyId) },
      // Already revoked (409), or its service user gone (404): nothing is left to revoke. An expired key is revoked too.
      { operation: `revoke API key ${props.apiKeyId} of ${props.serviceUserId}`, allow: [404, 409] },
    );
  },
};
