import { mkdtempSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../emulator/server";
import { CLIENT_IP_HEADER } from "../../emulator/control";
import type {
  EmulatorOptions,
  Features,
  FaultRule,
  LoggedRequest,
  RunningEmulator,
  SeedGitConnection,
  SeedIdpUser,
  SeedKnowledgeFolder,
  SeedUser,
} from "../../emulator/types";

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A started emulator (control plane on) plus small helpers for raw API calls in tests. */
export interface TestEmulator extends RunningEmulator {
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, token?: string | null): Promise<ApiResponse<T>>;
  requests(): Promise<LoggedRequest[]>;
  clearRequests(): Promise<void>;
  faults(rules: FaultRule[]): Promise<void>;
  reset(): Promise<void>;
  advanceClock(seconds: number): Promise<void>;
  /** `call`, but as if the request came from `address` (the control plane's client-address header). */
  callFrom<T = Record<string, unknown>>(
    address: string,
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
  ): Promise<ApiResponse<T>>;
  /** POST /_emulator/seed; answers the created objects as the API shows them (users as `UserWithIdpRoles`). */
  seed(body: SeedBody): Promise<SeedAnswer>;
  /** The id of the git connection every fresh state starts with. */
  defaultGitConnectionId(): Promise<string>;
  /** POST /_emulator/secrets/{id}/check: whether the secret was created with this value. */
  secretValueMatches(secretId: string, value: string): Promise<boolean>;
  /** PUT /_emulator/features: switch enterprise features on or off. */
  features(flags: Partial<Features>): Promise<void>;
  /** PUT /_emulator/ip-access-list/enforcement. */
  ipAccessListEnforcement(enabled: boolean): Promise<void>;
  /** Creates an org through the API (admin token) and returns its id. */
  newOrg(name?: string): Promise<string>;
  /** The audit log, oldest first, optionally filtered by `action`. */
  auditLog(action?: string): Promise<AuditEntry[]>;
  /** Provisions a service user through the API (admin token) and returns it with its token. */
  provision(path: string, roleId: string, name?: string): Promise<{ service_user: { service_user_id: string }; token: string }>;
}

/** The body of `POST /_emulator/seed`. */
export interface SeedBody {
  users?: SeedUser[];
  idpUsers?: SeedIdpUser[];
  gitConnections?: SeedGitConnection[];
  knowledgeFolders?: SeedKnowledgeFolder[];
}

/** What `POST /_emulator/seed` answers, per field given. */
export interface SeedAnswer {
  users?: SeededUser[];
  idpUsers?: SeededUser[];
  gitConnections?: SeededGitConnection[];
  knowledgeFolders?: SeededFolder[];
}

/** A seeded git connection (`GitConnectionResponse`) with its repositories (`GitConnectionRepositoryResponse`). */
export interface SeededGitConnection {
  git_connection_id: string;
  git_provider_type: string;
  name: string | null;
  host: string;
  created_at: number;
  repositories: {
    provider_repository_id: string;
    git_connection_id: string;
    git_connection_host: string;
    repo_name: string;
    repo_path: string;
    repo_description: string | null;
    last_updated_at: number | null;
    repo_language: string | null;
  }[];
}

/** A seeded knowledge folder (`FolderSummary`). */
export interface SeededFolder {
  folder_id: string;
  name: string;
  path: string;
  note_count: number;
  parent_folder_id: string | null;
}

/** One page of a list endpoint. */
export interface Page<T> {
  items: T[];
  end_cursor: string | null;
  has_next_page: boolean;
  total: number;
}

/** An error body (ProblemDetail). */
export interface Problem {
  status: number;
  title: string;
  detail: string;
  errors?: { loc: (string | number)[]; msg: string; type: string }[];
}

export interface AuditEntry {
  action: string;
  org_id: string | null;
  data: Record<string, unknown>;
}

/** The built-in roles as the API shows them in role assignments. */
export const ROLES = {
  accountAdmin: { role_id: "account_admin", role_name: "Admin", role_type: "enterprise" },
  accountMember: { role_id: "account_member", role_name: "Member", role_type: "enterprise" },
  orgAdmin: { role_id: "org_admin", role_name: "Admin", role_type: "org" },
  orgMember: { role_id: "org_member", role_name: "Member", role_type: "org" },
} as const;

