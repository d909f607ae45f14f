import type { FastifyInstance } from "fastify";
import { principalOf } from "../auth";
import { paginate, pageQuerySchema, type PageQuery } from "../pagination";
import { audit, liveOrg, type Emulator } from "../store";

/**
 * Org-level Devin ACU limits (docs/api-notes.md section 8). The relation to an org's `max_cycle_acu_limit` is UNKNOWN; the emulator
 * keeps them as one stored value, so a PUT here shows in the org and an org PATCH shows here.
 */
export function acuLimitRoutes(app: FastifyInstance, emu: Emulator): void {
  const path = "/enterprise/consumption/acu-limits/devin/organizations/:org_id";
  const params = { type: "object", properties: { org_id: { type: "string" } } } as const;

  app.get<{ Querystring: PageQuery }>(
    "/enterprise/consumption/acu-limits/devin",
    {
      config: { access: { permission: "ViewAccountConsumption" } },
      schema: { querystring: { type: "object", properties: pageQuerySchema } },
    },
    async (req) => {
      const limited = Object.values(emu.store.state.orgs)
        .filter((o) => o.deleted_at === null && o.max_cycle_acu_limit !== null)
        .sort((a, b) => a.seq - b.seq);
      return paginate(limited, req.query, (o) => ({
        cycle_acu_limit: o.max_cycle_acu_limit as number,
        scope: "org" as const,
        org_id: o.org_id,
        user_id: null,
      }));
    },
  );

  app.put<{ Params: { org_id: string }; Body: { cycle_acu_limit: number } }>(
    path,
    {
      config: { access: { permission: "ManageBilling" } },
      schema: {
        params,
        body: {
          type: "object",
          required: ["cycle_acu_limit"],
          properties: { cycle_acu_limit: { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER } },
        },
      },
    },
    async (req, reply) => {
      const principal = principalOf(req);
      const org = liveOrg(emu, req.params.org_id);
      org.max_cycle_acu_limit = req.body.cycle_acu_limit;
      org.updated_at = emu.clock.now();
      audit(emu, principal, "set_org_group_limits", org.org_id, { cycle_acu_limit: req.body.cycle_acu_limit });
      await emu.store.commit();
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: { org_id: string } }>(
    path,
    { config: { access: { permission: "ManageBilling" } }, schema: { params } },
    async (req, reply) => {
      const principal = principalOf(req);
      const org = liveOrg(emu, req.params.org_id);
      // Idempotent: deleting a limit that is not set still answers 204 (UNKNOWN upstream; see README).
      if (org.max_cycle_acu_limit !== null) {
        org.max_cycle_acu_limit = null;
        org.updated_at = emu.clock.now();
        audit(emu, principal, "set_org_group_limits", org.org_id, { cycle_acu_limit: null });
        await emu.store.commit();
      }
      return reply.code(204).send();
    },
  );
}
