import { isProvisioning, permissionFor, propertyOf } from "./api";

/**
 * Every message a user sees when an operation fails at run time: the API said no, the network failed, the settings
 * are missing, a role or an object is not what the program says. Each names the operation and the fix, and none
 * contains a credential. (Messages about bad input, found before any call, live with their rules in check.ts.)
 */

/**
 * Secret values this process has been given (a Secret's `value`), which no message may contain. Per process, not per
 * run (runState.ts), on purpose: a secret seen once stays masked.
 */
const hidden = new Set<string>();

/**
 * Registers a secret value so that `redact` masks it. Values shorter than 4 characters are not masked: hiding every
 * occurrence of a letter or two would garble every message, and a value that short protects nothing.
 */
export function hideSecretValue(value: unknown): void {
  if (typeof value === "string" && value.length >= 4) hidden.add(value);
}

/** Defence in depth: whatever a server echoes, a token or a secret value never reaches a message. */
export function redact(text: string): string {
  let out = text.replace(/cog_[A-Za-z0-9_-]+/g, "cog_***");
  for (const value of hidden) out = out.split(value).join("[secret]");
  return out;
}

interface ProblemBody {
  detail?: unknown;
  errors?: { loc?: unknown[]; msg?: string }[] | null;
}

/** Reads `detail` as the newer ProblemDetail string or the legacy FastAPI list, and the 422 field errors. */
function describeBody(body: unknown): { detail: string; fields: { field: string; msg: string }[] } {
  const b = (body && typeof body === "object" ? body : {}) as ProblemBody;
  const list = Array.isArray(b.errors) ? b.errors : Array.isArray(b.detail) ? ((b.detail as ProblemBody["errors"]) ?? []) : [];
  const fields = list.map((e) => {
    const loc = Array.isArray(e.loc) ? e.loc.filter((x) => x !== "body" && x !== "query" && x !== "path").map(String) : [];
    const api = loc.join(".");
    return { field: propertyOf(api), msg: String(e.msg ?? "invalid") };
  });
  const detail = typeof b.detail === "string" ? b.detail : typeof body === "string" ? body : "";
  return { detail: redact(detail), fields };
}

const CHECK_URL = "Check devin:apiUrl (or DEVIN_API_URL)";

/** An HTTP answer of 400 or more, after any retries. */
export class DevinApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly operation: string,
    readonly attempts: number,
    /** The URL answered, but not as the Devin API does: devin:apiUrl is wrong. */
    readonly notAnApi = false,
  ) {
    super(message);
    this.name = "DevinApiError";
  }
}

/**
 * Whether an answer can come from the Devin API: its errors are JSON objects (ProblemDetail, or FastAPI's legacy
 * `{detail}`). An HTML page or an empty body comes from something else at that URL (a web server, a proxy).
 */
export function looksLikeApiAnswer(body: unknown): boolean {
  return body !== null && typeof body === "object" && !Array.isArray(body);
}

/** The URL answers, but no Devin API is there: a wrong host, or a path such as `/v2` before `/v3`. */
export function notAnApiError(
  operation: string,
  baseUrl: string,
  method: string,
  path: string,
  status: number,
  body: unknown,
): DevinApiError {
  const what =
    typeof body === "string" && /^\s*</.test(body) ? ", an HTML page" : typeof body === "string" || body === null ? ", not JSON" : "";
  return new DevinApiError(
    redact(
      `${operation} failed: ${baseUrl} answers, but not as the Devin API (${method} ${path}: ${status}${what}). ` +
        `${CHECK_URL}: it is the API's base URL, e.g. https://api.devin.ai, or http://127.0.0.1:<port> for the emulator, with no other path (such as /v2).`,
    ),
    status,
    operation,
    1,
    true,
  );
}

