import { mkdirSync, readFileSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { join } from "node:path";
import { hashToken, newId, newToken, type Clock } from "./ids";
import type { RoleAssignment } from "./permissions";
import { ApiError } from "./problem";

export interface OrgRecord {
  org_id: string;
  name: string;
  created_at: number;
  updated_at: number;
  max_session_acu_limit: number | null;
  max_cycle_acu_limit: number | null;
  deleted_at: number | null;
  seq: number;
}

export interface ServiceUserRecord {
  service_user_id: string;
  name: string;
  expires_at: number | null;
  deleted_at: number | null;
  role_assignments: RoleAssignment[];
  /** The org an org-scoped service user was provisioned in; null for enterprise service users. */
  home_org_id: string | null;
  created_at: number;
  seq: number;
}

export interface ApiKeyRecord {
  api_key_id: string;
  service_user_id: string;
  api_key_name: string;
  token_hash: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  seq: number;
}

export interface AuditRecord {
  audit_log_id: string;
  action: string;
  created_at: number;
  data: Record<string, unknown>;
  org_id: string | null;
  service_user_id: string | null;
  service_user_name: string | null;
  user_email: string | null;
  user_id: string | null;
  seq: number;
}

export interface ConsumptionRecord {
  /** Unix seconds of the day's start (08:00 UTC, midnight PST). */
  date: number;
  org_id: string | null;
  devin: number;
  cascade: number;
  terminal: number;
  review: number;
}

export interface State {
  version: 1;
  seq: number;
  orgs: Record<string, OrgRecord>;
  serviceUsers: Record<string, ServiceUserRecord>;
  apiKeys: Record<string, ApiKeyRecord>;
  auditLogs: AuditRecord[];
  consumption: ConsumptionRecord[];
}

export function emptyState(): State {
  return { version: 1, seq: 0, orgs: {}, serviceUsers: {}, apiKeys: {}, auditLogs: [], consumption: [] };
}

/**
 * The emulator's state, in memory, persisted to `<stateDir>/state.json`.
 *
 * Handlers mutate `state` synchronously (Node runs one at a time, so concurrent requests cannot interleave inside a
 * mutation) and then `await commit()` before answering. Commits are grouped: while one write is in flight, every
 * mutation made meanwhile rides on the next write, so 200 parallel creates cost a handful of writes, not 200. Each
 * write goes to a temporary file that is fsynced and renamed over the old one, so a kill at any moment leaves either
 * the old or the new file, never a torn one, and no acknowledged write is lost.
 */
export class Store {
  state: State;
  private readonly file: string | null;
  private writing: Promise<void> | null = null;
  private dirty = false;
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private tmpCounter = 0;

  constructor(readonly stateDir: string | null) {
    this.file = stateDir ? join(stateDir, "state.json") : null;
    this.state = emptyState();
    if (stateDir) {
      mkdirSync(stateDir, { recursive: true });
      try {
        const parsed = JSON.parse(readFileSync(this.file as string, "utf8")) as State;
        if (parsed.version !== 1) throw new Error(`unsupported state version ${String(parsed.version)}`);
        this.state = parsed;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    }
  }

  nextSeq(): number {
    this.state.seq += 1;
    return this.state.seq;
  }

  /** Resolves once every mutation made before the call is durable. */
  commit(): Promise<void> {
    if (!this.file) return Promise.resolve();
    this.dirty = true;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.writing) this.writing = this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      const batch = this.waiters;
      this.waiters = [];
      try {
        await this.writeAtomically(JSON.stringify(this.state));
        for (const w of batch) w.resolve();
      } catch (e) {
        for (const w of batch) w.reject(e);
      }
    }
    this.writing = null;
  }

  private async writeAtomically(text: string): Promise<void> {
    const file = this.file as string;
    const tmp = `${file}.tmp-${process.pid}-${++this.tmpCounter}`;
    const handle = await open(tmp, "w");
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
    // The rename itself must reach the disk before the write counts as acknowledged.
    const dir = await open(this.stateDir as string, "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /** Waits for writes in flight, so a clean shutdown never drops an acknowledged mutation. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }
}

/** What every route module is given. */
export interface Emulator {
  store: Store;
  clock: Clock;
  /** `max_session_acu_limit` of an org created without one (the real default is UNKNOWN; see README). */
  defaultMaxSessionAcuLimit: number;
}

export function liveOrg(emu: Emulator, orgId: string): OrgRecord {
  const org = emu.store.state.orgs[orgId];
  if (!org || org.deleted_at !== null) throw new ApiError(404, `Organization ${orgId} not found`);
  return org;
}

export function liveServiceUser(emu: Emulator, id: string): ServiceUserRecord {
  const su = emu.store.state.serviceUsers[id];
  if (!su || su.deleted_at !== null) throw new ApiError(404, `Service user ${id} not found`);
  return su;
}

export function isActive(su: ServiceUserRecord, now: number): boolean {
  return su.deleted_at === null && (su.expires_at === null || su.expires_at > now);
}

export function isKeyActive(key: ApiKeyRecord, now: number): boolean {
  return key.revoked_at === null && (key.expires_at === null || key.expires_at > now);
}

/** A service user holds at most one enterprise-level role; without one it is org-scoped. */
export function enterpriseAssignment(su: ServiceUserRecord): RoleAssignment | undefined {
  return su.role_assignments.find((a) => a.org_id === null);
}

/** Records a mutation with its actor; the audit log is how users (and tests) see who changed what. */
/** The authenticated caller of an API request: a service user and the key it used. */
export interface Principal {
  serviceUser: ServiceUserRecord;
  apiKey: ApiKeyRecord;
}

export function audit(emu: Emulator, principal: Principal, action: string, orgId: string | null, data: Record<string, unknown>): void {
  emu.store.state.auditLogs.push({
    audit_log_id: newId("audit-log"),
    action,
    created_at: emu.clock.now(),
    data,
    org_id: orgId,
    service_user_id: principal.serviceUser.service_user_id,
    service_user_name: principal.serviceUser.name,
    user_email: null,
    user_id: null,
    seq: emu.store.nextSeq(),
  });
}

/** Creates an API key for a service user and returns its token, the only time the token exists in clear. */
export function issueApiKey(
  emu: Emulator,
  su: ServiceUserRecord,
  name: string,
  expiresAt: number | null,
): { key: ApiKeyRecord; token: string } {
  const token = newToken();
  const key: ApiKeyRecord = {
    api_key_id: newId("api-key"),
    service_user_id: su.service_user_id,
    api_key_name: name,
    token_hash: hashToken(token),
    created_at: emu.clock.now(),
    expires_at: expiresAt,
    revoked_at: null,
    last_used_at: null,
    seq: emu.store.nextSeq(),
  };
  emu.store.state.apiKeys[key.api_key_id] = key;
  return { key, token };
}
