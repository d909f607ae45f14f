import type { FastifyInstance } from "fastify";
import { principalOf } from "../auth";
import { newId } from "../ids";
import { paginate, pageQuerySchema, type PageQuery } from "../pagination";
import { presentOrg } from "../presenters";
import { audit, dropOrg, liveOrg, type Emulator } from "../store";

/** The API documents no upper bound; the emulator's is the largest integer JSON clients keep exactly (see README). */
const limit = { type: ["integer", "null"], minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
const orgName = { type: "string", minLength: 1, maxLength: 256 } as const;
const orgParams = { type: "object", required: ["org_id"], properties: { org_id: { type: "string" } } } as const;

interface OrgBody {
  name?: string | null;
  max_cycle_acu_limit?: number | null;
  max_session_acu_limit?: number | null;
}

/** Organizations (docs/api-notes.md section 5). Names may repeat (uniqueness is UNKNOWN; see README). */
export function organizationRoutes(app: FastifyInstance, emu: Emulator): void {
  const access = { access: { permission: "ManageOrganizations" as const } };

  app.get<{ Querystring: PageQuery }>(
    "/enterprise/organizations",
    { config: access, schema: { querystring: { type: "object", properties: pageQuerySchema } } },
    async (req) => {
      const orgs = Object.values(emu.store.state.orgs)
        .filter((o) => o.deleted_at === null)
        .sort((a, b) => a.seq - b.seq);
      return paginate(orgs, req.query, presentOrg);
    },
  );

  app.post<{ Body: OrgBody }>(
    "/enterprise/organizations",
    {
      config: access,
      schema: {
        body: {
          type: "object",
          required: ["name"],
          properties: { name: orgName, max_cycle_acu_limit: limit, max_session_acu_limit: limit },
        },
      },
    },
    async (req) => {
      const principal = principalOf(req);
      const now = emu.clock.now();
      const org = {
        org_id: newId("org"),
        name: req.body.name as string,
        created_at: now,
        updated_at: now,
        max_cycle_acu_limit: req.body.max_cycle_acu_limit ?? null,
        max_session_acu_limit: req.body.max_session_acu_limit ?? emu.defaultMaxSessionAcuLimit,
        deleted_at: null,
        seq: emu.store.nextSeq(),
      };
      emu.store.state.orgs[org.org_id] = org;
      audit(emu, principal, "create_org", org.org_id, { name: org.name });
      await emu.store.commit();
      return presentOrg(org);
    },
  );

  app.get<{ Params: { org_id: string } }>(
    "/enterprise/organizations/:org_id",
    { config: access, schema: { params: orgParams } },
    async (req) => presentOrg(liveOrg(emu, req.params.org_id)),
  );

  app.patch<{ Params: { org_id: string }; Body: OrgBody }>(
    "/enterprise/organizations/:org_id",
    {
      config: access,
      schema: {
        params: orgParams,
        body: {
          type: "object",
          properties: { name: { ...orgName, type: ["string", "null"] }, max_cycle_acu_limit: limit, max_session_acu_limit: limit },
        },
      },
    },
    async (req) => {
      const principal = principalOf(req);
      const org = liveOrg(emu, req.params.org_id);
      const body = req.body;
      const changed: Record<string, unknown> = {};
      // Merge-patch: an absent field is left alone, an explicit null clears it.
      if (typeof body.name === "string") org.name = changed.name = body.name;
      if ("max_cycle_acu_limit" in body) org.max_cycle_acu_limit = changed.max_cycle_acu_limit = body.max_cycle_acu_limit ?? null;
      if ("max_session_acu_limit" in body) {
        // null on the session limit restores the server default rather than removing the cap.
        org.max_session_acu_limit = changed.max_session_acu_limit = body.max_session_acu_limit ?? emu.defaultMaxSessionAcuLimit;
      }
      org.updated_at = emu.clock.now();
      audit(emu, principal, "update_org", org.org_id, changed);
      await emu.store.commit();
      return presentOrg(org);
    },
  );

  app.delete<{ Params: { org_id: string } }>(
    "/enterprise/organizations/:org_id",
    { config: access, schema: { params: orgParams } },
    async (req) => {
      const principal = principalOf(req);
      const org = liveOrg(emu, req.params.org_id);
      const now = emu.clock.now();
      org.deleted_at = now;
      dropOrg(emu, org.org_id, now);
      audit(emu, principal, "delete_org", org.org_id, { name: org.name });
      await emu.store.commit();
      return presentOrg(org);
    },
  );
}