export function apiError(operation: string, method: string, path: string, status: number, body: unknown, attempts: number): DevinApiError {
  const { detail, fields } = describeBody(body);
  const suffix = detail ? ` The API said: ${detail}` : "";
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  let message: string;
  switch (true) {
    case status === 401:
      message =
        `${operation} failed: the Devin API rejected the token (401). It is malformed, expired or revoked. ` +
        "Set a valid service-user token with 'pulumi config set --secret devin:token cog_...' or DEVIN_TOKEN.";
      break;
    case status === 403 && isProvisioning(path): {
      const permission = permissionFor(method, path);
      message =
        `${operation} failed: the Devin API refused to provision it (403). Either the token's service user lacks the ${permission} permission, ` +
        "or the role asked for holds a permission the token lacks itself, or one the API never grants when provisioning " +
        `(ManageAccountServiceUsers, held by the enterprise Admin role): use a role such as 'Member'.${suffix}`;
      break;
    }
    case status === 403: {
      const permission = permissionFor(method, path);
      message = permission
        ? `${operation} failed: the token's service user lacks the ${permission} permission (403). Use a token whose role holds ${permission}, e.g. an enterprise Admin.${suffix}`
        : `${operation} failed: permission denied (403).${suffix}`;
      break;
    }
    case status === 404:
      message = `${operation} failed: not found (404).${suffix}`;
      break;
    case status === 409:
      message = `${operation} failed: conflict (409).${suffix}`;
      break;
    case status === 422 || status === 400: {
      const named = fields.map((f) => `'${f.field}': ${f.msg}`).join("; ");
      message = named
        ? `${operation} failed: the API rejected ${named} (${status}). Fix that property and run again.`
        : `${operation} failed: the API rejected the request (${status}).${suffix}`;
      break;
    }
    case status === 429:
      message = `${operation} failed: rate limited by the Devin API (429)${tries}. Wait and run again, or lower 'pulumi up --parallel'.`;
      break;
    default:
      message = `${operation} failed: the Devin API answered ${status}${tries}. Try again later.${suffix}`;
  }
  return new DevinApiError(redact(message), status, operation, attempts);
}

/**
 * What a network failure says about the request (see `networkCause` in client.ts): `refused`, `unreachable`, `dns` and
 * `tls` never reached the API; `timeout` and `cut` reached a server that accepts connections.
 */
export type NetworkCause = "refused" | "unreachable" | "dns" | "tls" | "timeout" | "cut";

/** The request may never have been answered: the network failed or timed out. */
export class DevinNetworkError extends Error {
  constructor(
    message: string,
    readonly operation: string,
    readonly code: string,
    readonly networkCause: NetworkCause = "cut",
  ) {
    super(redact(message));
    this.name = "DevinNetworkError";
  }
}

export function networkErrorMessage(
  operation: string,
  baseUrl: string,
  cause: NetworkCause,
  code: string,
  detail: string,
  attempts: number,
  unknownOutcome: boolean,
): string {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  const plainHttp = baseUrl.startsWith("https:") && /WRONG_VERSION_NUMBER|wrong version number|packet length too long/i.test(code + detail);
  switch (cause) {
    case "refused":
      return `${operation} failed: nothing accepts connections at ${baseUrl} (connection refused${tries}). ${CHECK_URL}, and that the API (or the emulator) is running there.`;
    case "unreachable":
      return `${operation} failed: could not reach the Devin API at ${baseUrl} (${code}${tries}). ${CHECK_URL} and that the API is reachable from this machine (network, firewall, proxy).`;
    case "dns":
      return `${operation} failed: the host name of ${baseUrl} does not resolve (DNS: ${code}). ${CHECK_URL} for a typo.`;
    case "tls":
      return plainHttp
        ? `${operation} failed: ${baseUrl} is an https:// URL, but the server there speaks plain HTTP (TLS: ${code}). Use http:// in devin:apiUrl (or DEVIN_API_URL) for a local emulator, or the Devin API's https URL, e.g. https://api.devin.ai.`
        : `${operation} failed: the TLS connection to ${baseUrl} failed (${code}: ${detail}). ${CHECK_URL}; behind a TLS-inspecting proxy, give Node its CA with NODE_EXTRA_CA_CERTS.`;
    case "timeout":
    case "cut": {
      const what =
        cause === "timeout"
          ? `the Devin API at ${baseUrl} accepted the connection but did not answer in time (${code}${tries})`
          : `the connection to the Devin API at ${baseUrl} was cut before it answered (${code}: ${detail}${tries})`;
      return (
        `${operation} failed: ${what}. ` +
        (unknownOutcome
          ? "The request may or may not have been applied; 'pulumi refresh' shows which, and 'pulumi up' finishes it."
          : "The API, or a proxy in front of it, is failing; run again later.")
      );
    }
  }
}

/** A create whose answer was lost, and which could not be found (or looked for) afterwards. */
export class DevinOutcomeUnknownError extends Error {
  constructor(
    message: string,
    readonly operation: string,
  ) {
    super(redact(message));
    this.name = "DevinOutcomeUnknownError";
  }
}

