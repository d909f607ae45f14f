import type { FastifyInstance, FastifyRequest } from "fastify";
import { principalOf } from "../auth";
import { newId } from "../ids";
import { paginate, type PageQuery } from "../pagination";
import { presentGitConnection, presentGitPermission, presentGitRepository } from "../presenters";
import { ApiError, invalid, type FieldError } from "../problem";
import { gitConnection, own, recordIn, type GitPermissionRecord } from "../records";
import { pageQuery, pathParams } from "../schemas";
import { audit, liveOrg, type Emulator } from "../store";

const PATH_FIELDS = ["repo_path", "group_prefix", "prefix_path"] as const;

const pathField = { type: ["string", "null"], minLength: 1, maxLength: 1000 } as const;
const bulkBody = {
  type: "object",
  required: ["permissions"],
  properties: {
    permissions: {
      type: "array",
      maxItems: 200,
      items: {
        type: "object",
        required: ["git_connection_id"],
        properties: {
          git_connection_id: { type: "string", minLength: 1 },
          repo_path: pathField,
          group_prefix: pathField,
          prefix_path: pathField,
          read_only: { type: "boolean", default: false },
        },
      },
    },
  },
} as const;
const updateBody = { type: "object", properties: { read_only: { type: ["boolean", "null"] } } } as const;
/** The repositories list pages by at most 100. */
const repositoryQuery = {
  type: "object",
  properties: {
    first: { type: "integer", minimum: 1, maximum: 100, default: 100 },
    after: { type: ["string", "null"] },
    filter_name: { type: ["string", "null"] },
  },
} as const;

type PermissionInput = { git_connection_id: string; read_only: boolean } & { [F in (typeof PATH_FIELDS)[number]]?: string | null };
type OrgRoute = { Params: { org_id: string }; Body: { permissions: PermissionInput[] } };
type OnePermissionRoute = { Params: { org_id: string; git_permission_id: string }; Body: { read_only?: boolean | null } };

/** What makes two permissions the same grant: the connection and the one path field with its value. */
const grantKey = (p: GitPermissionRecord) => JSON.stringify([p.git_connection_id, p.repo_path, p.group_prefix, p.prefix_path]);

/**
 * Git connections, their repositories, and org git permissions (docs/api-notes.md section 17). Connections are seeded
 * (the API cannot create them). Permissions have no GET by id: clients page the list.
 */
