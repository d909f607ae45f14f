import type { FastifyInstance, FastifyRequest } from "fastify";
import { checkGrant, principalOf } from "../auth";
import { paginate, type PageQuery } from "../pagination";
import { presentIdpGroup, roleRef } from "../presenters";
import { ApiError } from "../problem";
import { pageQuery, pathParams, roleBody } from "../schemas";
import {
  audit,
  changeAssignment,
  enterpriseAssignment,
  liveOrg,
  own,
  registeredIdpGroup,
  type AssignmentChange,
  type Emulator,
  type IdpGroupRecord,
} from "../store";

/** Names are chosen by the IdP; the API documents no constraint, so the emulator takes 1..256 characters, any case. */
const groupName = { type: "string", minLength: 1, maxLength: 256 } as const;
const registerBody = {
  type: "object",
  required: ["idp_group_names"],
  properties: { idp_group_names: { type: "array", minItems: 1, maxItems: 100, items: groupName } },
} as const;
const groupParams = pathParams("idp_group_name");
const orgGroupParams = pathParams("org_id", "idp_group_name");

type Mode = "assign" | "update" | "remove";
type GroupRoute = { Params: { org_id?: string; idp_group_name: string }; Body: { role_id: string } };

/** The same audit actions as for users: a mapped group is a member of the enterprise or of an org. */
const ACTIONS: Record<"enterprise" | "org", Record<Mode, string>> = {
  enterprise: { assign: "add_enterprise_member", update: "assign_roles", remove: "delete_member" },
  org: { assign: "add_member", update: "assign_roles", remove: "delete_member" },
};

/**
 * IdP groups (docs/api-notes.md section 12): the registration list, and the role mappings that give the group's users
 * their roles. Names travel in the path percent-encoded; Fastify decodes `%2F` inside a parameter, so `eng/platform`
 * is one name.
 */
export function idpGroupRoutes(app: FastifyInstance, emu: Emulator): void {
  const view = { access: { permission: "ViewAccountMembership" as const } };
  const manage = { access: { permission: "ManageAccountMembership" as const } };
  const groups = (filter: (g: IdpGroupRecord) => boolean) =>
    Object.values(emu.store.state.idpGroups)
      .filter(filter)
      .sort((a, b) => a.seq - b.seq);
  const nameOnly = (g: { idp_group_name: string }) => ({ idp_group_name: g.idp_group_name });

  app.get<{ Querystring: PageQuery }>("/enterprise/idp-groups", { config: manage, schema: { querystring: pageQuery } }, async (req) =>
    paginate(
      groups(() => true),
      req.query,
      nameOnly,
    ),
  );

  app.post<{ Body: { idp_group_names: string[] } }>(
    "/enterprise/idp-groups",
    { config: manage, schema: { body: registerBody } },
    async (req) => {
      const principal = principalOf(req);
      const names = [...new Set(req.body.idp_group_names)];
      const registered = emu.store.state.idpGroups;
      const fresh = names.filter((name) => !own(registered, name));
      for (const name of fresh) {
        registered[name] = { idp_group_name: name, role_assignments: [], created_at: emu.clock.now(), seq: emu.store.nextSeq() };
        audit(emu, principal, "create_idp_group", null, { idp_group_name: name });
      }
      if (fresh.length > 0) await emu.store.commit();
      // Existing groups are ignored, but every requested name is answered, so the call is idempotent.
      return names.map((name) => ({ idp_group_name: name }));
    },
  );

  app.delete<{ Params: { idp_group_name: string } }>(
    "/enterprise/idp-groups/:idp_group_name",
    { config: manage, schema: { params: groupParams } },
    async (req) => {
      const principal = principalOf(req);
      const group = registeredIdpGroup(emu, req.params.idp_group_name);
      // Unregistering drops every mapping with it; users in the group keep their IdP membership but inherit nothing.
      delete emu.store.state.idpGroups[group.idp_group_name];
      audit(emu, principal, "delete_idp_group", null, { idp_group_name: group.idp_group_name });
      await emu.store.commit();
      return nameOnly(group);
    },
  );

  app.get<{ Querystring: PageQuery }>("/enterprise/members/idp-groups", { config: view, schema: { querystring: pageQuery } }, async (req) =>
    paginate(
      groups((g) => g.role_assignments.length > 0),
      req.query,
      presentIdpGroup,
    ),
  );

  const groupPath = "/enterprise/members/idp-groups/:idp_group_name";
  app.get<{ Params: { idp_group_name: string } }>(groupPath, { config: view, schema: { params: groupParams } }, async (req) =>
    presentIdpGroup(registeredIdpGroup(emu, req.params.idp_group_name)),
  );

  async function changeGroupRole(req: FastifyRequest<GroupRoute>, mode: Mode) {
    const principal = principalOf(req);
    const orgId = req.params.org_id === undefined ? null : liveOrg(emu, req.params.org_id).org_id;
    const group = registeredIdpGroup(emu, req.params.idp_group_name);
    const who = `IdP group '${group.idp_group_name}'`;
    const change: AssignmentChange =
      mode === "remove"
        ? { mode }
        : { mode, role: roleRef(checkGrant(principal, req.body.role_id, orgId === null ? "enterprise" : "org", orgId, "assign")) };
    if (orgId !== null && mode === "assign" && !enterpriseAssignment(group)) {
      throw new ApiError(
        400,
        `${who} has no enterprise role yet; assign one with POST /v3/enterprise/members/idp-groups/{idp_group_name} before an org role`,
      );
    }
    changeAssignment(group, who, orgId, change);
    audit(emu, principal, ACTIONS[orgId === null ? "enterprise" : "org"][mode], orgId, {
      idp_group_name: group.idp_group_name,
      role_id: change.mode === "remove" ? null : change.role.role_id,
    });
    await emu.store.commit();
    return presentIdpGroup(group);
  }

  const register = (path: string, params: object) => {
    const withRole = { config: manage, schema: { params, body: roleBody } };
    app.post<GroupRoute>(path, withRole, (req) => changeGroupRole(req, "assign"));
    app.patch<GroupRoute>(path, withRole, (req) => changeGroupRole(req, "update"));
    app.delete<GroupRoute>(path, { config: manage, schema: { params } }, (req) => changeGroupRole(req, "remove"));
  };
  // Removing the enterprise mapping keeps the group's org mappings (each is its own resource in the providers).
  register(groupPath, groupParams);

  app.get<{ Params: { org_id: string }; Querystring: PageQuery }>(
    "/enterprise/organizations/:org_id/members/idp-groups",
    { config: view, schema: { params: pathParams("org_id"), querystring: pageQuery } },
    async (req) => {
      const org = liveOrg(emu, req.params.org_id);
      return paginate(
        groups((g) => g.role_assignments.some((a) => a.org_id === org.org_id)),
        req.query,
        presentIdpGroup,
      );
    },
  );

  const orgGroupPath = "/enterprise/organizations/:org_id/members/idp-groups/:idp_group_name";
  app.get<{ Params: { org_id: string; idp_group_name: string } }>(
    orgGroupPath,
    { config: view, schema: { params: orgGroupParams } },
    async (req) => {
      const org = liveOrg(emu, req.params.org_id);
      const group = registeredIdpGroup(emu, req.params.idp_group_name);
      if (!group.role_assignments.some((a) => a.org_id === org.org_id)) {
        throw new ApiError(404, `IdP group '${group.idp_group_name}' has no role in ${org.org_id}`);
      }
      return presentIdpGroup(group);
    },
  );
  register(orgGroupPath, orgGroupParams);
}