export function outcomeUnknownError(operation: string, what: string, lookupError?: unknown): DevinOutcomeUnknownError {
  const lookup =
    lookupError === undefined
      ? ""
      : `, and looking for what it may have created failed too (${lookupError instanceof Error ? lookupError.message : String(lookupError)})`;
  return new DevinOutcomeUnknownError(
    `${operation}: the outcome is unknown, the Devin API may or may not have done it: ${what}${lookup}. ` +
      "Nothing was sent again. Run 'pulumi up' again when the API answers: it looks for the object before creating " +
      "anything, and if it finds it, stops and says how to adopt it, so no second one is made.",
    operation,
  );
}

/**
 * The duplicate guard's refusal. It never advises deleting what it found: that may be an object this stack manages
 * under another resource name.
 */
function duplicateError(operation: string, what: string, ids: string[], adoptLine: string, resource: string): Error {
  return new Error(
    `${operation} refused: ${what} already exists (${ids.join(", ")}) and this resource does not manage it, so creating ` +
      `another would leave two that nobody can tell apart. If a 'pulumi up' of this stack was interrupted after creating it, or ` +
      `you want this stack to manage it, adopt it: add ${adoptLine} to this ${resource}'s arguments and run 'pulumi up' ` +
      `again (it is then managed as if this stack had created it). If this stack manages it under another resource name ` +
      `(you renamed the resource), add 'aliases: [{ name: "<the old resource name>" }]' to its options instead. If it ` +
      `belongs to someone else, give this ${resource} another name.`,
  );
}

export function duplicateOrganizationError(name: string, orgIds: string[]): Error {
  return duplicateError(
    `create organization '${name}'`,
    "an organization with this name",
    orgIds,
    `'adoptId: "${orgIds[0]}"'`,
    "Organization",
  );
}

export function duplicateServiceUserError(operation: string, orgId: string | null, ids: string[]): Error {
  const what = orgId ? `a service user with this name in ${orgId}` : "an enterprise service user with this name";
  // The stray of an interrupted run has a key nobody holds: rotating revokes it and gives the stack a new one.
  const adopt = `'adoptId: "${ids[0]}", apiKeyOnAdopt: "rotate"' (rotate issues a new key and revokes its others; "issue" keeps them)`;
  return duplicateError(operation, what, ids, adopt, "ServiceUser");
}

/**
 * The guard's refusal for an object of the org-content families (playbook, note, schedule, secret, git permission):
 * `what` names the natural key, e.g. "a playbook titled 'Deploy' in org-…".
 */
export function duplicateObjectError(operation: string, what: string, ids: string[], resource: string, caveat = ""): Error {
  return duplicateError(operation, what, ids, `'adoptId: "${ids[0]}"'${caveat}`, resource);
}

/** A role already held where the program assigns one: someone else's, or left by an interrupted run. */
export function duplicateAssignmentError(operation: string, what: string, liveRole: string, id: string): Error {
  return new Error(
    `${operation} refused: ${what} is already '${liveRole}', set outside this resource. To manage it from here (the ` +
      `declared role then replaces it), add 'adoptId: "${id}"' to this resource's arguments and run 'pulumi up' again.`,
  );
}

/** A singleton already configured outside the stack: taking it over replaces what someone else set. */
export function existingSingletonError(operation: string, what: string, id: string): Error {
  return new Error(
    `${operation} refused: ${what}, set outside this stack; replacing it could undo someone else's settings. To manage ` +
      `it from here, add 'adoptId: "${id}"' to this resource's arguments and run 'pulumi up' again.`,
  );
}

export function duplicateIdpGroupError(operation: string, name: string): Error {
  return new Error(
    `${operation} refused: an IdP group named '${name}' is already registered, outside this stack; destroying this ` +
      `resource would unregister it, with every role it maps to. To manage it from here, add 'adoptId: "${name}"' to ` +
      "this IdpGroup's arguments and run 'pulumi up' again.",
  );
}

export function groupLimitsDisabledError(operation: string): Error {
  return new Error(
    `${operation} failed: org group limits are not enabled for this enterprise (the API answers 404). Ask your Devin account team to enable them.`,
  );
}

export function adoptTargetMissingError(operation: string, id: string): Error {
  return new Error(
    `${operation} failed: adoptId '${id}' names no live object (deleted, expired, or a typo). Remove adoptId to create a new one, or correct the id.`,
  );
}

