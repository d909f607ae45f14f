import type { ApiOrganization, Role } from "../../impl/api";
import { RESOURCES, type Kind } from "../../schema";
import { fromWire } from "../../schema/wire";
import type { Enterprise } from "../readEnterprise";

/**
 * What `generate` declares, whatever the language it is written in: each adopted object with its live arguments,
 * references where one declared object points at another, secrets from stack config, and the summary of what was
 * adopted, what was left out and why, and which policy rules the program breaks. The emitters beside this module
 * write it as TypeScript, YAML, Go or Python.
 */

// The policy pack's rule names (policy/rules.ts), spelled out: importing them would load @pulumi/policy, an optional peer.
export const ORG_ACU_LIMIT = "devin-org-acu-limit";
export const NO_ADMIN_SERVICE_USERS = "devin-no-admin-service-users";

/** An argument's value. */
export type Value =
  | { literal: unknown }
  /** An output (`output`, camelCase) of the resource named `to` (its slug). */
  | { ref: string; output: string }
  /** A secret the program reads from the stack's config under `key`. */
  | { secretConfig: string }
  /** A list or an object of the schema whose items may hold references. */
  | { list: Value[] }
  | { object: [string, Value][] };

export interface Declared {
  type: Kind;
  /** The resource name: lower-case words joined by dashes, unique in the program. */
  name: string;
  args: [string, Value][];
  adoptId: string;
  protect?: boolean;
  /** Resource names this one must wait for. */
  dependsOn?: string[];
}

export interface ProgramModel {
  /** Each org's objects under a heading with its name, then "Enterprise-wide". */
  items: ({ heading: string } | Declared)[];
  /** The stack config keys of secret values, in the order the program reads them. */
  configKeys: string[];
  /** The outputs, each a map from a resource's name to one of its outputs: only the ids a reviewer needs. */
  outputs: { name: string; entries: { resource: string; output: string }[] }[];
  /** Adopted objects per resource type, in the order first declared. */
  counts: Record<string, number>;
  /** Objects left out, each with the reason. */
  notes: string[];
  /** Policy pack rules the program breaks, each with how to fix it. */
  policy: string[];
  /** The `pulumi config set --secret` lines to run before the first `up`. */
  configLines: string[];
}

/**
 * Words no generated name may be, in any of the languages: keywords, and the names the programs themselves use.
 * A resource named so gets a suffix, as a second one of a name does.
 */
const RESERVED = new Set(
  (
    "abstract and as assert async await break case catch cfg chan class config const continue ctx debugger def default defer del " +
    "delete devin do elif else enum err except export extends false fallthrough finally for from func function global go goto if " +
    "implements import in instanceof interface is lambda let main map new nil none nonlocal not null or package pass pulumi private " +
    "protected public raise range return select static struct super switch this throw true try type typeof var void while with yield"
  ).split(" "),
);

/** A name's camelCase form: the TypeScript and Go variable a resource is held in. */
export const camelCase = (slug: string) => slug.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^(\d)/, "_$1");

/** A resource name for the program, unique among those taken, and unique again once written in camelCase. */
function uniqueSlug(text: string, taken: Set<string>, fallback: string): string {
  const base =
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || fallback;
  const free = (slug: string) => !taken.has(slug) && !taken.has(camelCase(slug)) && !RESERVED.has(camelCase(slug));
  let slug = base;
  for (let i = 2; !free(slug); i++) slug = `${base}-${i}`;
  taken.add(slug);
  taken.add(camelCase(slug));
  return slug;
}

/** A role as the program names it: its name when that is unambiguous at its level, else its id. */
function roleLabel(role: Role, roles: Role[]): string {
  const sameName = roles.filter((r) => r.role_type === role.role_type && r.role_name.toLowerCase() === role.role_name.toLowerCase());
  return sameName.length === 1 ? role.role_name : role.role_id;
}

const literal = (value: unknown): Value => ({ literal: value });

/**
 * A live object's arguments as the program declares them: each argument the API returns, with its live value, but
 * those given by reference (`refs`), which come first.
 */
function liveArguments(kind: Kind, live: object, refs: Record<string, Value> = {}): [string, Value][] {
  const values = fromWire(
    RESOURCES[kind].fields.filter((f) => f.input),
    live as Record<string, unknown>,
  ) as Record<string, unknown>;
  const args = Object.entries(values)
    .filter(([name, v]) => v !== null && v !== undefined && !(name in refs))
    .map(([name, v]): [string, Value] => [name, literal(v)]);
  return [...Object.entries(refs), ...args];
}

