import type { ApiOrganization, Role } from "../impl/api";
import { RESOURCES, type Kind } from "../schema";
import { fromWire } from "../schema/wire";
import type { Enterprise } from "./readEnterprise";

/**
 * The program `generate` writes, from what `readEnterprise` read: each org with what lives in it, then what is
 * enterprise-wide; references where one declared object points at another; secrets from stack config; and a summary
 * of what was adopted, what was left out and why, and which policy rules the program breaks.
 */

// The policy pack's rule names (policy/rules.ts), spelled out: importing them would load @pulumi/policy, an optional peer.
export const ORG_ACU_LIMIT = "devin-org-acu-limit";
export const NO_ADMIN_SERVICE_USERS = "devin-no-admin-service-users";

export interface Rendered {
  program: string;
  /** Adopted objects per resource type, in the order first declared. */
  counts: Record<string, number>;
  /** Objects left out, each with the reason. */
  notes: string[];
  /** Policy pack rules the program breaks, each with how to fix it. */
  policy: string[];
  /** The `pulumi config set --secret` lines to run before the first `up`. */
  configLines: string[];
}

/** A resource name for the program: lower-case words joined by dashes, unique among those already taken. */
function uniqueSlug(text: string, taken: Set<string>, fallback: string): string {
  const base =
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || fallback;
  let slug = base;
  for (let i = 2; taken.has(slug); i++) slug = `${base}-${i}`;
  taken.add(slug);
  return slug;
}

/** A TypeScript identifier for a resource name. */
const identifier = (slug: string) => slug.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^(\d)/, "_$1");

/** A role as the program names it: its name when that is unambiguous at its level, else its id. */
function roleLabel(role: Role, roles: Role[]): string {
  const sameName = roles.filter((r) => r.role_type === role.role_type && r.role_name.toLowerCase() === role.role_name.toLowerCase());
  return sameName.length === 1 ? role.role_name : role.role_id;
}

const str = (value: string) => JSON.stringify(value);

/**
 * A live object's arguments as the program declares them: each argument the API returns, with its live value, except
 * those given by reference (`refs`, in their place) or left to the caller (`skip`).
 */
function liveArguments(kind: Kind, live: object, refs: Record<string, string> = {}, skip: string[] = []): string[] {
  const values = fromWire(
    RESOURCES[kind].fields.filter((f) => f.input),
    live as Record<string, unknown>,
  );
  const args = Object.entries(values)
    .filter(([name, v]) => v !== null && v !== undefined && !(name in refs) && !skip.includes(name))
    .map(([name, v]) => `${name}: ${JSON.stringify(v)}`);
  return [...Object.entries(refs).map(([name, ref]) => `${name}: ${ref}`), ...args];
}

