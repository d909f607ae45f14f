/**
 * The changes a reviewer of a Devin pull request must not miss, found in one step of `pulumi preview --json`. Each
 * rule looks at the resource's kind, the operation and its old and new inputs; every flag says what happens and why
 * it matters. `pulumi-devin review` lists them above its tables, and `--fail-on-risk` fails CI on any.
 */
import { KINDS, RESOURCES } from "../schema";
import { UNKNOWN } from "./names";
import type { Inputs } from "./preview";

/** One step, reduced to what the rules need. */
export interface Change {
  /** The resource type: Organization, ServiceUser, ... */
  kind: string;
  /** The resource's name in the program. */
  name: string;
  /** The object's name in Devin (an org's name, a playbook's title), else the resource's name. */
  title: string;
  /** The object's id, once it exists. */
  id?: string;
  /** The names of the objects the inputs refer to by id (`orgId`, `serviceUserId`), where the preview tells them. */
  refs: Record<string, string>;
  /** create, update, replace, delete (and Pulumi's other step names, which the rules ignore). */
  op: string;
  olds?: Inputs;
  news?: Inputs;
  /** The inputs whose change forces the replacement. */
  replaceReasons: string[];
}

export type RiskKind = "delete" | "key" | "acu" | "admin" | "ip";

export interface Risk {
  kind: RiskKind;
  message: string;
}

const ADMIN_ROLE_IDS = new Set(["account_admin", "org_admin"]);
/** The kinds that give someone a role: those with a `role` argument. */
const ROLE_KINDS = new Set<string>(KINDS.filter((k) => RESOURCES[k].fields.some((f) => f.name === "role" && f.input)));

/** How a risk line names the object: its name, then the program's resource name and the id when they add something. */
export function labelOf(change: Change): string {
  const extra = [change.title !== change.name ? `\`${change.name}\`` : "", change.id ?? ""].filter(Boolean);
  return `${change.kind} **${change.title}**${extra.length ? ` (${extra.join(", ")})` : ""}`;
}

/** A referenced object, by name when known, else by the id the inputs hold. */
function refOf(change: Change, field: string, what: string): string | undefined {
  const name = change.refs[field];
  if (name) return `${what} **${name}**`;
  const id = change.news?.[field] ?? change.olds?.[field];
  if (id === UNKNOWN) return `${/^[aeiou]/.test(what) ? "an" : "a"} ${what} not created yet`;
  return typeof id === "string" && id !== "" ? `${what} \`${id}\`` : undefined;
}

const isAdmin = (role: unknown) => typeof role === "string" && (role.toLowerCase() === "admin" || ADMIN_ROLE_IDS.has(role));
const num = (v: unknown) => (typeof v === "number" ? v : undefined);

/** A cap raised or removed: `what` is the field's description. */
function capRisk(change: Change, field: string, what: string): Risk | undefined {
  const before = num(change.olds?.[field]);
  const after = num(change.news?.[field]);
  const label = labelOf(change);
  if (before !== undefined && after === undefined && change.news && change.op !== "delete") {
    return { kind: "acu", message: `${label}: ${what} removed (was ${before}): no cap any more.` };
  }
  if (before !== undefined && after !== undefined && after > before) {
    const factor = before > 0 ? ` (${Math.round((after / before) * 10) / 10}×)` : "";
    return { kind: "acu", message: `${label}: ${what} raised from ${before} to ${after}${factor}.` };
  }
  return undefined;
}

