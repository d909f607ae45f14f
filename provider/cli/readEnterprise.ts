import { paths, permissionFor, type ApiIdpGroup, type ApiOrganization, type ApiServiceUser, type ApiUser, type Role } from "../impl/api";
import { gitPermissionPaths, withoutSlash, type ApiGitPermission } from "../impl/gitPermission";
import { orgGroupLimitsPaths, readGroupLimits, type ApiOrgGroupLimits } from "../impl/orgGroupLimits";
import { orgTagsPaths, readTags, type LiveTags } from "../impl/orgTags";
import type { DevinClient } from "../impl/client";
import { apiKeyPaths, type ApiKey } from "../impl/apiKey";
import { MAX_TTL_SECONDS } from "../impl/check";
import { DevinApiError } from "../impl/errors";
import { idpGroupPaths } from "../impl/idpGroup";
import { ipAccessListPaths, readIpAccessList } from "../impl/ipAccessList";
import { knowledgeNotePaths, type ApiKnowledgeNote } from "../impl/knowledgeNote";
import { playbookPaths, type ApiPlaybook } from "../impl/playbook";
import { listRoles } from "../impl/roles";
import { schedulePaths, type ApiSchedule } from "../impl/schedule";
import { secretPaths, type ApiSecret } from "../impl/secret";

const IDP_GROUP_ROLES = "/v3/enterprise/members/idp-groups";

/** Everything `generate` can declare, as the API shows it, and what the token could not read. */
export interface Enterprise {
  self: { service_user_id: string } | undefined;
  orgs: ApiOrganization[];
  serviceUsers: ApiServiceUser[];
  roles: Role[];
  idpGroups: ApiIdpGroup[];
  ipAccessList: string[];
  /** The org group limits by group name; empty where the feature is off. */
  groupLimits: ApiOrgGroupLimits["groups"];
  /** Direct members, with their org roles. */
  users: ApiUser[];
  enterprisePlaybooks: ApiPlaybook[];
  enterpriseNotes: ApiKnowledgeNote[];
  /** Per org id. */
  playbooks: Record<string, ApiPlaybook[]>;
  notes: Record<string, ApiKnowledgeNote[]>;
  schedules: Record<string, ApiSchedule[]>;
  secrets: Record<string, ApiSecret[]>;
  gitPermissions: Record<string, ApiGitPermission[]>;
  /** Where the org has tags (the feature may be off). */
  tags: Record<string, LiveTags | undefined>;
  /** Each service user's TTL as the API shows it: expiry minus its first key's creation (it has no created_at). */
  ttls: Record<string, number>;
  /** What a 403 hid: what, and the permission it needs. */
  hidden: string[];
}

export async function readEnterprise(client: DevinClient): Promise<Enterprise> {
  const hidden: string[] = [];
  // A list the token may not read is said, not fatal: the rest of the enterprise is still worth adopting.
  const list = async <T>(path: string, what: string, read: () => Promise<T[]>): Promise<T[]> => {
    try {
      return await read();
    } catch (e) {
      if (e instanceof DevinApiError && e.status === 403) {
        const permission = permissionFor("GET", path);
        hidden.push(
          `${what}: not read, since the token's role lacks ${permission ? `the ${permission} permission` : "a permission they need"} (403); use a token whose role holds it`,
        );
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
    await list(
      ipAccessListPaths.ipAccessList,
      "the IP access list",
      async () => (await readIpAccessList(client, "generate: read the IP access list")).ip_ranges ?? [],
    )
  ).filter((r) => typeof r === "string");
  const groupLimits =
    (
      await list(orgGroupLimitsPaths.orgGroupLimits, "the org group limits", async () => {
        const live = await readGroupLimits(client, "generate: read the org group limits");
        return live ? [live.groups ?? {}] : [];
      })
    )[0] ?? {};
  const users = await all<ApiUser>(paths.users, "users");
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
  const gitPermissions: Enterprise["gitPermissions"] = {};
  const tags: Enterprise["tags"] = {};
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
    // A group is declared without the trailing "/" the API keeps, as a GitPermission states it.
    gitPermissions[id] = (await all<ApiGitPermission>(gitPermissionPaths.gitPermissions(id), `the git permissions of ${org.name}`)).map(
      (p) => ({ ...p, group_prefix: withoutSlash(p.group_prefix) ?? null, read_only: p.read_only ?? false }),
    );
    tags[id] = (
      await list(orgTagsPaths.orgTags(id), `the session tags of ${org.name}`, async () => [
        await readTags(client, id, `generate: read the session tags of ${org.name}`),
      ])
    )[0];
  }
  const ttls: Enterprise["ttls"] = {};
  for (const su of byId.values()) {
    // The token's own service user is never declared (see the model): its keys need no reading.
    if (su.expires_at === null || su.service_user_id === self?.service_user_id) continue;
    const keys = await all<ApiKey>(apiKeyPaths.apiKeys(su.service_user_id), `the API keys of ${su.name}`);
    const ttl = keys.length > 0 ? su.expires_at - Math.min(...keys.map((k) => k.created_at)) : 0;
    if (Number.isInteger(ttl) && ttl >= 1 && ttl <= MAX_TTL_SECONDS) ttls[su.service_user_id] = ttl;
  }
  return {
    self,
    ttls,
    orgs,
    serviceUsers: [...byId.values()],
    roles,
    idpGroups,
    ipAccessList,
    groupLimits,
    users,
    enterprisePlaybooks,
    enterpriseNotes,
    playbooks,
    notes,
    schedules,
    secrets,
    gitPermissions,
    tags,
    hidden,
  };
}
