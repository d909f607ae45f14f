/**
 * Every message a user sees when the Devin API says no. Each names the operation, the status and the fix, and none
 * contains a credential.
 */

/** Contract section 6: the permission each call needs, so a 403 can say which one is missing. */
const PERMISSIONS: [method: string, path: RegExp, permission: string][] = [
  ["*", /^\/enterprise\/organizations\/[^/]+\/members\/service-users\/[^/]+$/, "ManageAccountMembership"],
  ["GET", /^\/enterprise\/organizations\/[^/]+\/members\/service-users$/, "ViewAccountMembership"],
  ["*", /^\/enterprise\/organizations\/[^/]+\/audit-logs$/, "ManageEnterpriseSettings"],
  ["*", /^\/enterprise\/organizations(\/[^/]+)?$/, "ManageOrganizations"],
  ["GET", /^\/enterprise\/members\/service-users(\/[^/]+)?$/, "ViewAccountMembership"],
  ["*", /^\/enterprise\/members\/service-users\/[^/]+$/, "ManageAccountMembership"],
  ["*", /^\/enterprise\/service-users(\/.*)?$/, "ManageAccountServiceUsers"],
  ["*", /^\/organizations\/[^/]+\/service-users$/, "ManageOrgServiceUsers"],
  ["GET", /^\/enterprise\/roles$/, "ViewAccountMembership"],
  ["GET", /^\/enterprise\/consumption\//, "ViewAccountConsumption"],
  ["*", /^\/enterprise\/consumption\/acu-limits\//, "ManageBilling"],
  ["*", /^\/enterprise\/audit-logs$/, "ManageEnterpriseSettings"],
];

export function permissionFor(method: string, path: string): string | undefined {
  const bare = path.split("?")[0].replace(/^\/v3(beta1)?/, "");
  return PERMISSIONS.find(([m, re]) => (m === "*" || m === method) && re.test(bare))?.[2];
}

/** The provider's property name for an API field, so a 422 speaks the user's language. */
const FIELD_NAMES: Record<string, string> = {
  name: "name",
  max_cycle_acu_limit: "acuLimit",
  max_session_acu_limit: "maxSessionAcuLimit",
  cycle_acu_limit: "acuLimit",
  role_id: "role",
  ttl_seconds: "ttlSeconds",
};

/** Defence in depth: whatever a server echoes, a token never reaches a message. */
export function redact(text: string): string {
  return text.replace(/cog_[A-Za-z0-9_-]+/g, "cog_***");
}

interface ProblemBody {
  detail?: unknown;
  errors?: { loc?: unknown[]; msg?: string }[] | null;
}

/** Reads `detail` as the newer ProblemDetail string or the legacy FastAPI list, and the 422 field errors. */
function describeBody(body: unknown): { detail: string; fields: { field: string; msg: string }[] } {
  const b = (body && typeof body === "object" ? body : {}) as ProblemBody;
  const list = Array.isArray(b.errors) ? b.errors : Array.isArray(b.detail) ? (b.detail as ProblemBody["errors"]) ?? [] : [];
  const fields = list.map((e) => {
    const loc = Array.isArray(e.loc) ? e.loc.filter((x) => x !== "body" && x !== "query" && x !== "path").map(String) : [];
    const api = loc.join(".");
    return { field: FIELD_NAMES[api] ?? api, msg: String(e.msg ?? "invalid") };
  });
  const detail = typeof b.detail === "string" ? b.detail : typeof body === "string" ? body : "";
  return { detail: redact(detail), fields };
}

/** An HTTP answer of 400 or more, after any retries. */
export class DevinApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly operation: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = "DevinApiError";
  }
}

export function apiError(operation: string, method: string, path: string, status: number, body: unknown, attempts: number): DevinApiError {
  const { detail, fields } = describeBody(body);
  const suffix = detail ? ` The API said: ${detail}` : "";
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  let message: string;
  switch (true) {
    case status === 401:
      message =
        `${operation} failed: the Devin API rejected the token (401). It is missing, malformed, expired or revoked. ` +
        "Set a valid service-user token with 'pulumi config set --secret devin:token cog_...' or DEVIN_TOKEN.";
      break;
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

/** The request may never have been answered: the network failed or timed out. */
export class DevinNetworkError extends Error {
  constructor(
    message: string,
    readonly operation: string,
    readonly code: string,
  ) {
    super(redact(message));
    this.name = "DevinNetworkError";
  }
}

/** The duplicate guard's refusal, with the recovery step the README's troubleshooting section repeats. */
export function duplicateOrganizationError(name: string, orgIds: string[], baseUrl: string): Error {
  const first = orgIds[0];
  return new Error(
    `create organization '${name}' refused: an organization with this name already exists (${orgIds.join(", ")}) ` +
      "and is not managed by this stack, so creating another would leave two. " +
      "If an interrupted 'pulumi up' created it, delete it and run 'pulumi up' again: " +
      `curl -X DELETE -H "Authorization: Bearer $DEVIN_TOKEN" ${baseUrl}/v3/enterprise/organizations/${first} . ` +
      "If it belongs to someone else, give this Organization another name.",
  );
}