export function gitRoutes(app: FastifyInstance, emu: Emulator): void {
  const config = { access: { permission: "ManageGitIntegrations" as const } };
  const state = () => emu.store.state;

  app.get<{ Querystring: PageQuery }>(
    "/enterprise/git-providers/connections",
    { config, schema: { querystring: pageQuery } },
    async (req) =>
      paginate(
        Object.values(state().gitConnections).sort((a, b) => a.seq - b.seq),
        req.query,
        presentGitConnection,
      ),
  );

  app.get<{ Params: { connection_id: string }; Querystring: PageQuery & { filter_name?: string | null } }>(
    "/enterprise/git-providers/connections/:connection_id/repositories",
    { config, schema: { params: pathParams("connection_id"), querystring: repositoryQuery } },
    async (req) => {
      const connection = gitConnection(state(), req.params.connection_id);
      const wanted = req.query.filter_name?.toLowerCase() ?? "";
      const repos = connection.repositories.filter(
        (r) => r.repo_name.toLowerCase().includes(wanted) || r.repo_path.toLowerCase().includes(wanted),
      );
      return paginate(repos, req.query, (r) => presentGitRepository(connection, r));
    },
  );

  const permissionsOf = (orgId: string) =>
    Object.values(state().gitPermissions)
      .filter((p) => p.org_id === orgId)
      .sort((a, b) => a.seq - b.seq);

  /** New records for `inputs` (not stored yet): 422 for a bad item, 409 for a grant in `existing` or given twice. */
  function newPermissions(orgId: string, inputs: PermissionInput[], existing: GitPermissionRecord[]): GitPermissionRecord[] {
    const errors: FieldError[] = [];
    inputs.forEach((input, i) => {
      const set = PATH_FIELDS.filter((f) => input[f] !== null && input[f] !== undefined);
      if (set.length !== 1) {
        const got = set.length === 0 ? "none" : set.join(", ");
        errors.push({
          loc: ["body", "permissions", i],
          msg: `exactly one of repo_path, group_prefix, prefix_path must be set (got ${got})`,
          type: "value_error",
        });
      }
      if (!own(state().gitConnections, input.git_connection_id)) {
        errors.push({
          loc: ["body", "permissions", i, "git_connection_id"],
          msg: `git connection ${input.git_connection_id} not found`,
          type: "value_error",
        });
      }
    });
    if (errors.length > 0) throw invalid(errors);
    const now = emu.clock.now();
    const taken = new Set(existing.map(grantKey));
    return inputs.map((input) => {
      const record: GitPermissionRecord = {
        git_permission_id: newId("git-permission"),
        org_id: orgId,
        git_connection_id: input.git_connection_id,
        repo_path: input.repo_path ?? null,
        // Kept as the real API keeps it, with one trailing "/"; either form is accepted.
        group_prefix: input.group_prefix == null ? null : `${input.group_prefix.replace(/\/$/, "")}/`,
        prefix_path: input.prefix_path ?? null,
        read_only: input.read_only,
        created_at: now,
        seq: 0,
      };
      const key = grantKey(record);
      if (taken.has(key)) {
        const [field] = PATH_FIELDS.filter((f) => record[f] !== null);
        throw new ApiError(
          409,
          `A git permission for ${field} '${input[field]}' on connection ${record.git_connection_id} already exists in this organization (or is given twice); use PATCH to change read_only`,
        );
      }
      taken.add(key);
      return record;
    });
  }

  /**
   * Removes the org's permissions when `replace` is set, then adds those of the body (all or nothing). The answer is
   * the rows added, or for a clear the rows removed.
   */
  async function write(req: FastifyRequest<OrgRoute>, replace: boolean, inputs: PermissionInput[], answer: "added" | "removed") {
    const principal = principalOf(req);
    const orgId = liveOrg(emu, req.params.org_id).org_id;
    const current = permissionsOf(orgId);
    const added = newPermissions(orgId, inputs, replace ? [] : current);
    const removed = replace ? current : [];
    for (const p of removed) {
      delete state().gitPermissions[p.git_permission_id];
      audit(emu, principal, "delete_git_permission", orgId, presentGitPermission(p));
    }
    for (const p of added) {
      p.seq = emu.store.nextSeq();
      state().gitPermissions[p.git_permission_id] = p;
      audit(emu, principal, "create_git_permission", orgId, presentGitPermission(p));
    }
    if (added.length + removed.length > 0) await emu.store.commit();
    return (answer === "added" ? added : removed).map(presentGitPermission);
  }

  const base = "/enterprise/organizations/:org_id/git-providers/permissions";
  const orgParams = pathParams("org_id");
  app.get<{ Params: { org_id: string }; Querystring: PageQuery }>(
    base,
    { config, schema: { params: orgParams, querystring: pageQuery } },
    async (req) => paginate(permissionsOf(liveOrg(emu, req.params.org_id).org_id), req.query, presentGitPermission),
  );
  const withBody = { config, schema: { params: orgParams, body: bulkBody } };
  app.post<OrgRoute>(base, withBody, (req) => write(req, false, req.body.permissions, "added"));
  app.put<OrgRoute>(base, withBody, (req) => write(req, true, req.body.permissions, "added"));
  app.delete<OrgRoute>(base, { config, schema: { params: orgParams } }, (req) => write(req, true, [], "removed"));

  // No GET here: the API has none, so a GET of one permission is a 404 like any unknown path.
  const one = `${base}/:git_permission_id`;
  const oneParams = pathParams("org_id", "git_permission_id");
  const permissionOf = (req: FastifyRequest<OnePermissionRoute>) =>
    recordIn(state().gitPermissions, req.params.git_permission_id, liveOrg(emu, req.params.org_id).org_id, "Git permission");

  app.patch<OnePermissionRoute>(one, { config, schema: { params: oneParams, body: updateBody } }, async (req) => {
    const permission = permissionOf(req);
    // read_only is the only field that changes in place; null leaves it as it is.
    if (typeof req.body.read_only === "boolean") permission.read_only = req.body.read_only;
    audit(emu, principalOf(req), "update_git_permission", permission.org_id, presentGitPermission(permission));
    await emu.store.commit();
    return presentGitPermission(permission);
  });

  app.delete<OnePermissionRoute>(one, { config, schema: { params: oneParams } }, async (req) => {
    const permission = permissionOf(req);
    delete state().gitPermissions[permission.git_permission_id];
    audit(emu, principalOf(req), "delete_git_permission", permission.org_id, presentGitPermission(permission));
    await emu.store.commit();
    return presentGitPermission(permission);
  });
}
