import { describe, expect, it } from "vitest";
import type { Role } from "../../provider/impl/api";
import type { Enterprise } from "../../provider/cli/readEnterprise";
import { LANGUAGES, NO_ADMIN_SERVICE_USERS, ORG_ACU_LIMIT, PROJECT_FILES, renderProgram } from "../../provider/cli/renderProgram";
import * as rules from "../../policy/rules";

const member: Role = { role_id: "org_member", role_name: "Member", role_type: "org" };
const admin: Role = { role_id: "org_admin", role_name: "Admin", role_type: "org" };
const orgId = "org-00000000000000000000000000000001";

/** An enterprise with one org, one playbook, a schedule running it, a secret, and an Admin service user. */
const enterprise = (): Enterprise => ({
  self: { service_user_id: "service-user-self" },
  orgs: [{ org_id: orgId, name: "Engineering", max_cycle_acu_limit: null, max_session_acu_limit: null } as never],
  serviceUsers: [
    { service_user_id: "service-user-self", name: "me", expires_at: null, role_assignments: [] },
    { service_user_id: "service-user-ci", name: "ci", expires_at: null, role_assignments: [{ org_id: orgId, role: admin }] },
  ],
  roles: [member, admin],
  idpGroups: [],
  ipAccessList: [],
  groupLimits: {},
  users: [],
  enterprisePlaybooks: [],
  enterpriseNotes: [],
  playbooks: { [orgId]: [{ playbook_id: "playbook-1", title: "Deploy", body: "Run it.", macro: null } as never] },
  notes: {},
  schedules: {
    [orgId]: [
      {
        scheduled_session_id: "sched-1",
        name: "Nightly",
        prompt: "Deploy.",
        playbook: { playbook_id: "playbook-1", title: "Deploy" },
      } as never,
    ],
  },
  secrets: {
    [orgId]: [
      { secret_id: "secret-1", key: "NPM_TOKEN", access_type: "org", secret_type: "key-value", is_sensitive: true, note: null } as never,
    ],
  },
  gitPermissions: {},
  tags: {},
  ttls: { "service-user-ci": 2_592_000 },
  hidden: [
    "the IdP groups: not read, since the token's role lacks the ViewAccountMembership permission (403); use a token whose role holds it",
  ],
});

