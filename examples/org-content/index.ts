import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as devin from "pulumi-devin";

// What lives inside an org, declared: the texts sit in Markdown files beside this program, so a pull request that
// changes a playbook shows the text diff, and `pulumi preview` shows the same diff line by line.

const config = new pulumi.Config();
const text = (file: string) => fs.readFileSync(path.join(__dirname, file), "utf8");

const web = new devin.Organization("web", { name: config.get("orgName") ?? "Web" }, { protect: config.getBoolean("protect") ?? false });

const upgrades = new devin.Playbook("dependency-upgrades", {
  orgId: web.orgId,
  title: "Dependency upgrades",
  body: text("playbooks/dependency-upgrades.md"),
  macro: "!upgrade",
});

new devin.KnowledgeNote("deploys", {
  orgId: web.orgId,
  name: "How we deploy",
  body: text("knowledge/deploys.md"),
  trigger: "When deploying, releasing or rolling back the web app",
  pinnedRepo: config.get("repoPath") ?? "example-org/web-app",
});

// Mondays at 09:00 UTC, a session follows the playbook: the schedule refers to it by its output.
new devin.Schedule("weekly-upgrades", {
  orgId: web.orgId,
  name: "Weekly dependency upgrades",
  prompt: "Upgrade the web app's dependencies, following the playbook.",
  frequency: "0 9 * * 1",
  playbookId: upgrades.playbookId,
  notifyOn: "failure",
});

// Set with `pulumi config set --secret npmToken ...`: encrypted in the stack config and the state, [secret] in previews.
new devin.Secret("npm-token", {
  orgId: web.orgId,
  key: "NPM_TOKEN",
  value: config.requireSecret("npmToken"),
  note: "Read-only token for the private registry",
});

// The org may work on the web app's repository, through the enterprise's GitHub connection.
const github = devin.getGitConnectionsOutput().apply((connections) => {
  const host = config.get("gitHost") ?? "github.com";
  const found = connections.find((c) => c.host === host);
  if (!found) throw new Error(`no git connection to ${host}; connect it in the Devin app first`);
  return found.gitConnectionId;
});
new devin.GitPermission("web-app", {
  orgId: web.orgId,
  gitConnectionId: github,
  repoPath: config.get("repoPath") ?? "example-org/web-app",
});

export const orgId = web.orgId;
export const playbookId = upgrades.playbookId;
