import type { FastifyInstance, FastifyRequest } from "fastify";
import { checkGrant, orgScopedPaths, principalOf } from "../auth";
import { paginate, pageQuerySchema, type PageQuery } from "../pagination";
import { presentIdpGroupUser, presentUser, presentUserWithIdpRoles, roleRef } from "../presenters";
import { ApiError } from "../problem";
import { emailSchema, pathParams, roleBody } from "../schemas";
import {
  audit,
  changeAssignment,
  createUser,
  idpAssignments,
  liveOrg,
  liveUser,
  setAssignment,
  userByEmail,
  type AssignmentChange,
  type Emulator,
  type UserRecord,
} from "../store";

const emailQuery = { type: "object", properties: { ...pageQuerySchema, email: { type: ["string", "null"] } } } as const;
const inviteBody = {
  type: "object",
  required: ["emails", "enterprise_role_id"],
  properties: {
    emails: { type: "array", maxItems: 100, items: emailSchema },
    enterprise_role_id: { type: "string", minLength: 1 },
  },
} as const;
const userParams = pathParams("user_id");
const orgUserParams = pathParams("org_id", "user_id");

type EmailQuery = PageQuery & { email?: string | null };
type OrgUserRoute = { Params: { org_id: string; user_id: string }; Body: { role_id: string } };

/** A direct member holds at least one role of its own; the others are members only through IdP groups. */
const isDirect = (user: UserRecord) => user.role_assignments.length > 0;

/**
 * Enterprise users and their roles (docs/api-notes.md section 11): direct members, whose roles are changed here, and
 * IdP-derived members, whose roles come from IdP group mappings and are changed there.
 */
