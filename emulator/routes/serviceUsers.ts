import type { FastifyInstance, FastifyRequest } from "fastify";
import { checkGrant, orgScopedPaths, principalOf } from "../auth";
import { newId } from "../ids";
import { paginate, pageQuerySchema, type PageQuery } from "../pagination";
import { presentServiceUser, roleRef } from "../presenters";
import { roleBody } from "../schemas";
import { audit, changeAssignment, isActive, issueApiKey, liveOrg, liveServiceUser, type Emulator, type ServiceUserRecord } from "../store";

/** ttl_seconds has a documented maximum of 365 days; the minimum is UNKNOWN and chosen as 1 (see README). */
export const MAX_TTL_SECONDS = 31_536_000;

const provisionBody = {
  type: "object",
  required: ["name", "role_id", "ttl_seconds"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 256 },
    role_id: { type: "string", minLength: 1 },
    ttl_seconds: { type: "integer", minimum: 1, maximum: MAX_TTL_SECONDS },
  },
} as const;
const listQuery = {
  type: "object",
  properties: { ...pageQuerySchema, include_inactive: { type: "boolean", default: false } },
} as const;
const suParams = { type: "object", properties: { service_user_id: { type: "string" } } } as const;
const orgSuParams = { type: "object", properties: { org_id: { type: "string" }, service_user_id: { type: "string" } } } as const;

interface ProvisionBody {
  name: string;
  role_id: string;
  ttl_seconds: number;
}
type ListQuery = PageQuery & { include_inactive?: boolean };

