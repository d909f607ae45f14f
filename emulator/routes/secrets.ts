import type { FastifyInstance } from "fastify";
import { orgScopedPaths, principalOf } from "../auth";
import { hashSecretValue, newId } from "../ids";
import { paginate, pageQuerySchema, type PageQuery } from "../pagination";
import { presentSecret } from "../presenters";
import { ApiError } from "../problem";
import { own, SECRET_TYPES, type SecretRecord } from "../records";
import { audit, liveOrg, type Emulator } from "../store";

/** Sessions see the key as an environment variable, so it follows their naming rule. */
const secretBody = {
  type: "object",
  required: ["type", "key", "value"],
  properties: {
    type: { type: "string", enum: [...SECRET_TYPES] },
    key: { type: "string", minLength: 1, maxLength: 256, pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
    value: { type: "string", minLength: 1 },
    is_sensitive: { type: "boolean", default: true },
    note: { type: ["string", "null"] },
  },
} as const;

interface SecretBody {
  type: SecretRecord["secret_type"];
  key: string;
  value: string;
  is_sensitive: boolean;
  note?: string | null;
}
type SecretRoute = { Params: { org_id?: string; secret_id?: string }; Body: SecretBody; Querystring: PageQuery };

/**
 * Org secrets (docs/api-notes.md section 21): write-only values (no answer, audit entry or state file holds one), no
 * update, a key unique within its org (409), and a DELETE of a secret that is not there answers 403 as the real API
 * does.
 */
export function secretRoutes(app: FastifyInstance, emu: Emulator): void {
  const config = { access: { permission: "ManageOrgSecrets" as const } };
  const secrets = () => emu.store.state.secrets;
  const orgOf = (params: SecretRoute["Params"]) => liveOrg(emu, params.org_id ?? "").org_id;
  const auditData = (s: SecretRecord) => ({ secret_id: s.secret_id, key: s.key, secret_type: s.secret_type });

  for (const path of orgScopedPaths("/secrets")) {
    app.get<SecretRoute>(path, { config, schema: { querystring: { type: "object", properties: pageQuerySchema } } }, async (req) => {
      const orgId = orgOf(req.params);
      const inOrg = Object.values(secrets())
        .filter((s) => s.org_id === orgId)
        .sort((a, b) => a.seq - b.seq);
      return paginate(inOrg, req.query, presentSecret);
    });

    app.post<SecretRoute>(path, { config, schema: { body: secretBody } }, async (req) => {
      const principal = principalOf(req);
      const orgId = orgOf(req.params);
      const { key } = req.body;
      if (Object.values(secrets()).some((s) => s.org_id === orgId && s.key === key)) {
        throw new ApiError(409, `A secret with key '${key}' already exists in this organization; delete it first to replace it`);
      }
      const secret: SecretRecord = {
        secret_id: newId("secret"),
        org_id: orgId,
        key,
        note: req.body.note ?? null,
        is_sensitive: req.body.is_sensitive,
        secret_type: req.body.type,
        access_type: "org",
        created_by: principal.serviceUser.service_user_id,
        created_at: emu.clock.now(),
        value_hash: hashSecretValue(req.body.value),
        seq: emu.store.nextSeq(),
      };
      secrets()[secret.secret_id] = secret;
      audit(emu, principal, "create_secret", orgId, auditData(secret));
      await emu.store.commit();
      return presentSecret(secret);
    });

    app.delete<SecretRoute>(`${path}/:secret_id`, { config }, async (req) => {
      const principal = principalOf(req);
      const orgId = orgOf(req.params);
      const secret = own(secrets(), req.params.secret_id ?? "");
      // The real API answers 403, not 404, for a secret that is gone (the Terraform provider checks the list first).
      if (!secret || secret.org_id !== orgId) throw new ApiError(403, `Secret ${req.params.secret_id} does not exist or is not accessible`);
      delete secrets()[secret.secret_id];
      audit(emu, principal, "delete_secret", orgId, auditData(secret));
      await emu.store.commit();
      return presentSecret(secret);
    });
  }
}
