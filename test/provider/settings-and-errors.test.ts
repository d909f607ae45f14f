import { describe, expect, it } from "vitest";
import { permissionFor } from "../../provider/impl/api";
import { apiError, redact } from "../../provider/impl/errors";
import { parseRetryAfter } from "../../provider/impl/client";
import { configure, normalizeApiUrl, resolveSettings } from "../../provider/impl/settings";

const TOKEN = `cog_${"a".repeat(52)}`;
const unconfigured = () => configure({ config: { get: () => undefined } });

describe("settings", () => {
  it.each([
    ["https://api.devin.ai", "https://api.devin.ai"],
    ["https://api.devin.ai/", "https://api.devin.ai"],
    ["https://api.devin.ai/v3beta1", "https://api.devin.ai"],
    ["https://api.devin.ai/v3/", "https://api.devin.ai"],
    ["https://api.acme.devinenterprise.com/proxy/v3", "https://api.acme.devinenterprise.com/proxy"],
    ["http://127.0.0.1:8787/v3beta1", "http://127.0.0.1:8787"],
    ["http://localhost:8787", "http://localhost:8787"],
    ["http://[::1]:8787", "http://[::1]:8787"],
  ])("normalizes %s to %s", (raw, expected) => {
    expect(normalizeApiUrl(raw)).toBe(expected);
  });

  it.each(["http://api.devin.ai", "http://10.0.0.5:8080"])("refuses plain http to %s, saying why", (raw) => {
    expect(() => normalizeApiUrl(raw)).toThrow(/plain http.*unencrypted.*use https/);
  });

  it("prefers stack config, then DEVIN_TOKEN, then DEVIN_SERVICE_USER_TOKEN, read at call time", () => {
    unconfigured();
    expect(resolveSettings({ DEVIN_SERVICE_USER_TOKEN: TOKEN }).token).toBe(TOKEN);
    expect(resolveSettings({ DEVIN_TOKEN: TOKEN, DEVIN_SERVICE_USER_TOKEN: "cog_other" }).token).toBe(TOKEN);
    expect(resolveSettings({ DEVIN_TOKEN: TOKEN }).baseUrl).toBe("https://api.devin.ai");
    expect(resolveSettings({ DEVIN_TOKEN: TOKEN, DEVIN_API_URL: "http://127.0.0.1:1/v3" }).baseUrl).toBe("http://127.0.0.1:1");
    configure({ config: { get: (k) => ({ "devin:token": "cog_fromconfig", "devin:apiUrl": "https://x.example" })[k] } });
    expect(resolveSettings({ DEVIN_TOKEN: TOKEN })).toEqual({ token: "cog_fromconfig", baseUrl: "https://x.example" });
    unconfigured();
  });

  it("explains a missing token and a v1/v2 key, without echoing the key", () => {
    unconfigured();
    expect(() => resolveSettings({})).toThrow(/pulumi config set --secret devin:token/);
    let message = "";
    try {
      resolveSettings({ DEVIN_TOKEN: "apk_user_supersecret" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/must be a v3 service-user token starting with 'cog_'/);
    expect(message).not.toContain("supersecret");
  });
});

describe("API error messages", () => {
  it("401 points at the token", () => {
    expect(apiError("create organization 'a'", "POST", "/v3/enterprise/organizations", 401, { detail: "bad" }, 1).message).toMatch(
      /^create organization 'a' failed: the Devin API rejected the token \(401\).*devin:token/,
    );
  });

  it.each([
    ["POST", "/v3/enterprise/organizations", "ManageOrganizations"],
    ["PATCH", "/v3/enterprise/organizations/org-1", "ManageOrganizations"],
    ["POST", "/v3beta1/enterprise/service-users", "ManageAccountServiceUsers"],
    ["POST", "/v3beta1/organizations/org-1/service-users", "ManageOrgServiceUsers"],
    ["GET", "/v3/enterprise/members/service-users/service-user-1", "ViewAccountMembership"],
    ["DELETE", "/v3/enterprise/members/service-users/service-user-1", "ManageAccountMembership"],
    ["PATCH", "/v3/enterprise/organizations/org-1/members/service-users/service-user-1", "ManageAccountMembership"],
    ["GET", "/v3/enterprise/roles", "ViewAccountMembership"],
    ["PUT", "/v3/enterprise/consumption/acu-limits/devin/organizations/org-1", "ManageBilling"],
    ["GET", "/v3/enterprise/audit-logs?first=1", "ManageEnterpriseSettings"],
  ])("403 on %s %s names %s", (method, path, permission) => {
    expect(permissionFor(method, path)).toBe(permission);
    const message = apiError("op", method, path, 403, null, 1).message;
    expect(message).toContain(`lacks the ${permission} permission`);
    expect(message).toContain("(403)");
  });

  it("403 on provisioning also names the role as a cause: the API refuses roles holding ManageAccountServiceUsers", () => {
    const message = apiError(
      "create service user 'ops'",
      "POST",
      "/v3beta1/enterprise/service-users",
      403,
      { detail: "Role 'account_admin' holds ManageAccountServiceUsers" },
      1,
    ).message;
    expect(message).toMatch(/refused to provision it \(403\)/);
    expect(message).toContain("the role asked for holds a permission");
    expect(message).toContain("The API said: Role 'account_admin' holds ManageAccountServiceUsers");
  });

  it("422 names the provider's property for ProblemDetail and legacy FastAPI bodies", () => {
    const problem = {
      title: "Unprocessable Entity",
      status: 422,
      detail: "x",
      errors: [{ loc: ["body", "max_cycle_acu_limit"], msg: "must be >= 0" }],
    };
    expect(apiError("create organization 'a'", "POST", "/v3/enterprise/organizations", 422, problem, 1).message).toBe(
      "create organization 'a' failed: the API rejected 'acuLimit': must be >= 0 (422). Fix that property and run again.",
    );
    const legacy = { detail: [{ loc: ["body", "ttl_seconds"], msg: "too large" }] };
    expect(apiError("op", "POST", "/v3beta1/enterprise/service-users", 422, legacy, 1).message).toContain("'ttlSeconds': too large");
  });

  it("never carries a token, whatever the server echoes", () => {
    expect(apiError("op", "GET", "/v3/self", 500, { detail: `token cog_${"z".repeat(52)} broke` }, 3).message).not.toMatch(/cog_z/);
    expect(redact("Bearer cog_abc123")).toBe("Bearer cog_***");
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 5_000)).toBe(5000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});