/** Deleting an org deletes the service users provisioned in it; the stack must not keep them as if they lived on. */
export function organizationHasServiceUsersError(orgId: string, serviceUsers: { service_user_id: string; name: string }[]): Error {
  const list = serviceUsers.map((su) => `'${su.name}' (${su.service_user_id})`).join(", ");
  return new Error(
    `delete organization ${orgId} refused: service users still live in it: ${list}. Deleting the org would delete them ` +
      "too, and a stack that still holds them would keep dead keys. Delete them first: remove their ServiceUser " +
      "resources (or run 'pulumi destroy --target' on them), then run this again. To have Pulumi order this for you, pass " +
      "the Organization's orgId output to each ServiceUser instead of a literal id.",
  );
}

/**
 * Refresh and destroy run without the program unless given --run-program, and then use the provider configuration
 * recorded in the state by the last `pulumi up` rather than the current stack config. Pulumi 3.248 does not tell the
 * provider which it is: `read` and `delete` get the recorded inputs and outputs either way, and `check` and `diff` are
 * not called in a refresh or a destroy (RefreshStep.Apply, and the refresh and destroy modes of the step generator).
 * So the hint is conditional, and only shown where neither `check` nor `diff` ran (see host.ts).
 */
export const SAVED_CONFIG_HINT =
  " If this command ran without --run-program, it used the devin:token and devin:apiUrl recorded in the state by the " +
  "last 'pulumi up', not the current stack config (DEVIN_TOKEN and DEVIN_API_URL count only where none was recorded): " +
  "after fixing them, run 'pulumi refresh --run-program' or 'pulumi destroy --run-program', which read the current " +
  "stack config, or run 'pulumi up' first to record it.";

/**
 * The token or URL problem behind an error, if it is one: every resource of the run fails on it the same way, so the
 * host prints its fix once. Undefined for errors about one resource.
 */
export function settingsCause(e: unknown): string | undefined {
  if (e instanceof ConfigurationError) return `config:${e.message}`;
  if (e instanceof DevinApiError && (e.status === 401 || e.notAnApi)) return e.notAnApi ? "not-an-api" : "401";
  if (e instanceof DevinNetworkError && ["refused", "unreachable", "dns", "tls"].includes(e.networkCause)) return `network:${e.code}`;
  return undefined;
}

/**
 * A repeat of a settings error already reported in full this run: its first sentence, and where the fix is. Pulumi
 * prints each resource's error, so ten resources on one bad token would otherwise print the same advice ten times.
 */
export function repeatedSettingsMessage(message: string): string {
  const first = /^.*?[.)](?=\s|$)/.exec(message)?.[0] ?? message;
  return `${first.replace(/\.$/, "")}: the same settings problem as the first error of this run, which says how to fix it.`;
}

export function neverProvisionedMessage(role: { role_name: string; role_id: string }): string {
  return (
    `role '${role.role_name}' (${role.role_id}) is the enterprise Admin role, which holds ManageAccountServiceUsers; the ` +
    "Devin API never grants that permission when provisioning a service user, so it would be refused (403). Provision " +
    "it with role 'Member', and give it Admin afterwards through the enterprise membership endpoint."
  );
}

/** A problem with the provider's own configuration, found before any API call. */
export class ConfigurationError extends Error {}

export const NO_TOKEN =
  "No Devin API token. Run 'pulumi config set --secret devin:token cog_...' or set the DEVIN_TOKEN environment variable to a service-user token.";
export const NOT_A_V3_TOKEN =
  "The Devin API token must be a v3 service-user token starting with 'cog_' (v1/v2 'apk_' keys are not accepted by the v3 API). Set it with 'pulumi config set --secret devin:token cog_...'.";

export const apiUrlMessages = {
  notAUrl: (raw: string) => `devin:apiUrl '${raw}' is not a URL; use e.g. https://api.devin.ai`,
  plainHttp: (raw: string) =>
    `devin:apiUrl '${raw}' uses plain http, which would send the token unencrypted; use https (plain http is allowed only for localhost/127.0.0.1, e.g. the emulator)`,
  notHttps: (raw: string) => `devin:apiUrl '${raw}' must be an https:// URL`,
  queryOrFragment: (raw: string) => `devin:apiUrl '${raw}' must not have a query or fragment`,
};

/** The user named a role that does not exist at that level; the message lists the valid ones. */
export class UnknownRoleError extends Error {}

/**
 * `why` says why this level, when the program chose it indirectly (a service user's level follows its orgId); a role
 * resource's level is in its type's name, so it gives none.
 */