describe("the program generate writes", () => {
  const rendered = renderProgram(enterprise(), "http://api", { now: new Date("2026-01-02T00:00:00Z") });
  const program = rendered.files["index.ts"];

  it("refers to what it declares instead of copying ids", () => {
    expect(program).toMatch(/new devin\.Playbook\("engineering-deploy", \{ orgId: engineering\.orgId, /);
    expect(program).toMatch(/new devin\.Schedule\([^\n]*playbookId: engineeringDeploy\.playbookId[^\n]*adoptId: "sched-1"/);
    expect(program).not.toContain('playbookId: "playbook-1"');
  });

  it("reads secret values from stack config and says which lines to run", () => {
    expect(program).toContain('value: config.requireSecret("engineering-npm-token")');
    expect(rendered.configLines).toEqual(["pulumi config set --secret engineering-npm-token <the value of NPM_TOKEN in Engineering>"]);
  });

  it("counts what it adopted and says what it left out, with the permission a 403 named", () => {
    expect(rendered.counts).toEqual({ Organization: 1, Playbook: 1, Schedule: 1, Secret: 1, ServiceUser: 1 });
    expect(rendered.notes[0]).toBe(
      "the IdP groups: not read, since the token's role lacks the ViewAccountMembership permission (403); use a token whose role holds it",
    );
    expect(rendered.notes.some((n) => n.startsWith("me (service-user-self) is the service user of the token"))).toBe(true);
    expect(program).toContain("// Adopted: 1 Organization, 1 Playbook, 1 Schedule, 1 Secret, 1 ServiceUser.");
    expect(program).not.toContain('service-user-self"');
  });

  it("names the policy rules it breaks, with the fix, by the pack's own names", () => {
    expect([ORG_ACU_LIMIT, NO_ADMIN_SERVICE_USERS]).toEqual([rules.ORG_ACU_LIMIT, rules.NO_ADMIN_SERVICE_USERS]);
    expect(rendered.policy).toEqual([
      "devin-org-acu-limit: organization Engineering has no acuLimit; set one (its ACU cap per billing cycle) on engineering",
      'devin-no-admin-service-users: service user ci holds Admin in Engineering; give it a narrower role, or list "ci" in the rule\'s allowed config',
    ]);
  });

  it("records a service user's real TTL, not the default", () => {
    expect(program).toMatch(/new devin\.ServiceUser\([^\n]*name: "ci", role: "Admin", ttlSeconds: 2592000, adoptId: "service-user-ci"/);
  });

  it("exports only ids", () => {
    expect(program.match(/^export .*$/gm)).toEqual([
      "export const orgIds = { engineering: engineering.orgId };",
      "export const serviceUserIds = { engineeringCi: engineeringCi.serviceUserId };",
    ]);
  });
});

describe("a service user with roles in several orgs", () => {
  it("is declared under its first org, with its role in an org that comes later as an OrgServiceUserRole declared after that org", () => {
    const e = enterprise();
    const later = "org-00000000000000000000000000000002";
    e.orgs = [...e.orgs, { org_id: later, name: "Research", max_cycle_acu_limit: 5, max_session_acu_limit: null } as never];
    e.serviceUsers[1].role_assignments.push({ org_id: later, role: member });
    const { files, counts } = renderProgram(e, "x");
    expect(counts.OrgServiceUserRole).toBe(1);
    const role =
      'new devin.OrgServiceUserRole("ci-in-research", { orgId: research.orgId, serviceUserId: engineeringCi.serviceUserId, role: "Member", adoptId: "org-00000000000000000000000000000002/service-user-ci" });';
    // After both what it refers to: a const is not there before its declaration.
    const lines = files["index.ts"].split("\n");
    expect(lines.findIndex((l) => l.endsWith(role))).toBeGreaterThan(lines.findIndex((l) => l.startsWith("const research = ")));
    expect(lines.findIndex((l) => l.endsWith(role))).toBeGreaterThan(lines.findIndex((l) => l.startsWith("const engineeringCi = ")));
    expect(lines.findIndex((l) => l.startsWith("const research = "))).toBeGreaterThan(0);
  });
});

describe("the program in each language", () => {
  const withDollar = (): Enterprise => {
    const e = enterprise();
    e.orgs = [{ ...e.orgs[0], name: "default" }];
    e.playbooks[orgId] = [{ playbook_id: "playbook-1", title: "Deploy", body: "Run ${HOME}/deploy $$ $1.", macro: null } as never];
    return e;
  };

  it("YAML escapes a literal ${ (Pulumi YAML would read it as an expression) and names the plugin", () => {
    const { files } = renderProgram(withDollar(), "http://api", { language: "yaml", project: "acme" });
    expect(Object.keys(files)).toEqual(["Pulumi.yaml"]);
    expect(files["Pulumi.yaml"]).toContain('body: "Run $${HOME}/deploy $$$$ $$1."');
    expect(files["Pulumi.yaml"]).toContain("path: ./node_modules/pulumi-devin/bin");
    expect(files["Pulumi.yaml"]).toMatch(/^name: acme$/m);
  });

  it("gives a resource named like a keyword a name every language accepts", () => {
    const e = withDollar();
    expect(renderProgram(e, "x").files["index.ts"]).toContain('const default2 = new devin.Organization("default-2", ');
    expect(renderProgram(e, "x", { language: "go" }).files["main.go"]).toContain(
      'default2, err := devin.NewOrganization(ctx, "default-2", ',
    );
    expect(renderProgram(e, "x", { language: "python" }).files["__main__.py"]).toContain("default_2 = devin.Organization(");
  });

  it("writes exactly the files generate refuses to overwrite before it reads anything", () => {
    for (const language of LANGUAGES) {
      expect(Object.keys(renderProgram(enterprise(), "x", { language }).files).sort()).toEqual([...PROJECT_FILES[language]].sort());
    }
  });

  it("YAML, Go and Python name the plugin in Pulumi.yaml; TypeScript only with plugin", () => {
    for (const language of ["go", "python"] as const) {
      expect(renderProgram(enterprise(), "x", { language, plugin: false }).files["Pulumi.yaml"]).toContain("name: devin");
    }
    expect(renderProgram(enterprise(), "x").files["Pulumi.yaml"]).not.toContain("plugins:");
    const plugin = renderProgram(enterprise(), "x", { plugin: true }).files;
    expect(plugin["Pulumi.yaml"]).toContain("plugins:");
    expect(plugin["index.ts"]).toContain('import * as devin from "pulumi-devin/plugin";');
  });
});