/** A user as the seed call and `GET /v3/enterprise/members/users/{id}` show it. */
export interface SeededUser {
  user_id: string;
  email: string;
  name: string | null;
  role_assignments: { role: { role_id: string; role_name: string; role_type: string }; org_id: string | null }[];
  idp_role_assignments: {
    role: { role_id: string; role_name: string; role_type: string };
    idp_group_name: string;
    org_id: string | null;
  }[];
}

export function tempDir(prefix = "devin-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emu = await startEmulator({ port: 0, controlPlane: true, ...options });
  const send = async <T>(extra: Record<string, string>, method: string, path: string, body?: unknown, token: string | null = emu.token) => {
    const headers: Record<string, string> = { ...extra };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(emu.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
  };
  const call = <T>(method: string, path: string, body?: unknown, token?: string | null) => send<T>({}, method, path, body, token);
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, `/_emulator/${path}`, body, null);
    if (res.status >= 300) throw new Error(`control plane ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  return Object.assign(emu, {
    call,
    requests: async () => ((await control("GET", "requests")).body as unknown as { requests: LoggedRequest[] }).requests,
    clearRequests: async () => void (await control("DELETE", "requests")),
    faults: async (rules: FaultRule[]) => void (await control("PUT", "faults", { faults: rules })),
    reset: async () => void (await control("POST", "reset")),
    advanceClock: async (seconds: number) => void (await control("POST", "clock", { advanceSeconds: seconds })),
    callFrom: <T>(address: string, method: string, path: string, body?: unknown, token?: string | null) =>
      send<T>({ [CLIENT_IP_HEADER]: address }, method, path, body, token),
    seed: async (body: SeedBody) => (await control("POST", "seed", body)).body as SeedAnswer,
    defaultGitConnectionId: async () => {
      const page = await call<Page<{ git_connection_id: string }>>("GET", "/v3/enterprise/git-providers/connections");
      return page.body.items[0].git_connection_id;
    },
    secretValueMatches: async (secretId: string, value: string) =>
      ((await control("POST", `secrets/${secretId}/check`, { value })).body as { matches: boolean }).matches,
    features: async (flags: Partial<Features>) => void (await control("PUT", "features", flags)),
    ipAccessListEnforcement: async (enabled: boolean) => void (await control("PUT", "ip-access-list/enforcement", { enabled })),
    newOrg: async (name = "eng") => (await call<{ org_id: string }>("POST", "/v3/enterprise/organizations", { name })).body.org_id,
    auditLog: async (action?: string) =>
      (await call<Page<AuditEntry>>("GET", `/v3/enterprise/audit-logs?order=asc&first=200${action ? `&action=${action}` : ""}`)).body.items,
    provision: async (path: string, roleId: string, name = `su-${roleId}`) => {
      const res = await call<{ service_user: { service_user_id: string }; token: string }>("POST", path, {
        name,
        role_id: roleId,
        ttl_seconds: 3600,
      });
      if (res.status !== 200) throw new Error(`provisioning ${roleId} at ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  });
}

/** One emulator per test file, started once and reset before each test: the fixture every emulator-backed suite uses. */
export function useTestEmulator(options: EmulatorOptions = {}): () => TestEmulator {
  let emu: TestEmulator | undefined;
  beforeAll(async () => {
    emu = await startTestEmulator(options);
  });
  beforeEach(async () => {
    await emu?.reset();
  });
  afterAll(async () => {
    await emu?.close();
  });
  return () => {
    if (!emu) throw new Error("the test emulator is not started yet: call it inside a test or hook");
    return emu;
  };
}

/** Emulators a test starts itself (to restart one on the same state directory, say), closed after each test. */
export function useEmulatorsPerTest(): (options?: EmulatorOptions) => Promise<TestEmulator> {
  const running = new Set<TestEmulator>();
  afterEach(async () => {
    await Promise.all([...running].map((e) => e.close()));
  });
  return async (options = {}) => {
    const emu = await startTestEmulator(options);
    const close = emu.close.bind(emu);
    running.add(emu);
    emu.close = async () => {
      running.delete(emu);
      await close();
    };
    return emu;
  };
}

/** Each call answers `status` with a detail naming `mention` (a permission, say): for 401/403 tables. */
export async function expectEach(
  api: TestEmulator,
  calls: readonly (readonly [method: string, path: string, body?: unknown])[],
  token: string | null,
  status: number,
  mention?: string,
): Promise<void> {
  for (const [method, path, body] of calls) {
    const res = await api.call<Problem>(method, path, body, token);
    expect(res.status, `${method} ${path}`).toBe(status);
    if (mention) expect(res.body.detail, `${method} ${path}`).toContain(mention);
  }
}
