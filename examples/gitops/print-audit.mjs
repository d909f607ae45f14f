#!/usr/bin/env node
// Prints what a `pulumi up` changed in the Devin enterprise: the audit log entries since --since (unix seconds), as a
// Markdown table for the job summary. The token and API URL come from DEVIN_TOKEN and DEVIN_API_URL, as for the
// provider. Usage: node print-audit.mjs --since <unix seconds> [--org <org id>]
import { parseArgs } from "node:util";
import devin from "pulumi-devin";

const { values } = parseArgs({ options: { since: { type: "string" }, org: { type: "string" } } });
const since = Number(values.since);
if (!values.since || !Number.isInteger(since)) {
  console.error("usage: node print-audit.mjs --since <unix seconds> [--org <org id>]");
  process.exit(2);
}

const entries = await devin.getAuditLogs({ after: since, orgId: values.org });
const who = (e) => e.serviceUserName ?? e.userEmail ?? e.serviceUserId ?? e.userId ?? "—";
const details = (e) =>
  Object.entries(e.data)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ")
    .replace(/\|/g, "\\|");

console.log(
  `### Devin audit log since ${new Date(since * 1000).toISOString()}: ${entries.length} entr${entries.length === 1 ? "y" : "ies"}\n`,
);
if (entries.length > 0) {
  console.log("| Time (UTC) | Action | Org | By | Details |\n|---|---|---|---|---|");
  for (const e of entries) {
    console.log(`| ${new Date(e.createdAt * 1000).toISOString()} | ${e.action} | ${e.orgId ?? "—"} | ${who(e)} | ${details(e)} |`);
  }
}
