import { isUnknown } from "./values";

/**
 * The `check` rules and their messages: bad input is refused before any API call, and each failure names the property
 * and the fix. Values still unknown during a preview are skipped.
 */

export const MAX_TTL_SECONDS = 31_536_000;
export const MAX_SERVICE_USER_NAME = 256;
/** The API's limit on org names is not documented; the emulator's 256 matches the service-user limit (see emulator/README.md). */
export const MAX_ORGANIZATION_NAME = 256;

export interface CheckFailure {
  property: string;
  reason: string;
}

function describe(v: unknown): string {
  return typeof v === "string" ? `'${v}'` : (JSON.stringify(v) ?? String(v));
}

export function checkName(value: unknown, maxLength?: number): string | undefined {
  if (isUnknown(value)) return undefined;
  if (typeof value !== "string" || value.trim() === "")
    return "name must be a non-empty string; give the object a display name such as 'platform-team'.";
  if (maxLength !== undefined && value.length > maxLength) {
    return `name is ${value.length} characters long; the Devin API allows at most ${maxLength}. Shorten it.`;
  }
  return undefined;
}

/** ACU limits: optional, otherwise a whole number of ACUs, 0 or more. */
export function checkLimit(property: string, value: unknown): string | undefined {
  if (value === undefined || value === null || isUnknown(value)) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    return `${property} must be a whole number of ACUs from 0 to ${Number.MAX_SAFE_INTEGER} (got ${describe(value)}). ${property === "acuLimit" ? "Use 0 to block usage, or leave acuLimit out for no limit." : "Leave maxSessionAcuLimit out to keep the server's default."}`;
  }
  return undefined;
}

export function checkTtl(value: unknown): string | undefined {
  if (value === undefined || isUnknown(value)) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_TTL_SECONDS) {
    return `ttlSeconds must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS} (365 days) (got ${describe(value)}). Leave it out for the maximum.`;
  }
  return undefined;
}

export function checkRole(value: unknown): string | undefined {
  if (isUnknown(value)) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    return "role must be a role name such as 'Member' or 'Admin', or a role id from GET /v3/enterprise/roles.";
  }
  return undefined;
}

export function checkOrgId(value: unknown): string | undefined {
  if (value === undefined || value === null || isUnknown(value)) return undefined;
  if (typeof value !== "string" || !/^org-[A-Za-z0-9]+$/.test(value)) {
    return `orgId must be an organization id such as 'org-389d2d5c48cd40149f0c8401a7197e70' (got ${describe(value)}); pass an Organization's orgId output, not its name.`;
  }
  return undefined;
}

/** An id of the API's shape: `org-`, `service-user-`, ... followed by letters and digits. */
export function checkId(property: string, value: unknown, prefix: string): string | undefined {
  if (value === undefined || value === null || isUnknown(value)) return undefined;
  if (typeof value !== "string" || !new RegExp(`^${prefix}-[A-Za-z0-9]+$`).test(value)) {
    return `${property} must be an id such as '${prefix}-389d2d5c48cd40149f0c8401a7197e70' (got ${describe(value)}).`;
  }
  return undefined;
}

/** The org an object belongs to: required, an `org-` id. `what` names the object, e.g. "the playbook". */
export function checkRequiredOrgId(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return `orgId is required: the org ${what} belongs to (an Organization's orgId output).`;
  return checkId("orgId", value, "org");
}

export function checkApiKeyOnAdopt(value: unknown, adoptId: unknown): string | undefined {
  if (value === undefined || value === null || isUnknown(value)) return undefined;
  if (value !== "none" && value !== "issue" && value !== "rotate") {
    return `apiKeyOnAdopt must be "none" (leave its keys alone; apiKey stays empty), "issue" (one more key, held by the stack) or "rotate" (a new key, every other one revoked) (got ${describe(value)}).`;
  }
  if (adoptId === undefined || adoptId === null)
    return "apiKeyOnAdopt applies only with adoptId: a service user the stack provisions gets its key from provisioning. Remove it, or add adoptId.";
  return undefined;
}

/** A required text argument: a non-empty string. `hint` says what to give, e.g. "the playbook's title". */
export function checkText(property: string, value: unknown, hint: string): string | undefined {
  if (isUnknown(value)) return undefined;
  if (typeof value !== "string" || value.trim() === "")
    return `${property} is required: ${hint}, as a non-empty string (got ${describe(value)}).`;
  return undefined;
}

/** An optional text argument: left out, or a non-empty string. */
export function checkOptionalText(property: string, value: unknown, hint: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (isUnknown(value)) return undefined;
  if (typeof value !== "string" || value.trim() === "")
    return `${property} must be ${hint}, as a non-empty string (got ${describe(value)}); leave it out for none.`;
  return undefined;
}

export function checkOneOf(property: string, value: unknown, allowed: readonly string[]): string | undefined {
  if (value === undefined || value === null || isUnknown(value)) return undefined;
  if (typeof value !== "string" || !allowed.includes(value))
    return `${property} must be one of ${allowed.map((a) => `"${a}"`).join(", ")} (got ${describe(value)}).`;
  return undefined;
}

export function checkBoolean(property: string, value: unknown): string | undefined {
  if (value === undefined || value === null || isUnknown(value)) return undefined;
  if (typeof value !== "boolean") return `${property} must be true or false (got ${describe(value)}).`;
  return undefined;
}

/** An optional list of non-empty strings; the failures name the element. */
export function checkTextList(property: string, value: unknown, example: string): CheckFailure[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (!Array.isArray(value)) return [{ property, reason: `${property} must be a list of strings, such as ${example}.` }];
  return value.flatMap((v, i) =>
    isUnknown(v) || (typeof v === "string" && v.trim() !== "")
      ? []
      : [{ property: `${property}[${i}]`, reason: `each of ${property} must be a non-empty string (got ${describe(v)}).` }],
  );
}

export function failures(entries: [property: string, reason: string | undefined][]): CheckFailure[] {
  return entries.filter((e): e is [string, string] => e[1] !== undefined).map(([property, reason]) => ({ property, reason }));
}

/**
 * A resource's check failures as the program reports them (provider/inputCheck.ts), in one line: the resource, then
 * each reason, prefixed with its property where the reason does not name it.
 */
export function badInputMessage(kind: string, name: string, found: CheckFailure[]): string {
  const sentences = found.map(({ property, reason }) => {
    const text = reason.trim();
    const named = property === "" || text.includes(property.replace(/\[.*$/, "")) ? text : `${property}: ${text}`;
    return /[.!?)]$/.test(named) ? named : `${named}.`;
  });
  return `${kind} '${name}': ${sentences.join(" ")}`;
}