export function userRoutes(app: FastifyInstance, emu: Emulator): void {
  const view = { access: { permission: "ViewAccountMembership" as const } };
  const manage = { access: { permission: "ManageAccountMembership" as const } };

  function usersWhere(filter: (u: UserRecord) => boolean, email: string | null | undefined): UserRecord[] {
    const wanted = email?.toLowerCase();
    return Object.values(emu.store.state.users)
      .filter((u) => filter(u) && (wanted === undefined || u.email.toLowerCase() === wanted))
      .sort((a, b) => a.seq - b.seq);
  }

  /** Members through IdP groups only (in `orgId`, or anywhere when null), each with its inherited roles. */
  function idpUsersPage(query: EmailQuery, orgId: string | null) {
    const inScope = (a: { org_id: string | null }) => orgId === null || a.org_id === orgId;
    const users = usersWhere((u) => !u.role_assignments.some(inScope) && idpAssignments(emu, u).some(inScope), query.email);
    return paginate(users, query, (u) => presentIdpGroupUser(u, idpAssignments(emu, u)));
  }

  /** IdP-derived roles are not the user's own: refuse to change them here and say where they come from. */
  function refuseIdpOnly(user: UserRecord, orgId: string | null): void {
    const groups = idpAssignments(emu, user)
      .filter((a) => orgId === null || a.org_id === orgId)
      .map((a) => `'${a.idp_group_name}'`);
    const where = orgId === null ? "the enterprise" : orgId;
    throw new ApiError(
      400,
      `User ${user.user_id} is a member of ${where} only through IdP groups${groups.length ? ` (${[...new Set(groups)].join(", ")})` : ""}; ` +
        "change the IdP group mapping (/v3/enterprise/members/idp-groups) instead",
    );
  }

  app.get<{ Querystring: EmailQuery }>("/enterprise/members/users", { config: view, schema: { querystring: emailQuery } }, async (req) =>
    paginate(usersWhere(isDirect, req.query.email), req.query, presentUser),
  );

  app.post<{ Body: { emails: string[]; enterprise_role_id: string } }>(
    "/enterprise/members/users",
    { config: manage, schema: { body: inviteBody } },
    async (req) => {
      const principal = principalOf(req);
      const role = roleRef(checkGrant(principal, req.body.enterprise_role_id, "enterprise", null, "assign", "enterprise_role_id"));
      const invited: UserRecord[] = [];
      for (const email of req.body.emails) {
        const existing = userByEmail(emu, email);
        // Already a direct member (or named twice in this body): left as it is and not answered (as v2 skipped them).
        if (existing && isDirect(existing)) continue;
        const user = existing ?? createUser(emu, email, null);
        changeAssignment(user, `User ${user.user_id}`, null, { mode: "assign", role });
        audit(emu, principal, "add_enterprise_member", null, { target_user_id: user.user_id, email: user.email, role_id: role.role_id });
        invited.push(user);
      }
      if (invited.length > 0) await emu.store.commit();
      return invited.map(presentUser);
    },
  );

  const userPath = "/enterprise/members/users/:user_id";
  app.get<{ Params: { user_id: string } }>(userPath, { config: view, schema: { params: userParams } }, async (req) => {
    const user = liveUser(emu, req.params.user_id);
    return presentUserWithIdpRoles(user, idpAssignments(emu, user));
  });

  app.patch<{ Params: { user_id: string }; Body: { role_id: string } }>(
    userPath,
    { config: manage, schema: { params: userParams, body: roleBody } },
    async (req) => {
      const principal = principalOf(req);
      const user = liveUser(emu, req.params.user_id);
      const role = roleRef(checkGrant(principal, req.body.role_id, "enterprise", null, "assign"));
      if (!isDirect(user)) refuseIdpOnly(user, null);
      // A direct member whose only own roles are org roles gets its enterprise role here too.
      setAssignment(user, null, role);
      audit(emu, principal, "assign_roles", null, { target_user_id: user.user_id, email: user.email, role_id: role.role_id });
      await emu.store.commit();
      return presentUser(user);
    },
  );

  app.delete<{ Params: { user_id: string } }>(userPath, { config: manage, schema: { params: userParams } }, async (req) => {
    const principal = principalOf(req);
    const user = liveUser(emu, req.params.user_id);
    if (!isDirect(user)) refuseIdpOnly(user, null);
    const removed = presentUser(user);
    // Removing a user takes every direct role, org ones included; what IdP groups give stays with the IdP.
    user.role_assignments = [];
    if (user.idp_groups.length === 0) delete emu.store.state.users[user.user_id];
    audit(emu, principal, "delete_member", null, { target_user_id: user.user_id, email: user.email });
    await emu.store.commit();
    return removed;
  });

  app.get<{ Querystring: EmailQuery }>(
    "/enterprise/members/idp-users",
    { config: view, schema: { querystring: emailQuery } },
    async (req) => idpUsersPage(req.query, null),
  );

  app.get<{ Params: { org_id: string }; Querystring: EmailQuery }>(
    "/enterprise/organizations/:org_id/members/users",
    { config: view, schema: { params: pathParams("org_id"), querystring: emailQuery } },
    async (req) => {
      const org = liveOrg(emu, req.params.org_id);
      const members = usersWhere((u) => u.role_assignments.some((a) => a.org_id === org.org_id), req.query.email);
      return paginate(members, req.query, presentUser);
    },
  );

  const actions = { assign: "add_member", update: "assign_roles", remove: "delete_member" } as const;
  async function changeOrgRole(req: FastifyRequest<OrgUserRoute>, mode: "assign" | "update" | "remove") {
    const principal = principalOf(req);
    const org = liveOrg(emu, req.params.org_id);
    const user = liveUser(emu, req.params.user_id);
    const who = `User ${user.user_id}`;
    const change: AssignmentChange =
      mode === "remove" ? { mode } : { mode, role: roleRef(checkGrant(principal, req.body.role_id, "org", org.org_id, "assign")) };
    if (mode === "assign" && !isDirect(user) && idpAssignments(emu, user).length === 0) {
      throw new ApiError(400, `${who} is not a member of the enterprise; invite it with POST /v3/enterprise/members/users first`);
    }
    const ownRole = user.role_assignments.some((a) => a.org_id === org.org_id);
    if (mode !== "assign" && !ownRole && idpAssignments(emu, user).some((a) => a.org_id === org.org_id)) refuseIdpOnly(user, org.org_id);
    changeAssignment(user, who, org.org_id, change);
    const roleId = change.mode === "remove" ? null : change.role.role_id;
    audit(emu, principal, actions[mode], org.org_id, { target_user_id: user.user_id, email: user.email, role_id: roleId });
    await emu.store.commit();
    return presentUser(user);
  }

  const orgUserPath = "/enterprise/organizations/:org_id/members/users/:user_id";
  const withRole = { config: manage, schema: { params: orgUserParams, body: roleBody } };
  app.post<OrgUserRoute>(orgUserPath, withRole, (req) => changeOrgRole(req, "assign"));
  app.patch<OrgUserRoute>(orgUserPath, withRole, (req) => changeOrgRole(req, "update"));
  app.delete<OrgUserRoute>(orgUserPath, { config: manage, schema: { params: orgUserParams } }, (req) => changeOrgRole(req, "remove"));

  app.get<{ Params: { org_id: string }; Querystring: EmailQuery }>(
    "/enterprise/organizations/:org_id/members/idp-users",
    { config: view, schema: { params: pathParams("org_id"), querystring: emailQuery } },
    async (req) => idpUsersPage(req.query, liveOrg(emu, req.params.org_id).org_id),
  );
  // The older org-scoped form; org-scoped callers may leave the org id out (the auth hook fills it in).
  for (const path of orgScopedPaths("/members/idp-users")) {
    app.get<{ Params: { org_id?: string }; Querystring: EmailQuery }>(
      path,
      { config: { access: { permission: "ViewOrgMembership" } }, schema: { querystring: emailQuery } },
      async (req) => idpUsersPage(req.query, liveOrg(emu, req.params.org_id ?? "").org_id),
    );
  }
}