export function renderProgram(enterprise: Enterprise, source: string, now = new Date()): Rendered {
  const notes: string[] = [...enterprise.hidden];
  const policy: string[] = [];
  const configLines: string[] = [];
  const counts: Record<string, number> = {};
  const taken = new Set<string>();
  const body: string[] = [];
  const orgIdOutputs: string[] = [];
  const serviceUserIdOutputs: string[] = [];

  /** Declares one adopted resource; returns the variable that holds it. */
  const declare = (kind: Kind, name: string, args: string[], adoptId: string, options = ""): string => {
    const slug = uniqueSlug(name, taken, kind.toLowerCase());
    const v = identifier(slug);
    body.push(`const ${v} = new devin.${kind}(${str(slug)}, { ${[...args, `adoptId: ${str(adoptId)}`].join(", ")} }${options});`);
    counts[kind] = (counts[kind] ?? 0) + 1;
    return v;
  };

  const orgVars = new Map<string, string>();
  const orgName = (orgId: string) => enterprise.orgs.find((o) => o.org_id === orgId)?.name ?? orgId;

  const serviceUsers = enterprise.serviceUsers.filter((su) => {
    if (su.service_user_id !== enterprise.self?.service_user_id) return true;
    notes.push(
      `${su.name} (${su.service_user_id}) is the service user of the token that read the enterprise: left out, so that no destroy can delete it`,
    );
    return false;
  });
  const suVars = new Map<string, string>();

  const declareServiceUser = (su: (typeof serviceUsers)[number], scope: { org_id: string | null; role: Role }) => {
    const others = su.role_assignments.filter((a) => a !== scope && (a.org_id === null || orgVars.has(a.org_id)));
    const args: string[] = [];
    if (scope.org_id) args.push(`orgId: ${orgVars.get(scope.org_id)}.orgId`);
    args.push(`name: ${str(su.name)}`, `role: ${str(roleLabel(scope.role, enterprise.roles))}`);
    // The real TTL, so the state records it rather than the default (a different ttlSeconds would replace it later).
    const ttl = enterprise.ttls[su.service_user_id];
    if (ttl !== undefined) args.push(`ttlSeconds: ${ttl}`);
    const v = declare("ServiceUser", scope.org_id ? `${orgName(scope.org_id)}-${su.name}` : su.name, args, su.service_user_id);
    suVars.set(su.service_user_id, v);
    serviceUserIdOutputs.push(`${v}: ${v}.serviceUserId`);
    // Its roles beyond its own scope: an enterprise role of an org service user, roles in other orgs.
    for (const other of others) {
      const role = `role: ${str(roleLabel(other.role, enterprise.roles))}`;
      if (other.org_id === null) {
        declare("EnterpriseServiceUserRole", `${su.name}-enterprise`, [`serviceUserId: ${v}.serviceUserId`, role], su.service_user_id);
      } else {
        const org = orgVars.get(other.org_id) as string;
        declare(
          "OrgServiceUserRole",
          `${su.name}-in-${orgName(other.org_id)}`,
          [`orgId: ${org}.orgId`, `serviceUserId: ${v}.serviceUserId`, role],
          `${other.org_id}/${su.service_user_id}`,
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
    body.push("", `// ${org.name}`);
    const v = declare("Organization", org.name, liveArguments("Organization", org), org.org_id, ", { protect: true }");
    orgVars.set(org.org_id, v);
    orgIdOutputs.push(`${v}: ${v}.orgId`);
    if (org.max_cycle_acu_limit === null || org.max_cycle_acu_limit === undefined) {
      policy.push(`${ORG_ACU_LIMIT}: organization ${org.name} has no acuLimit; set one (its ACU cap per billing cycle) on ${v}`);
    }
    const orgRef = `${v}.orgId`;
    const playbookVars = new Map<string, string>();
    for (const p of enterprise.playbooks[org.org_id] ?? []) {
      playbookVars.set(
        p.playbook_id,
        declare("Playbook", `${org.name}-${p.title}`, liveArguments("Playbook", p, { orgId: orgRef }), p.playbook_id),
      );
    }
    for (const n of enterprise.notes[org.org_id] ?? []) {
      declare("KnowledgeNote", `${org.name}-${n.name}`, liveArguments("KnowledgeNote", n, { orgId: orgRef }), n.note_id);
    }
    for (const s of enterprise.schedules[org.org_id] ?? []) {
      const playbook = s.playbook ? playbookVars.get(s.playbook.playbook_id) : undefined;
      const refs: Record<string, string> = { orgId: orgRef, ...(playbook ? { playbookId: `${playbook}.playbookId` } : {}) };
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
      configLines.push(`pulumi config set --secret ${configKey} <the value of ${s.key} in ${org.name}>`);
      declare(
        "Secret",
        `${org.name}-${s.key}-secret`,
        liveArguments("Secret", s, { orgId: orgRef, value: `config.requireSecret(${str(configKey)})` }),
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
        [`orgId: ${orgRef}`, `userId: ${str(user.user_id)}`, `role: ${str(roleLabel(a.role, enterprise.roles))}`],
        `${org.org_id}/${user.user_id}`,
      );
    }
    for (const su of serviceUsers) {
      const scope = scopeOf(su);
      if (scope && scope.org_id === org.org_id) declareServiceUser(su, scope);
    }
  }

  body.push("", "// Enterprise-wide");
  for (const su of serviceUsers) {
    const scope = scopeOf(su);
    if (!scope) notes.push(`${su.name} (${su.service_user_id}) has no role this program can declare: left out`);
    else if (scope.org_id === null) declareServiceUser(su, scope);
  }
  for (const g of enterprise.idpGroups) {
    const group = declare("IdpGroup", `idp-${g.idp_group_name}`, [`name: ${str(g.idp_group_name)}`], g.idp_group_name);
    const name = `idpGroupName: ${group}.name`;
    const enterpriseRole = g.role_assignments.find((a) => a.org_id === null);
    let groupRole: string | undefined;
    if (enterpriseRole) {
      groupRole = declare(
        "EnterpriseIdpGroupRole",
        `idp-${g.idp_group_name}-enterprise`,
        [name, `role: ${str(roleLabel(enterpriseRole.role, enterprise.roles))}`],
        g.idp_group_name,
      );
    }
    for (const a of g.role_assignments) {
      if (a.org_id === null) continue;
      const org = orgVars.get(a.org_id);
      if (!org) continue;
      declare(
        "OrgIdpGroupRole",
        `idp-${g.idp_group_name}-in-${orgName(a.org_id)}`,
        [`orgId: ${org}.orgId`, name, `role: ${str(roleLabel(a.role, enterprise.roles))}`],
        `${a.org_id}/${g.idp_group_name}`,
        groupRole ? `, { dependsOn: [${groupRole}] }` : "",
      );
    }
  }
  if (enterprise.ipAccessList.length > 0) {
    declare("IpAccessList", "ip-access-list", [`ipRanges: ${JSON.stringify(enterprise.ipAccessList)}`], "ip-access-list");
  }
  const groups = Object.entries(enterprise.groupLimits).sort(([a], [b]) => a.localeCompare(b));
  if (groups.length > 0) {
    // Each org by reference where the program declares it; its id otherwise.
    const orgRef = (id: string) => (orgVars.has(id) ? `${orgVars.get(id)}.orgId` : str(id));
    const rendered = groups.map(
      ([name, g]) =>
        `{ name: ${str(name)}, orgIds: [${[...g.org_ids].sort().map(orgRef).join(", ")}]${g.max_cycle_acus === null ? "" : `, maxCycleAcus: ${g.max_cycle_acus}`} }`,
    );
    declare("OrgGroupLimits", "org-group-limits", [`groups: [${rendered.join(", ")}]`], "org-group-limits");
  }
  for (const p of enterprise.enterprisePlaybooks) {
    declare("EnterprisePlaybook", p.title, liveArguments("EnterprisePlaybook", p), p.playbook_id);
  }
  for (const n of enterprise.enterpriseNotes) {
    declare("EnterpriseKnowledgeNote", n.name, liveArguments("EnterpriseKnowledgeNote", n), n.note_id);
  }
  if (body[body.length - 1] === "// Enterprise-wide") body.splice(-2, 2);

  notes.push(
    "API keys beyond each service user's own: their tokens cannot be read back, so they are not declared (service users keep them)",
    "users' enterprise roles: EnterpriseUserRole cannot adopt (every member holds one; declaring it sets it), so they are left as they are",
  );

  const summary = [
    `// Adopted: ${
      Object.entries(counts)
        .map(([kind, n]) => `${n} ${kind}`)
        .join(", ") || "nothing"
    }.`,
    ...notes.map((n) => `// Left out: ${n}.`),
    ...policy.map((p) => `// Policy: ${p}.`),
    ...(configLines.length > 0 ? ["// Before the first `up`, set each secret's value:", ...configLines.map((l) => `//   ${l}`)] : []),
  ];
  const outputs = [
    ...(orgIdOutputs.length > 0 ? [`export const orgIds = { ${orgIdOutputs.join(", ")} };`] : []),
    ...(serviceUserIdOutputs.length > 0 ? [`export const serviceUserIds = { ${serviceUserIdOutputs.join(", ")} };`] : []),
  ];
  const lines = [
    `// Generated by \`pulumi-devin generate\` from ${source} on ${now.toISOString().slice(0, 10)}.`,
    "//",
    "// Every object below already exists and is adopted (adoptId): the first `pulumi up` reads each one and sends no",
    "// POST, no PATCH and no DELETE, since every value here is the live one. From then on the stack manages them as if",
    "// it had created them: deleting a resource here deletes the object, which is why organizations are protected.",
    '// Service users keep their API keys (apiKeyOnAdopt defaults to "none", so apiKey is empty); set',
    '// apiKeyOnAdopt: "issue" before the first `up` to have the stack hold a key of its own.',
    "//",
    ...summary,
    'import * as pulumi from "@pulumi/pulumi";',
    'import * as devin from "pulumi-devin";',
    "",
    "const config = new pulumi.Config();",
    ...body,
    "",
    "// Only the ids a reviewer needs.",
    ...outputs,
  ];
  return { program: `${lines.join("\n").trimEnd()}\n`, counts, notes, policy, configLines };
}
