import type { FastifyInstance } from "fastify";
import { orgScopedPaths } from "../auth";
import { paginate, pageQuerySchema, type PageQuery } from "../pagination";
import { unprocessable } from "../problem";
import { liveOrg, type Emulator } from "../store";

/** The audit actions of the contract's list; an unknown action is a 422. */
export const AUDIT_ACTIONS = [
  "create_org",
  "update_org",
  "delete_org",
  "create_service_user",
  "delete_service_user",
  "assign_service_user_role",
  "remove_service_user_role",
  "create_service_user_api_key",
  "revoke_service_user_api_key",
  "rotate_service_user_api_key",
  "set_org_group_limits",
  "assign_roles",
  "update_role",
  "create_role",
  "delete_role",
  "add_member",
  "delete_member",
  "add_enterprise_member",
  "login",
  "update_org_settings",
  "update_enterprise_settings",
  "create_org_api_key",
  "create_user_api_key",
  "create_pat",
  "revoke_pat",
  "rotate_pat",
  "create_session",
  "terminate_session",
  // Not in the known excerpt of the SDK's enum; chosen by the emulator for IdP group registration (see README).
  "create_idp_group",
  "delete_idp_group",
  // Likewise for the content families (see README).
  "create_git_permission",
  "update_git_permission",
  "delete_git_permission",
  "create_playbook",
  "update_playbook",
  "delete_playbook",
  "create_knowledge_note",
  "update_knowledge_note",
  "delete_knowledge_note",
  "create_schedule",
  "update_schedule",
  "delete_schedule",
  "create_secret",
  "delete_secret",
] as const;

const DAY = 86_400;
const MAX_AUDIT_WINDOW = 100 * DAY;
const MAX_CONSUMPTION_WINDOW = 366 * DAY;
/** Consumption days start at midnight PST, which is 08:00 UTC. */
const DAY_START_OFFSET = 8 * 3600;

interface AuditQuery extends PageQuery {
  order?: "asc" | "desc";
  time_after?: number | null;
  time_before?: number | null;
  action?: string | null;
}
interface WindowQuery {
  time_after?: number | null;
  time_before?: number | null;
}

const windowProps = { time_after: { type: ["integer", "null"] }, time_before: { type: ["integer", "null"] } } as const;

/** Consumption and audit logs (docs/api-notes.md section 8). */
export function reportRoutes(app: FastifyInstance, emu: Emulator): void {
  const auditSchema = {
    querystring: {
      type: "object",
      properties: {
        ...pageQuerySchema,
        ...windowProps,
        order: { type: "string", enum: ["asc", "desc"], default: "desc" },
        action: { type: ["string", "null"], enum: [...AUDIT_ACTIONS, null] },
      },
    },
  };

  function auditPage(query: AuditQuery, orgId: string | null) {
    const { time_after: after, time_before: before } = query;
    if (before != null && after == null) throw unprocessable(["query", "time_before"], "time_before requires time_after");
    if (after != null && before != null && before - after > MAX_AUDIT_WINDOW) {
      throw unprocessable(["query", "time_before"], "the time window must be 100 days or less");
    }
    const order = query.order ?? "desc";
    const logs = emu.store.state.auditLogs
      .filter(
        (l) =>
          (orgId === null || l.org_id === orgId) &&
          (after == null || l.created_at >= after) &&
          (before == null || l.created_at <= before) &&
          (query.action == null || l.action === query.action),
      )
      .sort((a, b) => (order === "asc" ? a.seq - b.seq : b.seq - a.seq));
    return paginate(logs, query, ({ seq: _seq, ...log }) => log, order);
  }

  const auditConfig = { access: { permission: "ManageEnterpriseSettings" as const } };
  app.get<{ Querystring: AuditQuery }>("/enterprise/audit-logs", { config: auditConfig, schema: auditSchema }, async (req) =>
    auditPage(req.query, null),
  );
  app.get<{ Querystring: AuditQuery; Params: { org_id: string } }>(
    "/enterprise/organizations/:org_id/audit-logs",
    { config: auditConfig, schema: auditSchema },
    async (req) => auditPage(req.query, liveOrg(emu, req.params.org_id).org_id),
  );

  function consumption(query: WindowQuery, orgId: string | null) {
    const before = query.time_before ?? emu.clock.now();
    const after = query.time_after ?? before - 30 * DAY;
    if (before < after) throw unprocessable(["query", "time_before"], "time_before must not be earlier than time_after");
    if (before - after > MAX_CONSUMPTION_WINDOW) throw unprocessable(["query", "time_before"], "the time window must be 366 days or less");
    const firstDay = Math.floor((after - DAY_START_OFFSET) / DAY) * DAY + DAY_START_OFFSET;
    const days = [];
    let total = 0;
    for (let date = firstDay; date < before; date += DAY) {
      const byProduct = { devin: 0, cascade: 0, terminal: 0, review: 0 };
      for (const r of emu.store.state.consumption) {
        if (r.date !== date || (orgId !== null && r.org_id !== orgId)) continue;
        byProduct.devin += r.devin;
        byProduct.cascade += r.cascade;
        byProduct.terminal += r.terminal;
        byProduct.review += r.review;
      }
      const acus = byProduct.devin + byProduct.cascade + byProduct.terminal + byProduct.review;
      total += acus;
      days.push({ date, acus, acus_by_product: byProduct });
    }
    return { total_acus: total, consumption_by_date: days };
  }

  const windowSchema = { querystring: { type: "object", properties: windowProps } };
  app.get<{ Querystring: WindowQuery }>(
    "/enterprise/consumption/daily",
    { config: { access: { permission: "ViewAccountConsumption" } }, schema: windowSchema },
    async (req) => consumption(req.query, null),
  );
  app.get<{ Querystring: WindowQuery; Params: { org_id: string } }>(
    "/enterprise/consumption/daily/organizations/:org_id",
    { config: { access: { permission: "ViewAccountConsumption" } }, schema: windowSchema },
    async (req) => consumption(req.query, liveOrg(emu, req.params.org_id).org_id),
  );
  for (const path of orgScopedPaths("/consumption/daily")) {
    app.get<{ Querystring: WindowQuery; Params: { org_id?: string } }>(
      path,
      { config: { access: { permission: "ViewOrgConsumption" } }, schema: windowSchema },
      async (req) => consumption(req.query, liveOrg(emu, req.params.org_id ?? "").org_id),
    );
  }
}
