import * as pulumi from "@pulumi/pulumi";
import * as devin from "pulumi-devin";

// The declarative form of "automate across organizations": instead of a script that loops over orgs calling the
// API, declare every team's org, its ACU cap and its bot, and let `pulumi preview` show what would change.

interface Team {
  /** Organization display name. */
  name: string;
  /** Per-cycle ACU cap. */
  acuLimit: number;
  /** Role of the team's bot in its org. */
  botRole?: string;
}

const config = new pulumi.Config();
const teams = config.getObject<Team[]>("teams") ?? [
  { name: "Frontend", acuLimit: 300 },
  { name: "Backend", acuLimit: 400 },
  { name: "Data", acuLimit: 150, botRole: "Admin" },
];

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-");

const deployed = teams.map((team) => {
  const org = new devin.Organization(slug(team.name), { name: team.name, acuLimit: team.acuLimit });
  const bot = new devin.ServiceUser(`${slug(team.name)}-health-check`, {
    orgId: org.orgId,
    name: `${slug(team.name)}-health-check`,
    role: team.botRole ?? "Member",
    ttlSeconds: 30 * 24 * 3600,
  });
  return { team, org, bot };
});

export const organizations = Object.fromEntries(
  deployed.map(({ team, org, bot }) => [
    team.name,
    { orgId: org.orgId, acuLimit: org.acuLimit, bot: bot.serviceUserId, botRole: bot.roleName },
  ]),
);
// Secret: one key per team bot, e.g. for the CI system of that team.
export const botKeys = Object.fromEntries(deployed.map(({ team, bot }) => [team.name, bot.apiKey]));
