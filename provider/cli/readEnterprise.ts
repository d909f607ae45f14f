import { paths, type ApiIdpGroup, type ApiOrganization, type ApiServiceUser, type Role } from "../impl/api";
import type { DevinClient } from "../impl/client";
import { DevinApiError } from "../impl/errors";
import { idpGroupPaths } from "../impl/idpGroup";
import { ipAccessListPaths, type ApiIpAccessList } from "../impl/ipAccessList";
import { knowledgeNotePaths, type ApiKnowledgeNote } from "../impl/knowledgeNote";
import { playbookPaths, type ApiPlaybook } from "../impl/playbook";
import { listRoles } from "../impl/roles";
import { schedulePaths, type ApiSchedule } from "../impl/schedule";
import { secretPaths, type ApiSecret } from "../impl/secret";
import { KINDS, RESOURCES } from "../schema";

const IDP_GROUP_ROLES = "/v3/enterprise/members/idp-groups";

/** Everything `generate` can declare, as the API shows it, and what the token could not read. */
export interface Enterprise {
  self: { service_user_id: string } | undefined;
  orgs: ApiOrganization[];
  serviceUsers: ApiServiceUser[];
  roles: Role[];
  idpGroups: ApiIdpGroup[];
  ipAccessList: string[];
  enterprisePlaybooks: ApiPlaybook[];
  enterpriseNotes: ApiKnowledgeNote[];
  /** Per org id. */
  playbooks: Record<string, ApiPlaybook[]>;
  notes: Record<string, ApiKnowledgeNote[]>;
  schedules: Record<string, ApiSchedule[]>;
  secrets: Record<string, ApiSecret[]>;
  /** What a 403 hid: what, and the permission it needs. */
  hidden: string[];
}

/** The permission a GET of `path` needs, from the resource tables (whose paths leave out the version). */
function permissionFor(path: string): string | undefined {
  const bare = path.replace(/^\/v3(beta1)?/, "");
  for (const kind of KINDS) {
    const rule = RESOURCES[kind].permissions?.find((p) => (p.method === "GET" || p.method === "*") && p.path.test(bare));
    if (rule) return rule.permission;
  }
  return undefined;
}

export async function readEnterprise(client: DevinClient): Promise<Enterprise> {
  const hidden: string[] = [];
  // A list the token may not read is said, not fatal: the rest of the enterprise is still worth adopting.
  const list = async <T>(path: string, what: string, read: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await read();
    } catch (e) {
      if (e instanceof DevinApiError && e.status === 403) {
        hidden.push(`${what}: the token may not read them (it needs ${permissionFor(path) ?? "a permission it lacks"})`);
        return [];
      }
      throw e;
    }
  };
  const all = <T>(path: string, what: string) => list(path, what, () => client.listAll<T>(path, `generate: list ${what}`));

  const self = await client
    .call<{ service_user_id?: string }>({ method: "GET", path: paths.self }, { operation: "generate: read who the token is" })
    .then((r) => (r.body.service_user_id ? { service_user_id: r.body.service_user_id } : undefined));
  const [orgs, enterpriseUsers, roles, registered, withRoles] = await Promise.all([
    all<ApiOrganization>(paths.organizations, "organizations"),
    all<ApiServiceUser>(paths.serviceUsers, "service users"),
    listRoles(client),
    all<Pick<ApiIdpGroup, "idp_group_name">>(idpGroupPaths.idpGroups, "IdP groups"),
    all<ApiIdpGroup>(IDP_GROUP_ROLES, "IdP groups' roles"),
  ]);
  // The registered groups list names only; the members list shows the roles of those that hold any.
  const idpGroups = registered.map((g) => ({
    idp_group_name: g.idp_group_name,
    role_assignments: withRoles.find((r) => r.idp_group_name === g.idp_group_name)?.role_assignments ?? [],
  }));
  const ipAccessList = (
    await list(ipAccessListPaths.ipAccessList, "the IP access list", async () => {
      const res = await client.call<ApiIpAccessList>(
        { method: "GET", path: ipAccessListPaths.ipAccessList },
        { operation: "generate: read the IP access list" },
      );
      return res.body.ip_ranges ?? [];
    })
  ).filter((r) => typeof r === "string");
  // The enterprise lists show every org's playbooks and notes too: only the enterprise's own are kept here.
  const enterprisePlaybooks = (await all<ApiPlaybook>(playbookPaths.playbooks(null), "enterprise playbooks")).filter(
    (p) => p.access_type === "enterprise",
  );
  const enterpriseNotes = (await all<ApiKnowledgeNote>(knowledgeNotePaths.knowledgeNotes(null), "enterprise knowledge notes")).filter(
    (n) => n.access_type === "enterprise",
  );

  // Whether the enterprise list includes service users provisioned in orgs is not documented: each org's list is read too.
  const byId = new Map(enterpriseUsers.map((su) => [su.service_user_id, su]));
  const playbooks: Enterprise["playbooks"] = {};
  const notes: Enterprise["notes"] = {};
  const schedules: Enterprise["schedules"] = {};
  const secrets: Enterprise["secrets"] = {};
  for (const org of orgs) {
    const id = org.org_id;
    for (const su of await all<ApiServiceUser>(paths.orgServiceUsers(id), `the service users of ${org.name}`)) {
      if (!byId.has(su.service_user_id)) byId.set(su.service_user_id, su);
    }
    playbooks[id] = await all<ApiPlaybook>(playbookPaths.playbooks(id), `the playbooks of ${org.name}`);
    notes[id] = await all<ApiKnowledgeNote>(knowledgeNotePaths.knowledgeNotes(id), `the knowledge notes of ${org.name}`);
    schedules[id] = await list(schedulePaths.schedules(id), `the schedules of ${org.name}`, () =>
      client.listAllByOffset<ApiSchedule>(schedulePaths.schedules(id), `generate: list the schedules of ${org.name}`),
    );
    secrets[id] = await all<ApiSecret>(secretPaths.secrets(id), `the secrets of ${org.name}`);
  }
  return {
    self,
    orgs,
    serviceUsers: [...byId.values()],
    roles,
    idpGroups,
    ipAccessList,
    enterprisePlaybooks,
    enterpriseNotes,
    playbooks,
    notes,
    schedules,
    secrets,
    hidden,
  };
}
