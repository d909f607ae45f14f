import { KINDS, RESOURCES } from "../schema";
import { kindOf, Names, resourceNameOf, UNKNOWN } from "./names";
import type { Inputs, PolicyViolation, Preview } from "./preview";
import { risksOf, type Change, type Risk } from "./risks";

/**
 * `pulumi-devin review`: turns `pulumi preview --json` into the Markdown a reviewer reads in a pull request. The
 * preview's own text shows no field for an update of a dynamic resource and its JSON carries a 2 KB `__provider` blob
 * in every step; this shows, per resource type, each changed input from → to, why a replacement happens, and the
 * risks (risks.ts) above everything. It never prints a property whose name starts with `__`, nor a secret: Pulumi
 * already masks secrets as "[secret]", and values that are secrets by nature (a Secret's value, keys, tokens) are
 * masked here whatever the preview holds, as is anything that looks like a `cog_` token.
 */

export interface Review {
  markdown: string;
  risks: Risk[];
  changes: Change[];
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** Properties that hold a credential whatever the preview shows. */
const ALWAYS_SECRET: Record<string, string[]> = Object.fromEntries(
  KINDS.map((k) => [k, RESOURCES[k].fields.filter((f) => f.secret).map((f) => f.name)]),
);
/** Steps Pulumi adds around a replacement; the `replace` step stands for them. */
const REPLACEMENT_PARTS = new Set(["create-replacement", "delete-replaced"]);
const ORDER = ["delete", "replace", "update", "create"];
/** The risks a reviewer reads first come first. */
const RISK_ORDER: Risk["kind"][] = ["delete", "admin", "acu", "key", "ip"];
/** What names an object that is deleted, in its table row. */
const IDENTITY = ["name", "title", "key", "orgId", "serviceUserId"];

function mask(kind: string, key: string, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (value === "[secret]" || (value && typeof value === "object" && SECRET_SIG in value)) return "[secret]";
  if (ALWAYS_SECRET[kind]?.includes(key)) return "[secret]";
  if (typeof value === "string") return value.replace(/cog_[A-Za-z0-9_-]+/g, "cog_***");
  if (value && typeof value === "object") return JSON.parse(JSON.stringify(value).replace(/cog_[A-Za-z0-9_-]+/g, "cog_***"));
  return value;
}

function visible(kind: string, inputs: Inputs | undefined): Inputs | undefined {
  if (!inputs) return undefined;
  return Object.fromEntries(
    Object.entries(inputs)
      .filter(([k]) => !k.startsWith("__"))
      .map(([k, v]) => [k, mask(kind, k, v)]),
  );
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function show(value: unknown): string {
  if (value === undefined || value === null) return "—";
  if (value === UNKNOWN) return "(known after up)";
  if (value === "[secret]") return "[secret]";
  if (typeof value === "string") {
    if (value.includes("\n")) return `text, ${value.split("\n").length} lines`;
    return value.length > 60 ? `\`${cell(value.slice(0, 57))}…\`` : `\`${cell(value)}\``;
  }
  const json = JSON.stringify(value).split(JSON.stringify(UNKNOWN)).join('"(known after up)"');
  return `\`${cell(json.length > 60 ? `${json.slice(0, 57)}…` : json)}\``;
}

/** How a long text changed, in lines, since a table cell cannot hold the diff. */
function textChange(before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const removed = a.filter((line) => !b.includes(line)).length;
  const added = b.filter((line) => !a.includes(line)).length;
  return `text, ${b.length} lines (+${added} −${removed})`;
}

interface Row {
  field: string;
  before: string;
  after: string;
}

/** A value, with the name of the object it refers to when the preview tells it. */
function showRef(change: Change, key: string, value: unknown): string {
  const name = change.refs[key];
  if (!name || typeof value !== "string") return show(value);
  return value === UNKNOWN ? `${cell(name)} (known after up)` : `${show(value)} (${cell(name)})`;
}

function rowsOf(change: Change): Row[] {
  const { olds, news } = change;
  if (change.op === "delete") {
    return IDENTITY.filter((k) => olds?.[k] !== undefined).map((k) => ({ field: k, before: showRef(change, k, olds?.[k]), after: "—" }));
  }
  const keys = [...new Set([...Object.keys(olds ?? {}), ...Object.keys(news ?? {})])].sort();
  const rows: Row[] = [];
  for (const key of keys) {
    const before = olds?.[key];
    const after = news?.[key];
    const same = JSON.stringify(before) === JSON.stringify(after);
    // A secret cannot be compared: it changed when it is the reason for the replacement.
    if (same && !(after === "[secret]" && change.replaceReasons.includes(key))) continue;
    if (same) {
      rows.push({ field: key, before: "[secret]", after: "[secret] (changed)" });
      continue;
    }
    rows.push({
      field: key,
      before: change.op === "create" ? "" : showRef(change, key, before),
      after:
        typeof before === "string" && typeof after === "string" && (before + after).includes("\n")
          ? textChange(before, after)
          : showRef(change, key, after),
    });
  }
  return rows;
}

function describeOp(change: Change): string {
  if (change.op === "replace") return `**replace**${change.replaceReasons.length ? ` (${change.replaceReasons.join(", ")})` : ""}`;
  if (change.op === "delete") return "**delete**";
  return change.op;
}

/** The fields whose ids the report names by the object they refer to. */
const REF_FIELDS = ["orgId", "serviceUserId"];

/** The changes of a preview, without the stack itself, unchanged resources, and the parts of replacements. */
export function changesOf(preview: Pick<Preview, "steps">, names = new Names(preview.steps)): Change[] {
  const steps = preview.steps;
  const replaced = new Set(steps.filter((s) => s.op === "replace").map((s) => s.urn));
  const changes: Change[] = [];
  for (const step of steps) {
    const type = step.newState?.type ?? step.oldState?.type ?? step.urn.split("::")[2] ?? "";
    if (step.op === "same" || type === "pulumi:pulumi:Stack") continue;
    if (REPLACEMENT_PARTS.has(step.op) && replaced.has(step.urn)) continue;
    const kind = kindOf(type);
    const op = REPLACEMENT_PARTS.has(step.op) ? "replace" : step.op;
    const named = names.of(step.urn);
    const refs: Record<string, string> = {};
    for (const field of REF_FIELDS) {
      const name = names.ref(op === "delete" ? step.oldState : (step.newState ?? step.oldState), field);
      if (name) refs[field] = name;
    }
    changes.push({
      kind,
      name: resourceNameOf(step.urn),
      title: named.title ?? resourceNameOf(step.urn),
      id: named.id,
      refs,
      op,
      olds: op === "create" ? undefined : visible(kind, step.oldState?.inputs),
      news: op === "delete" ? undefined : visible(kind, step.newState?.inputs),
      replaceReasons: step.replaceReasons ?? [],
    });
  }
  return changes.sort((a, b) => a.kind.localeCompare(b.kind) || ORDER.indexOf(a.op) - ORDER.indexOf(b.op) || a.name.localeCompare(b.name));
}

/** A policy's own message: the CLI puts the policy's description on the first line, the violation after it. */
function policyMessage(v: PolicyViolation): string {
  const lines = v.message
    .trim()
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length > 1 ? lines.slice(1).join(" ") : (lines[0] ?? "");
}

function policyLine(v: PolicyViolation, names: Names): string {
  const where = v.urn ? names.of(v.urn) : undefined;
  const on = !where
    ? "on the stack"
    : `on ${where.kind} **${cell(where.title ?? where.resource)}**${where.title && where.title !== where.resource ? ` (\`${cell(where.resource)}\`)` : ""}`;
  return `- Policy \`${v.policy}\` (${v.level}${v.pack ? `, ${v.pack}` : ""}) ${on}: ${cell(String(mask("", "", policyMessage(v))))}`;
}

/** The generic last word of a failed preview, which says nothing about why. */
const PREVIEW_FAILED = /^error: preview failed\s*$/;

export function review(input: Preview | Pick<Preview, "steps">): Review {
  const preview: Preview = { diagnostics: [], policies: [], events: false, ...input };
  const names = new Names(preview.steps);
  const changes = changesOf(preview, names);
  const risks = changes.flatMap(risksOf).sort((a, b) => RISK_ORDER.indexOf(a.kind) - RISK_ORDER.indexOf(b.kind));
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.op, (counts.get(c.op) ?? 0) + 1);
  const summary = ORDER.filter((op) => counts.has(op)).map((op) => `${counts.get(op)} to ${op}`);
  const out: string[] = [];
  out.push(`### Devin changes: ${summary.length ? summary.join(", ") : "none"}`, "");

  const failed = preview.policies.filter((p) => p.level === "mandatory");
  const warned = preview.policies.filter((p) => p.level !== "mandatory");
  let errors = preview.diagnostics.filter((d) => d.severity === "error" && d.message).map((d) => String(mask("", "", d.message)).trim());
  // With the policies that failed it listed, "preview failed" adds nothing; without them, it says where to look.
  if (failed.length > 0) errors = errors.filter((e) => !PREVIEW_FAILED.test(e));
  else if (!preview.events && errors.length > 0 && errors.every((e) => PREVIEW_FAILED.test(e)))
    errors = [
      "error: preview failed, and `pulumi preview --json` does not say why when a policy fails: run it with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true for this report to name the policy, or read the text preview",
    ];
  const count = failed.length + errors.length;
  if (count > 0) {
    out.push(
      `**The preview failed (${failed.length > 0 ? `${failed.length} policy violation${failed.length > 1 ? "s" : ""}` : ""}${failed.length > 0 && errors.length > 0 ? ", " : ""}${errors.length > 0 ? `${errors.length} error${errors.length > 1 ? "s" : ""}` : ""}):**`,
      "",
    );
    for (const v of failed) out.push(policyLine(v, names));
    for (const e of errors) out.push(`- ${cell(e)}`);
    out.push("");
  }
  if (warned.length > 0) {
    out.push(`**Policy warnings (${warned.length}):**`, "");
    for (const v of warned) out.push(policyLine(v, names));
    out.push("");
  }

  if (risks.length > 0) {
    out.push(`**Risks (${risks.length}):**`, "");
    for (const r of risks) out.push(`- ${r.message}`);
    out.push("");
  } else if (changes.length > 0) {
    out.push("No risks flagged (deletions, key rotations, raised or removed ACU caps, Admin roles, IP access list changes).", "");
  }

  for (const kind of [...new Set(changes.map((c) => c.kind))]) {
    out.push(`#### ${kind}`, "", "| Resource | Change | Field | Before | After |", "|---|---|---|---|---|");
    for (const change of changes.filter((c) => c.kind === kind)) {
      const rows = rowsOf(change);
      const who = change.title === change.name ? cell(change.title) : `${cell(change.title)} (\`${cell(change.name)}\`)`;
      if (rows.length === 0) out.push(`| ${who} | ${describeOp(change)} | | | |`);
      rows.forEach((row, i) =>
        out.push(`| ${i === 0 ? who : ""} | ${i === 0 ? describeOp(change) : ""} | ${cell(row.field)} | ${row.before} | ${row.after} |`),
      );
    }
    out.push("");
  }
  return { markdown: out.join("\n"), risks, changes };
}
