import type { FastifyInstance } from "fastify";
import { principalOf, type Emulator } from "../context";
import { paginate, pageQuerySchema, type PageQuery } from "../pagination";
import { BUILT_IN_ROLES } from "../permissions";

/** Sections 5.3 and 5.4: the role catalogue and the caller's own identity. */
export function identityRoutes(app: FastifyInstance, _emu: Emulator): void {
  const roles = BUILT_IN_ROLES.map((r, i) => ({ role_id: r.role_id, role_name: r.role_name, role_type: r.role_type, seq: i + 1 }));
  app.get<{ Querystring: PageQuery }>(
    "/enterprise/roles",
    { config: { access: { permission: "ViewAccountMembership" } }, schema: { querystring: { type: "object", properties: pageQuerySchema } } },
    async (req) => paginate(roles, req.query, ({ role_id, role_name, role_type }) => ({ role_id, role_name, role_type })),
  );

  // Self needs no permission beyond a valid credential. The older enterprise form has no principal_type.
  const orgOf = (req: Parameters<typeof principalOf>[0]) => {
    const su = principalOf(req).serviceUser;
    return su.role_assignments.some((a) => a.org_id === null) ? null : su.home_org_id;
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
