import { risksOf, type Change, type Inputs, type Risk } from "./risks";

/**
 * `pulumi-devin review`: turns `pulumi preview --json` into the Markdown a reviewer reads in a pull request. The
 * preview's own text shows no field for an update of a dynamic resource and its JSON carries a 2 KB `__provider` blob
 * in every step; this shows, per resource type, each changed input from → to, why a replacement happens, and the
 * risks (risks.ts) above everything. It never prints a property whose name starts with `__`, nor a secret: Pulumi
 * already masks secrets as "[secret]", and values that are secrets by nature (a Secret's value, keys, tokens) are
 * masked here whatever the preview holds, as is anything that looks like a `cog_` token.
 */

interface PreviewStep {
  op: string;
  urn: string;
  oldState?: { inputs?: Inputs; type?: string };
  newState?: { inputs?: Inputs; type?: string };
  replaceReasons?: string[];
}

interface PreviewJson {
  steps?: PreviewStep[];
  diagnostics?: { message?: string; severity?: string; urn?: string }[];
  changeSummary?: Record<string, number>;
}

export interface Review {
  markdown: string;
  risks: Risk[];
  changes: Change[];
}

const TYPE_PREFIX = "pulumi-nodejs:dynamic/devin:";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** Properties that hold a credential whatever the preview shows. */
const ALWAYS_SECRET: Record<string, string[]> = { Secret: ["value"], ApiKey: ["key"], ServiceUser: ["apiKey"] };
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

/** Pulumi's placeholder in a preview for a value not known until `up` (another resource's output, say). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

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

function rowsOf(change: Change): Row[] {
  const { olds, news } = change;
  if (change.op === "delete") {
    return IDENTITY.filter((k) => olds?.[k] !== undefined).map((k) => ({ field: k, before: show(olds?.[k]), after: "—" }));
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
      before: change.op === "create" ? "" : show(before),
      after:
        typeof before === "string" && typeof after === "string" && (before + after).includes("\n")
          ? textChange(before, after)
          : show(after),
    });
  }
  return rows;
}

function describeOp(change: Change): string {
  if (change.op === "replace") return `**replace**${change.replaceReasons.length ? ` (${change.replaceReasons.join(", ")})` : ""}`;
  if (change.op === "delete") return "**delete**";
  return change.op;
}

/** The changes of a preview, without the stack itself, unchanged resources, and the parts of replacements. */
export function changesOf(preview: PreviewJson): Change[] {
  const steps = preview.steps ?? [];
  const replaced = new Set(steps.filter((s) => s.op === "replace").map((s) => s.urn));
  const changes: Change[] = [];
  for (const step of steps) {
    const type = step.newState?.type ?? step.oldState?.type ?? step.urn.split("::")[2] ?? "";
    if (step.op === "same" || type === "pulumi:pulumi:Stack") continue;
    if (REPLACEMENT_PARTS.has(step.op) && replaced.has(step.urn)) continue;
    const kind = type.startsWith(TYPE_PREFIX) ? type.slice(TYPE_PREFIX.length) : type;
    const op = REPLACEMENT_PARTS.has(step.op) ? "replace" : step.op;
    changes.push({
      kind,
      name: step.urn.split("::").pop() ?? step.urn,
      op,
      olds: op === "create" ? undefined : visible(kind, step.oldState?.inputs),
      news: op === "delete" ? undefined : visible(kind, step.newState?.inputs),
      replaceReasons: step.replaceReasons ?? [],
    });
  }
  return changes.sort((a, b) => a.kind.localeCompare(b.kind) || ORDER.indexOf(a.op) - ORDER.indexOf(b.op) || a.name.localeCompare(b.name));
}

export function review(preview: PreviewJson): Review {
  const changes = changesOf(preview);
  const risks = changes.flatMap(risksOf).sort((a, b) => RISK_ORDER.indexOf(a.kind) - RISK_ORDER.indexOf(b.kind));
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.op, (counts.get(c.op) ?? 0) + 1);
  const summary = ORDER.filter((op) => counts.has(op)).map((op) => `${counts.get(op)} to ${op}`);
  const out: string[] = [];
  out.push(`### Devin changes: ${summary.length ? summary.join(", ") : "none"}`, "");

  const errors = (preview.diagnostics ?? []).filter((d) => d.severity === "error" && d.message);
  if (errors.length > 0) {
    out.push(`**The preview failed (${errors.length} error${errors.length > 1 ? "s" : ""}):**`, "");
    for (const e of errors) out.push(`- ${cell(String(mask("", "", e.message)).trim())}`);
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
      if (rows.length === 0) out.push(`| ${cell(change.name)} | ${describeOp(change)} | | | |`);
      rows.forEach((row, i) =>
        out.push(
          `| ${i === 0 ? cell(change.name) : ""} | ${i === 0 ? describeOp(change) : ""} | ${cell(row.field)} | ${row.before} | ${row.after} |`,
        ),
      );
    }
    out.push("");
  }
  return { markdown: out.join("\n"), risks, changes };
}

/** Reads the preview's JSON, which `pulumi preview --json` may precede with a line of text on some versions. */
export function parsePreview(text: string): PreviewJson {
  const start = text.indexOf("{");
  if (start < 0) throw new Error("the input is not the output of 'pulumi preview --json' (no JSON object found)");
  try {
    return JSON.parse(text.slice(start)) as PreviewJson;
  } catch (e) {
    throw new Error(`the input is not the output of 'pulumi preview --json': ${e instanceof Error ? e.message : String(e)}`);
  }
}