export function unknownRoleError(
  role: string,
  type: "enterprise" | "org",
  candidates: { role_id: string; role_name: string }[],
  why?: string,
): UnknownRoleError {
  const names = [...new Set(candidates.map((r) => r.role_name))].join(", ");
  const ids = candidates.map((r) => r.role_id).join(", ");
  const where = `${type === "org" ? "an org-level role" : "an enterprise-level role"}${why ? ` (${why})` : ""}`;
  return new UnknownRoleError(
    `role '${role}' is not ${where} of this Devin enterprise. Valid ${type}-level roles: ${names} (ids: ${ids}).`,
  );
}

/** A lookup by name found no object, or several. */
export function lookupByNameError(operation: string, ids: string[], by: string): Error {
  return new Error(
    `${operation}: ${ids.length === 0 ? "no organization has this name" : `${ids.length} organizations have this name (${ids.join(", ")}); look it up by ${by}`}.`,
  );
}

/** A service user that cannot be adopted as declared: it lives elsewhere, or has another name (there is no rename). */
export function adoptionMismatchError(operation: string, id: string, problem: string): Error {
  return new Error(`${operation} failed: cannot adopt ${id}: ${problem}`);
}

/** An object was adopted or found, but what had to follow failed: the state holds it, the next `up` finishes it. */
export function partialCreateMessage(operation: string, what: string, id: string, cause: unknown, noun: string): string {
  return (
    `${operation}: ${what} (${id}), but finishing it failed: ${cause instanceof Error ? cause.message : String(cause)} ` +
    `The stack now holds it: run 'pulumi up' again to finish (no second ${noun} is made).`
  );
}

// References: an id a resource refers to, checked at preview (references.ts).

/** The id names nothing the token can see: bad input, caught before `up` answers a bare 404. */
export function missingReferenceMessage(property: string, id: string, noun: string, fix: string): string {
  return `${property} '${id}' names no ${noun} this token can see: ${fix}.`;
}

/** The token may not read what the id names, so whether it exists is unknown: say that, not that it is missing. */
export function hiddenReferenceMessage(property: string, id: string, noun: string, permission: string): string {
  return (
    `${property} '${id}' could not be checked: the token's service user lacks the ${permission} permission (403), so ` +
    `it cannot see whether that ${noun} exists. Use a token whose role holds ${permission}, e.g. an enterprise Admin.`
  );
}

// ---- Lookups (provider/lookups.ts, provider/lookupCall.ts): what a program sees when a lookup fails ----

/** Where the token of a failed lookup came from, in the order a lookup looks for one. */
export type TokenSource = "option" | "config" | "DEVIN_TOKEN" | "DEVIN_SERVICE_USER_TOKEN";

const tokenOrigin: Record<TokenSource, { where: string; fix: string }> = {
  option: { where: "the lookup's `token` option", fix: "Pass a valid service-user token (cog_...) as the lookup's `token` option." },
  config: {
    where: "the stack config devin:token",
    fix: "Set a valid service-user token with 'pulumi config set --secret devin:token cog_...'.",
  },
  DEVIN_TOKEN: {
    where: "the DEVIN_TOKEN environment variable",
    fix: "Set DEVIN_TOKEN to a valid service-user token (cog_...), or set one with 'pulumi config set --secret devin:token cog_...', which takes precedence.",
  },
  DEVIN_SERVICE_USER_TOKEN: {
    where: "the DEVIN_SERVICE_USER_TOKEN environment variable",
    fix: "Set DEVIN_SERVICE_USER_TOKEN to a valid service-user token (cog_...), or set one with 'pulumi config set --secret devin:token cog_...', which takes precedence.",
  },
};

/**
 * The one line a failed lookup prints: the operation, the cause and the fix. A 401 says which token was rejected
 * (the option, the stack config or the environment), a 404 that the id given to the lookup names nothing.
 */
export function lookupFailureMessage(lookup: string, cause: Error, source: TokenSource): string {
  let message = cause.message;
  if (cause instanceof DevinApiError && cause.status === 401) {
    const { where, fix } = tokenOrigin[source];
    message = `${cause.operation} failed: the Devin API rejected the token from ${where} (401): it is malformed, expired or revoked. ${fix}`;
  } else if (cause instanceof DevinApiError && cause.status === 404) {
    message = `${cause.message} Check the id given to ${lookup}(): the object may not exist or may have been deleted.`;
  }
  return redact(message.replace(/\s*\n\s*/g, " "));
}

/** A mock's `call` answered a list lookup with something other than a list. */
export function mockListResultMessage(token: string, keys: string[]): string {
  return `the mocks' call for ${token} must return a list (the lookup's own result), not an object with ${keys.map((k) => `'${k}'`).join(", ")}.`;
}