/** Service users (docs/api-notes.md section 6): their provisioning (token shown once) and their enterprise and org roles. */
export function serviceUserRoutes(app: FastifyInstance, emu: Emulator): void {
  const state = () => emu.store.state;

  async function provision(req: FastifyRequest<{ Body: ProvisionBody }>, orgId: string | null) {
    const principal = principalOf(req);
    if (orgId) liveOrg(emu, orgId);
    const role = checkGrant(principal, req.body.role_id, orgId ? "org" : "enterprise", orgId, "provision");
    const now = emu.clock.now();
    const su: ServiceUserRecord = {
      service_user_id: newId("service-user"),
      name: req.body.name,
      expires_at: now + req.body.ttl_seconds,
      deleted_at: null,
      role_assignments: [{ role: roleRef(role), org_id: orgId }],
      home_org_id: orgId,
      created_at: now,
      seq: emu.store.nextSeq(),
    };
    state().serviceUsers[su.service_user_id] = su;
    // The provisioning token is the service user's first API key, so it can be listed, rotated and revoked.
    const { token } = issueApiKey(emu, su, "initial", null);
    audit(emu, principal, "create_service_user", orgId, {
      target_service_user_id: su.service_user_id,
      name: su.name,
      role_id: role.role_id,
    });
    await emu.store.commit();
    return { service_user: presentServiceUser(su), token };
  }

  app.post<{ Body: ProvisionBody }>(
    "/enterprise/service-users",
    { config: { access: { permission: "ManageAccountServiceUsers" } }, schema: { body: provisionBody } },
    (req) => provision(req, null),
  );

  // Org-scoped callers may leave the org id out; the auth hook fills it from the credential.
  for (const path of orgScopedPaths("/service-users")) {
    app.post<{ Body: ProvisionBody; Params: { org_id?: string } }>(
      path,
      { config: { access: { permission: "ManageOrgServiceUsers" } }, schema: { body: provisionBody } },
      (req) => provision(req, req.params.org_id ?? null),
    );
  }

  function listed(filter: (su: ServiceUserRecord) => boolean, includeInactive: boolean) {
    const now = emu.clock.now();
    return Object.values(state().serviceUsers)
      .filter((su) => filter(su) && (includeInactive || isActive(su, now)))
      .sort((a, b) => a.seq - b.seq);
  }

  app.get<{ Querystring: ListQuery }>(
    "/enterprise/members/service-users",
    { config: { access: { permission: "ViewAccountMembership" } }, schema: { querystring: listQuery } },
    async (req) =>
      paginate(
        listed(() => true, req.query.include_inactive === true),
        req.query,
        presentServiceUser,
      ),
  );

  const suMemberPath = "/enterprise/members/service-users/:service_user_id";
  app.get<{ Params: { service_user_id: string } }>(
    suMemberPath,
    { config: { access: { permission: "ViewAccountMembership" } }, schema: { params: suParams } },
    async (req) => presentServiceUser(liveServiceUser(emu, req.params.service_user_id)),
  );

  const manage = { access: { permission: "ManageAccountMembership" as const } };

  type EnterpriseRole = { Params: { service_user_id: string }; Body: { role_id: string } };
  // The grant is checked before whether a role exists at that scope, so a role that cannot be granted is refused
  // before any 409 or 404.
  async function changeEnterpriseRole(req: FastifyRequest<EnterpriseRole>, mode: "assign" | "update") {
    const principal = principalOf(req);
    const su = liveServiceUser(emu, req.params.service_user_id);
    const role = checkGrant(principal, req.body.role_id, "enterprise", null, "assign");
    changeAssignment(su, `Service user ${su.service_user_id}`, null, { mode, role: roleRef(role) });
    audit(emu, principal, "assign_service_user_role", null, { target_service_user_id: su.service_user_id, role_id: role.role_id });
    await emu.store.commit();
    return presentServiceUser(su);
  }

  const suRoleOptions = { config: manage, schema: { params: suParams, body: roleBody } };
  app.post<EnterpriseRole>(suMemberPath, suRoleOptions, (req) => changeEnterpriseRole(req, "assign"));
  app.patch<EnterpriseRole>(suMemberPath, suRoleOptions, (req) => changeEnterpriseRole(req, "update"));

  app.delete<{ Params: { service_user_id: string } }>(suMemberPath, { config: manage, schema: { params: suParams } }, async (req) => {
    const principal = principalOf(req);
    const su = liveServiceUser(emu, req.params.service_user_id);
    su.deleted_at = emu.clock.now();
    audit(emu, principal, "delete_service_user", su.home_org_id, { target_service_user_id: su.service_user_id, name: su.name });
    await emu.store.commit();
    return presentServiceUser(su);
  });

  app.get<{ Params: { org_id: string }; Querystring: ListQuery }>(
    "/enterprise/organizations/:org_id/members/service-users",
    { config: { access: { permission: "ViewAccountMembership" } }, schema: { querystring: listQuery } },
    async (req) => {
      const org = liveOrg(emu, req.params.org_id);
      const members = listed((su) => su.role_assignments.some((a) => a.org_id === org.org_id), req.query.include_inactive === true);
      return paginate(members, req.query, presentServiceUser);
    },
  );

  type OrgRoleReq = FastifyRequest<{ Params: { org_id: string; service_user_id: string }; Body: { role_id: string } }>;
  async function changeOrgRole(req: OrgRoleReq, mode: "assign" | "update" | "remove") {
    const principal = principalOf(req);
    const org = liveOrg(emu, req.params.org_id);
    const su = liveServiceUser(emu, req.params.service_user_id);
    const who = `Service user ${su.service_user_id}`;
    if (mode === "remove") {
      changeAssignment(su, who, org.org_id, { mode });
      audit(emu, principal, "remove_service_user_role", org.org_id, { target_service_user_id: su.service_user_id });
    } else {
      const role = checkGrant(principal, req.body.role_id, "org", org.org_id, "assign");
      changeAssignment(su, who, org.org_id, { mode, role: roleRef(role) });
      audit(emu, principal, "assign_service_user_role", org.org_id, { target_service_user_id: su.service_user_id, role_id: role.role_id });
    }
    await emu.store.commit();
    return presentServiceUser(su);
  }

  const orgMemberPath = "/enterprise/organizations/:org_id/members/service-users/:service_user_id";
  app.post(orgMemberPath, { config: manage, schema: { params: orgSuParams, body: roleBody } }, (req) =>
    changeOrgRole(req as OrgRoleReq, "assign"),
  );
  app.patch(orgMemberPath, { config: manage, schema: { params: orgSuParams, body: roleBody } }, (req) =>
    changeOrgRole(req as OrgRoleReq, "update"),
  );
  app.delete(orgMemberPath, { config: manage, schema: { params: orgSuParams } }, (req) => changeOrgRole(req as OrgRoleReq, "remove"));
}
