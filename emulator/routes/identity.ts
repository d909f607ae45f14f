import type { FastifyInstance } from "fastify";
import { principalOf } from "../auth";
import { paginate, pageQuerySchema, type PageQuery } from "../pagination";
import { BUILT_IN_ROLES } from "../permissions";
import { roleRef } from "../presenters";
import { enterpriseAssignment, type Emulator } from "../store";

/** Roles and self (docs/api-notes.md section 7): the role catalogue and the caller's own identity. */
export function identityRoutes(app: FastifyInstance, _emu: Emulator): void {
  const roles = BUILT_IN_ROLES.map((r, i) => ({ ...roleRef(r), seq: i + 1 }));
  app.get<{ Querystring: PageQuery }>(
    "/enterprise/roles",
    {
      config: { access: { permission: "ViewAccountMembership" } },
      schema: { querystring: { type: "object", properties: pageQuerySchema } },
    },
    async (req) => paginate(roles, req.query, roleRef),
  );

  // Self needs no permission beyond a valid credential. The older enterprise form has no principal_type.
  const orgOf = (req: Parameters<typeof principalOf>[0]) => {
    const su = principalOf(req).serviceUser;
    return enterpriseAssignment(su) ? null : su.home_org_id;
  };
  app.get("/self", async (req) => {
    const su = principalOf(req).serviceUser;
    return { principal_type: "service_user", service_user_id: su.service_user_id, service_user_name: su.name, org_id: orgOf(req) };
  });
  app.get("/enterprise/self", async (req) => {
    const su = principalOf(req).serviceUser;
    return { service_user_id: su.service_user_id, service_user_name: su.name, org_id: orgOf(req) };
  });
}
