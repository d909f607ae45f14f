import type { FastifyInstance } from "fastify";
import { principalOf } from "../auth";
import { paginate, pageQuerySchema, type PageQuery } from "../pagination";
import { presentApiKey } from "../presenters";
import { ApiError, unprocessable } from "../problem";
import { audit, isKeyActive, issueApiKey, liveServiceUser, type ApiKeyRecord, type Emulator } from "../store";

const suParams = { type: "object", properties: { service_user_id: { type: "string" }, api_key_id: { type: "string" } } } as const;
type Params = { service_user_id: string; api_key_id: string };
type KeyStatus = "active" | "revoked" | "expired" | "all";

/** Service-user API keys (docs/api-notes.md section 6): create, list, revoke (409 twice) and rotate (400 unless active). */
export function apiKeyRoutes(app: FastifyInstance, emu: Emulator): void {
  const config = { access: { permission: "ManageAccountServiceUsers" as const } };
  const keysOf = (serviceUserId: string) =>
    Object.values(emu.store.state.apiKeys)
      .filter((k) => k.service_user_id === serviceUserId)
      .sort((a, b) => a.seq - b.seq);

  function futureOrNull(value: number | null | undefined, field: string): number | null {
    if (value === null || value === undefined) return null;
    if (value <= emu.clock.now()) throw unprocessable(["body", field], "must be in the future");
    return value;
  }

  app.post<{ Params: Params; Body: { name: string; expires_at?: number | null } }>(
    "/enterprise/service-users/:service_user_id/api-keys",
    {
      config,
      schema: {
        params: suParams,
        body: {
          type: "object",
          required: ["name"],
          properties: { name: { type: "string", minLength: 1, maxLength: 256 }, expires_at: { type: ["integer", "null"] } },
        },
      },
    },
    async (req) => {
      const principal = principalOf(req);
      const su = liveServiceUser(emu, req.params.service_user_id);
      const expiresAt = futureOrNull(req.body.expires_at, "expires_at");
      const { key, token } = issueApiKey(emu, su, req.body.name, expiresAt);
      audit(emu, principal, "create_service_user_api_key", su.home_org_id, {
        target_service_user_id: su.service_user_id,
        api_key_id: key.api_key_id,
      });
      await emu.store.commit();
      return { api_key_id: key.api_key_id, api_key_name: key.api_key_name, token };
    },
  );

  app.get<{ Params: Params; Querystring: PageQuery & { status?: KeyStatus } }>(
    "/enterprise/service-users/:service_user_id/api-keys",
    {
      config,
      schema: {
        params: suParams,
        querystring: {
          type: "object",
          properties: { ...pageQuerySchema, status: { type: "string", enum: ["active", "revoked", "expired", "all"], default: "all" } },
        },
      },
    },
    async (req) => {
      const su = liveServiceUser(emu, req.params.service_user_id);
      const now = emu.clock.now();
      const status = req.query.status ?? "all";
      const matches = (k: ApiKeyRecord) =>
        status === "all" ||
        (status === "active" && isKeyActive(k, now)) ||
        (status === "revoked" && k.revoked_at !== null) ||
        (status === "expired" && k.revoked_at === null && k.expires_at !== null && k.expires_at <= now);
      return paginate(keysOf(su.service_user_id).filter(matches), req.query, (k) => presentApiKey(k, now));
    },
  );

  function findKey(params: Params): ApiKeyRecord {
    const su = liveServiceUser(emu, params.service_user_id);
    const key = emu.store.state.apiKeys[params.api_key_id];
    if (!key || key.service_user_id !== su.service_user_id) throw new ApiError(404, `API key ${params.api_key_id} not found`);
    return key;
  }

  app.delete<{ Params: Params }>(
    "/enterprise/service-users/:service_user_id/api-keys/:api_key_id",
    { config, schema: { params: suParams } },
    async (req) => {
      const principal = principalOf(req);
      const key = findKey(req.params);
      if (key.revoked_at !== null) throw new ApiError(409, `API key ${key.api_key_id} is already revoked`);
      key.revoked_at = emu.clock.now();
      audit(emu, principal, "revoke_service_user_api_key", null, {
        target_service_user_id: key.service_user_id,
        api_key_id: key.api_key_id,
      });
      await emu.store.commit();
      return presentApiKey(key, emu.clock.now());
    },
  );

  app.post<{ Params: Params; Body: { new_key_expires_at?: number | null; revoke_current?: boolean } }>(
    "/enterprise/service-users/:service_user_id/api-keys/:api_key_id/rotate",
    {
      config,
      schema: {
        params: suParams,
        body: {
          type: "object",
          properties: { new_key_expires_at: { type: ["integer", "null"] }, revoke_current: { type: "boolean", default: true } },
        },
      },
    },
    async (req) => {
      const principal = principalOf(req);
      const key = findKey(req.params);
      const now = emu.clock.now();
      if (!isKeyActive(key, now)) throw new ApiError(400, `API key ${key.api_key_id} is not active and cannot be rotated`);
      const expiresAt = futureOrNull(req.body.new_key_expires_at, "new_key_expires_at");
      const su = liveServiceUser(emu, key.service_user_id);
      const { key: fresh, token } = issueApiKey(emu, su, key.api_key_name, expiresAt);
      if (req.body.revoke_current !== false) key.revoked_at = now;
      audit(emu, principal, "rotate_service_user_api_key", null, {
        target_service_user_id: su.service_user_id,
        api_key_id: key.api_key_id,
        new_api_key_id: fresh.api_key_id,
      });
      await emu.store.commit();
      return { api_key_id: fresh.api_key_id, api_key_name: fresh.api_key_name, token };
    },
  );
}