export function adoptionModel(enterprise: Enterprise): ProgramModel {
  const notes: string[] = [...enterprise.hidden];
  const policy: string[] = [];
  const configLines: string[] = [];
  const configKeys: string[] = [];
  const counts: Record<string, number> = {};
  const taken = new Set<string>();
  const items: ProgramModel["items"] = [];
  const orgIdOutputs: { resource: string; output: string }[] = [];
  const serviceUserIdOutputs: { resource: string; output: string }[] = [];

  /** Declares one adopted resource under `name` made unique (or `options.name`, already reserved); returns its name. */
  const declare = (type: Kind, name: string, args: [string, Value][], adoptId: string, options: Partial<Declared> = {}): string => {
    const slug = options.name ?? uniqueSlug(name, taken, type.toLowerCase());
    items.push({ type, args, adoptId, ...options, name: slug });
    counts[type] = (counts[type] ?? 0) + 1;
    return slug;
  };
  const ref = (to: string, output: string): Value => ({ ref: to, output });
  const role = (r: Role): [string, Value] => ["role", literal(roleLabel(r, enterprise.roles))];

  // Every org's name, reserved before anything is declared: a service user declared under one org refers to the others
  // it has roles in, wherever they come in the program.
  const orgNames = new Map(enterprise.orgs.map((o) => [o.org_id, uniqueSlug(o.name, taken, "organization")]));
  // A program may refer only to what it declared above (a TypeScript const, a Go or Python variable): a role in an org
  // not declared yet waits here, by org id, and is declared right after that org.
  const declaredOrgs = new Set<string>();
  const afterOrg = new Map<string, (() => void)[]>();
  const onceDeclared = (orgId: string, declareIt: () => void) => {
    if (declaredOrgs.has(orgId)) declareIt();
    else afterOrg.set(orgId, [...(afterOrg.get(orgId) ?? []), declareIt]);
  };
  const orgName = (orgId: string) => enterprise.orgs.find((o) => o.org_id === orgId)?.name ?? orgId;

  const serviceUsers = enterprise.serviceUsers.filter((su) => {
    if (su.service_user_id !== enterprise.self?.service_user_id) return true;
    notes.push(
      `${su.name} (${su.service_user_id}) is the service user of the token that read the enterprise: left out, so that no destroy can delete it`,
    );
    return false;
  });

  const declareServiceUser = (su: (typeof serviceUsers)[number], scope: { org_id: string | null; role: Role }) => {
    const others = su.role_assignments.filter((a) => a !== scope && (a.org_id === null || orgNames.has(a.org_id)));
    const args: [string, Value][] = [];
    if (scope.org_id) args.push(["orgId", ref(orgNames.get(scope.org_id) as string, "orgId")]);
    args.push(["name", literal(su.name)], role(scope.role));
    // The real TTL, so the state records it rather than the default (a different ttlSeconds would replace it later).
    const ttl = enterprise.ttls[su.service_user_id];
    if (ttl !== undefined) args.push(["ttlSeconds", literal(ttl)]);
    const name = declare("ServiceUser", scope.org_id ? `${orgName(scope.org_id)}-${su.name}` : su.name, args, su.service_user_id);
    serviceUserIdOutputs.push({ resource: name, output: "serviceUserId" });
    const id = ref(name, "serviceUserId");
    // Its roles beyond its own scope: an enterprise role of an org service user, roles in other orgs.
    for (const other of others) {
      if (other.org_id === null) {
        declare("EnterpriseServiceUserRole", `${su.name}-enterprise`, [["serviceUserId", id], role(other.role)], su.service_user_id);
      } else {
        const orgId = other.org_id;
        onceDeclared(orgId, () =>
          declare(
            "OrgServiceUserRole",
            `${su.name}-in-${orgName(orgId)}`,
            [["orgId", ref(orgNames.get(orgId) as string, "orgId")], ["serviceUserId", id], role(other.role)],
            `${orgId}/${su.service_user_id}`,
          ),
        );
      }
    }
    for (const a of su.role_assignments.filter((a) => a.role.role_name.toLowerCase() === "admin")) {
      policy.push(
        `${NO_ADMIN_SERVICE_USERS}: service user ${su.name} holds Admin ${a.org_id ? `in ${orgName(a.org_id)}` : "in the enterprise"}; give it a narrower role, or list "${su.name}" in the rule's allowed config`,
      );
    }
  };

  // Where each service user is declared: in its enterprise role's place, else in the first org it has a role in.
  const scopeOf = (su: (typeof serviceUsers)[number]) =>
    su.role_assignments.find((a) => a.org_id === null) ??
    su.role_assignments.find((a) => a.org_id !== null && enterprise.orgs.some((o) => o.org_id === a.org_id));

  for (const org of enterprise.orgs as ApiOrganization[]) {
    items.push({ heading: org.name });
    const name = declare("Organization", org.name, liveArguments("Organization", org), org.org_id, {
      protect: true,
      name: orgNames.get(org.org_id),
    });
    orgIdOutputs.push({ resource: name, output: "orgId" });
    declaredOrgs.add(org.org_id);
    for (const declareIt of afterOrg.get(org.org_id) ?? []) declareIt();
    if (org.max_cycle_acu_limit === null || org.max_cycle_acu_limit === undefined) {
      policy.push(`${ORG_ACU_LIMIT}: organization ${org.name} has no acuLimit; set one (its ACU cap per billing cycle) on ${name}`);
    }
    const orgRef = ref(name, "orgId");
    const playbooks = new Map<string, string>();
    for (const p of enterprise.playbooks[org.org_id] ?? []) {
      playbooks.set(
        p.playbook_id,
        declare("Playbook", `${org.name}-${p.title}`, liveArguments("Playbook", p, { orgId: orgRef }), p.playbook_id),
      );
    }
    for (const n of enterprise.notes[org.org_id] ?? []) {
      declare("KnowledgeNote", `${org.name}-${n.name}`, liveArguments("KnowledgeNote", n, { orgId: orgRef }), n.note_id);
    }
    for (const s of enterprise.schedules[org.org_id] ?? []) {
      const playbook = s.playbook ? playbooks.get(s.playbook.playbook_id) : undefined;
      const refs: Record<string, Value> = { orgId: orgRef, ...(playbook ? { playbookId: ref(playbook, "playbookId") } : {}) };
      declare("Schedule", `${org.name}-${s.name}`, liveArguments("Schedule", s, refs), s.scheduled_session_id);
    }
    for (const s of enterprise.secrets[org.org_id] ?? []) {
      if (s.access_type !== "org" || !s.key) {
        notes.push(
          `secret ${s.secret_id} of ${org.name} is ${s.key ? "a personal secret" : "without a key"}: only org secrets with a key can be declared`,
        );
        continue;
      }
      // The API never shows a value: the program reads it from stack config, which the user sets once.
      const configKey = uniqueSlug(`${org.name}-${s.key}`, taken, "secret");
      configKeys.push(configKey);
      configLines.push(`pulumi config set --secret ${configKey} <the value of ${s.key} in ${org.name}>`);
      declare(
        "Secret",
        `${org.name}-${s.key}-secret`,
        liveArguments("Secret", s, { orgId: orgRef, value: { secretConfig: configKey } }),
        s.secret_id,
      );
    }
    for (const g of enterprise.gitPermissions[org.org_id] ?? []) {
      const what = g.repo_path ?? g.group_prefix ?? g.prefix_path ?? g.git_permission_id;
      declare("GitPermission", `${org.name}-git-${what}`, liveArguments("GitPermission", g, { orgId: orgRef }), g.git_permission_id);
    }
    const tags = enterprise.tags[org.org_id];
    if (tags && (tags.tags.length > 0 || tags.default_tag !== null)) {
      declare("OrgTags", `${org.name}-tags`, liveArguments("OrgTags", tags, { orgId: orgRef }), org.org_id);
    }
    for (const user of enterprise.users) {
      const a = user.role_assignments.find((r) => r.org_id === org.org_id);
      if (!a) continue;
      declare(
        "OrgUserRole",
        `${org.name}-${user.email ?? user.name ?? user.user_id}`,
        [["orgId", orgRef], ["userId", literal(user.user_id)], role(a.role)],
        `${org.org_id}/${user.user_id}`,
      );
    }
    for (const su of serviceUsers) {
      const scope = scopeOf(su);
      if (scope && scope.org_id === org.org_id) declareServiceUser(su, scope);
    }
  }

  const enterpriseWide = items.length;
  items.push({ heading: "Enterprise-wide" });
  for (const su of serviceUsers) {
    const scope = scopeOf(su);
    if (!scope) notes.push(`${su.name} (${su.service_user_id}) has no role this program can declare: left out`);
    else if (scope.org_id === null) declareServiceUser(su, scope);
  }
  for (const g of enterprise.idpGroups) {
    const group = declare("IdpGroup", `idp-${g.idp_group_name}`, [["name", literal(g.idp_group_name)]], g.idp_group_name);
    const groupName: [string, Value] = ["idpGroupName", ref(group, "name")];
    const enterpriseRole = g.role_assignments.find((a) => a.org_id === null);
    let groupRole: string | undefined;
    if (enterpriseRole) {
      groupRole = declare(
        "EnterpriseIdpGroupRole",
        `idp-${g.idp_group_name}-enterprise`,
        [groupName, role(enterpriseRole.role)],
        g.idp_group_name,
      );
    }
    for (const a of g.role_assignments) {
      const org = a.org_id === null ? undefined : orgNames.get(a.org_id);
      if (!org || a.org_id === null) continue;
      declare(
        "OrgIdpGroupRole",
        `idp-${g.idp_group_name}-in-${orgName(a.org_id)}`,
        [["orgId", ref(org, "orgId")], groupName, role(a.role)],
        `${a.org_id}/${g.idp_group_name}`,
        groupRole ? { dependsOn: [groupRole] } : {},
      );
    }
  }
  if (enterprise.ipAccessList.length > 0) {
    declare("IpAccessList", "ip-access-list", [["ipRanges", literal(enterprise.ipAccessList)]], "ip-access-list");
  }
  const groups = Object.entries(enterprise.groupLimits).sort(([a], [b]) => a.localeCompare(b));
  if (groups.length > 0) {
    // Each org by reference where the program declares it; its id otherwise.
    const orgValue = (id: string): Value => (orgNames.has(id) ? ref(orgNames.get(id) as string, "orgId") : literal(id));
    const value: Value = {
      list: groups.map(([name, g]) => ({
        object: [
          ["name", literal(name)],
          ["orgIds", { list: [...g.org_ids].sort().map(orgValue) }],
          ...(g.max_cycle_acus === null ? [] : [["maxCycleAcus", literal(g.max_cycle_acus)] as [string, Value]]),
        ],
      })),
    };
    declare("OrgGroupLimits", "org-group-limits", [["groups", value]], "org-group-limits");
  }
  for (const p of enterprise.enterprisePlaybooks) {
    declare("EnterprisePlaybook", p.title, liveArguments("EnterprisePlaybook", p), p.playbook_id);
  }
  for (const n of enterprise.enterpriseNotes) {
    declare("EnterpriseKnowledgeNote", n.name, liveArguments("EnterpriseKnowledgeNote", n), n.note_id);
  }
  if (items.length === enterpriseWide + 1) items.pop();

  notes.push(
    "API keys beyond each service user's own: their tokens cannot be read back, so they are not declared (service users keep them)",
    "users' enterprise roles: EnterpriseUserRole cannot adopt (every member holds one; declaring it sets it), so they are left as they are",
  );
  const outputs = [
    { name: "orgIds", entries: orgIdOutputs },
    { name: "serviceUserIds", entries: serviceUserIdOutputs },
  ].filter((o) => o.entries.length > 0);
  return { items, configKeys, outputs, counts, notes, policy, configLines };
}

/** The summary at the top of every generated program, without its comment marks. */
export function summaryLines(model: ProgramModel, source: string, now: Date): string[] {
  return [
    `Generated by \`pulumi-devin generate\` from ${source} on ${now.toISOString().slice(0, 10)}.`,
    "",
    "Every object below already exists and is adopted (adoptId): the first `pulumi up` reads each one and sends no",
    "write (no POST, PATCH, PUT or DELETE), since every value here is the live one. From then on the stack manages them",
    "as if it had created them: deleting a resource here deletes the object, which is why organizations are protected.",
    'Service users keep their API keys (apiKeyOnAdopt defaults to "none", so apiKey is empty); set',
    'apiKeyOnAdopt: "issue" before the first `up` to have the stack hold a key of its own.',
    "",
    `Adopted: ${
      Object.entries(model.counts)
        .map(([kind, n]) => `${n} ${kind}`)
        .join(", ") || "nothing"
    }.`,
    ...model.notes.map((n) => `Left out: ${n}.`),
    ...model.policy.map((p) => `Policy: ${p}.`),
    ...(model.configLines.length > 0 ? ["Before the first `up`, set each secret's value:", ...model.configLines.map((l) => `  ${l}`)] : []),
  ];
}