/** The flags of one change, in the order a reviewer should read them. */
export function risksOf(change: Change): Risk[] {
  const risks: Risk[] = [];
  const label = labelOf(change);
  const { op, kind } = change;
  const replaced = op === "replace" || op === "create-replacement" || op === "delete-replaced";

  // Deleting the IP access list lifts a restriction: the IP rule below says so.
  if (op === "delete" && kind !== "IpAccessList") {
    const what =
      kind === "Organization"
        ? "deleted, with everything in it (sessions, knowledge, playbooks, secrets)"
        : kind === "ServiceUser"
          ? "deleted: its API keys stop working"
          : kind === "ApiKey"
            ? "revoked: whoever holds it loses access"
            : "deleted";
    risks.push({ kind: "delete", message: `${label} will be ${what}.` });
  }
  if (op === "replace" && kind === "Organization") {
    risks.push({ kind: "delete", message: `${label} will be replaced: the old organization is deleted.` });
  }

  // Keys: a new service user is a new key; a key rotates or is replaced; a secret gets a new value.
  if (op === "replace" && kind === "ServiceUser") {
    risks.push({
      kind: "key",
      message: `${label} will be replaced (${change.replaceReasons.join(", ") || "see the table"}): a new service user with a new API key; the old key stops working.`,
    });
  }
  if (kind === "ApiKey" && (replaced || (op === "update" && change.olds?.rotation !== change.news?.rotation))) {
    const why = String(change.news?.rotation ?? "").replace(/^[^ ]+ (rotated: )?/, "");
    risks.push({
      kind: "key",
      message: `${label} will be rotated${why ? `: ${why}` : ""}. Whoever holds the old key must take the new one.`,
    });
  }
  if (kind === "Secret" && replaced) {
    const reasons = change.replaceReasons.length > 0 ? change.replaceReasons.join(", ") : "its fields";
    risks.push({ kind: "key", message: `${label} will be replaced (${reasons}); sessions started afterwards get the new one.` });
  }

  // ACU caps.
  if (kind === "Organization" && op !== "create") {
    for (const [field, what] of [
      ["acuLimit", "the cycle ACU cap (acuLimit)"],
      ["maxSessionAcuLimit", "the session ACU cap (maxSessionAcuLimit)"],
    ] as const) {
      const risk = capRisk(change, field, what);
      if (risk) risks.push(risk);
    }
  }
  if (kind === "Organization" && op === "create" && change.news?.acuLimit === undefined) {
    risks.push({ kind: "acu", message: `${label} will be created without a cycle ACU cap (acuLimit).` });
  }
  if (kind === "OrgGroupLimits" && op !== "delete") {
    type Group = { name?: string; maxCycleAcus?: number | null };
    const groups = (x?: Inputs) => new Map(((x?.groups as Group[] | undefined) ?? []).map((g) => [g.name, g]));
    const before = groups(change.olds);
    for (const [name, group] of groups(change.news)) {
      const old = before.get(name);
      const b = num(old?.maxCycleAcus);
      const a = num(group.maxCycleAcus);
      if (b !== undefined && a === undefined)
        risks.push({ kind: "acu", message: `${label}: group '${name}' loses its ACU cap (was ${b}).` });
      else if (b !== undefined && a !== undefined && a > b)
        risks.push({ kind: "acu", message: `${label}: group '${name}' cap raised from ${b} to ${a}.` });
    }
  }
  if (kind === "OrgGroupLimits" && op === "delete") {
    risks.push({ kind: "acu", message: `${label} will be removed: every group loses its shared ACU cap.` });
  }

  // Admin granted.
  if (ROLE_KINDS.has(kind) && op !== "delete" && isAdmin(change.news?.role) && !isAdmin(change.olds?.role)) {
    const who =
      kind === "ServiceUser"
        ? ""
        : (refOf(change, "serviceUserId", "service user") ??
          (typeof change.news?.userId === "string" ? `user \`${change.news.userId}\`` : undefined) ??
          (typeof change.news?.idpGroupName === "string" ? `IdP group **${change.news.idpGroupName}**` : "its member"));
    const org = refOf(change, "orgId", "org");
    const where = org ? `in ${org}` : kind.startsWith("Org") ? "in its org" : "at the enterprise level";
    risks.push({ kind: "admin", message: `${label}${who ? `: ${who}` : ""} gets the Admin role ${where}.` });
  }

  // The IP access list applies from the very next request.
  if (kind === "IpAccessList") {
    const before = new Set((change.olds?.ipRanges as string[] | undefined) ?? []);
    const after = new Set((change.news?.ipRanges as string[] | undefined) ?? []);
    const added = [...after].filter((r) => !before.has(r));
    const removed = [...before].filter((r) => !after.has(r));
    const detail =
      op === "delete"
        ? "cleared: no IP restriction any more"
        : [added.length ? `+${added.join(", +")}` : "", removed.length ? `−${removed.join(", −")}` : ""].filter(Boolean).join(" ") || op;
    if (op !== "same")
      risks.push({ kind: "ip", message: `${label}: the IP access list changes (${detail}); it applies from the next request.` });
  }
  return risks;
}
