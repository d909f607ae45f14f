import { mkdirSync, readFileSync } from "node:fs";
import { open, rename } from "node:fs/promises";
import { join } from "node:path";
import { hashToken, newId, newToken, type Clock } from "./ids";
import type { Role, RoleAssignment } from "./permissions";
import { ApiError } from "./problem";
import { dropOrgContent, emptyContent, own, type ContentState } from "./records";
import type { Features } from "./types";

export { own };

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

/**
 * A human enterprise user. Direct members hold `role_assignments`; IdP-derived members hold none and get their roles
 * from the mappings of the IdP groups in `idp_groups` (a user can be both).
 */
export interface UserRecord {
  user_id: string;
  email: string;
  name: string | null;
  /** Direct assignments only: the enterprise one (`org_id` null) first, then one per org. */
  role_assignments: RoleAssignment[];
  /** The groups the IdP says the user is in; they need not be registered, but only registered groups map to roles. */
  idp_groups: string[];
  created_at: number;
  seq: number;
}

/** A registered IdP group, keyed by its name (it has no generated id), with its role mappings. */
export interface IdpGroupRecord {
  idp_group_name: string;
  /** At most one enterprise mapping (`org_id` null) and one per org. */
  role_assignments: RoleAssignment[];
  created_at: number;
  seq: number;
}

export interface OrgGroupLimit {
  org_ids: string[];
  max_cycle_acus: number | null;
}

export interface OrgTagsRecord {
  /** Sorted and without duplicates. */
  tags: string[];
  default_tag: string | null;
}

/** The whole durable state; the content families' collections are described in records.ts. */
export interface State extends ContentState {
  version: 1;
  seq: number;
  orgs: Record<string, OrgRecord>;
  serviceUsers: Record<string, ServiceUserRecord>;
  apiKeys: Record<string, ApiKeyRecord>;
  auditLogs: AuditRecord[];
  consumption: ConsumptionRecord[];
  users: Record<string, UserRecord>;
  idpGroups: Record<string, IdpGroupRecord>;
  /** Normalised CIDR ranges in first-seen order; empty means no restriction. */
  ipAccessList: string[];
  /** Group name to its orgs and cap, in the order of the last PUT. */
  orgGroupLimits: Record<string, OrgGroupLimit>;
  orgTags: Record<string, OrgTagsRecord>;
  features: Features;
}

export function emptyState(): State {
  return {
    version: 1,
    seq: 0,
    orgs: {},
    serviceUsers: {},
    apiKeys: {},
    auditLogs: [],
    consumption: [],
    users: {},
    idpGroups: {},
    ipAccessList: [],
    orgGroupLimits: {},
    orgTags: {},
    features: { orgGroupLimits: true, sessionTags: true },
    ...emptyContent(),
  };
}

/**
 * A state file as written by any emulator of version 1. Collections added after the first release default to empty,
 * so older files keep loading without a version bump (which would make an older emulator refuse newer files too).
 */
export function loadState(parsed: Partial<State> & { version?: unknown }): State {
  if (parsed.version !== 1) throw new Error(`unsupported state version ${String(parsed.version)}`);
  const defaults = emptyState();
  return { ...defaults, ...parsed, version: 1, features: { ...defaults.features, ...parsed.features } };
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
        this.state = loadState(JSON.parse(readFileSync(this.file as string, "utf8")) as Partial<State>);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    }
  }

  /** Token hash → key id, so that authenticating a request costs one lookup whatever the number of keys. */
  private tokenIndex = new Map<string, string>();
  /** The key table the index was built from: `state` is replaced on reset, and read from disk at start. */
  private indexed: State["apiKeys"] | null = null;

  /** The API key whose token has this hash, if any. */
  keyByTokenHash(hash: string): ApiKeyRecord | undefined {
    if (this.indexed !== this.state.apiKeys) {
      this.tokenIndex = new Map(Object.values(this.state.apiKeys).map((k) => [k.token_hash, k.api_key_id]));
      this.indexed = this.state.apiKeys;
    }
    const id = this.tokenIndex.get(hash);
    return id === undefined ? undefined : this.state.apiKeys[id];
  }

  /** Adds a key, and its token to the index. */
  addKey(key: ApiKeyRecord): void {
    this.state.apiKeys[key.api_key_id] = key;
    if (this.indexed === this.state.apiKeys) this.tokenIndex.set(key.token_hash, key.api_key_id);
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

export function liveOrgOrNull(emu: Emulator, orgId: string): OrgRecord | null {
  const org = own(emu.store.state.orgs, orgId);
  return org && org.deleted_at === null ? org : null;
}

export function liveOrg(emu: Emulator, orgId: string): OrgRecord {
  const org = liveOrgOrNull(emu, orgId);
  if (!org) throw new ApiError(404, `Organization ${orgId} not found`);
  return org;
}

export function liveServiceUser(emu: Emulator, id: string): ServiceUserRecord {
  const su = own(emu.store.state.serviceUsers, id);
  if (!su || su.deleted_at !== null) throw new ApiError(404, `Service user ${id} not found`);
  return su;
}

export function isActive(su: ServiceUserRecord, now: number): boolean {
  return su.deleted_at === null && (su.expires_at === null || su.expires_at > now);
}

export function isKeyActive(key: ApiKeyRecord, now: number): boolean {
  return key.revoked_at === null && (key.expires_at === null || key.expires_at > now);
}

/** Service users, users and IdP groups hold at most one enterprise-level role; a service user without one is org-scoped. */
export function enterpriseAssignment(holder: { role_assignments: RoleAssignment[] }): RoleAssignment | undefined {
  return holder.role_assignments.find((a) => a.org_id === null);
}

export type AssignmentChange = { mode: "assign" | "update"; role: Role } | { mode: "remove" };

/**
 * The one rule for a role at one scope (the enterprise when `orgId` is null, else that org), shared by service users,
 * users and IdP groups: assign needs no role there yet (409; PATCH is the change path), update and remove need one
 * (404). `who` starts the error messages.
 */
export function changeAssignment(
  holder: { role_assignments: RoleAssignment[] },
  who: string,
  orgId: string | null,
  change: AssignmentChange,
): void {
  const list = holder.role_assignments;
  const index = list.findIndex((a) => a.org_id === orgId);
  const scope = orgId === null ? "an enterprise role" : `a role in ${orgId}`;
  if (change.mode === "assign" && index !== -1) throw new ApiError(409, `${who} already has ${scope}; use PATCH to change it`);
  if (change.mode !== "assign" && index === -1) throw new ApiError(404, `${who} has no ${scope.replace(/^an? /, "")}`);
  if (change.mode === "remove") list.splice(index, 1);
  else if (index !== -1) list[index] = { role: change.role, org_id: orgId };
  // The enterprise assignment leads the list, as the API shows it.
  else if (orgId === null) list.unshift({ role: change.role, org_id: null });
  else list.push({ role: change.role, org_id: orgId });
}

/** The authenticated caller of an API request: a service user and the key it used. */
export interface Principal {
  serviceUser: ServiceUserRecord;
  apiKey: ApiKeyRecord;
}

/** Records a mutation with its actor; the audit log is how users (and tests) see who changed what. */
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

/**
 * Creates an API key for a service user and returns its token, the only time the token exists in clear. `token` is
 * given only for the seeded admin, whose token the emulator is started with.
 */
export function issueApiKey(
  emu: Emulator,
  su: ServiceUserRecord,
  name: string,
  expiresAt: number | null,
  token: string = newToken(),
): { key: ApiKeyRecord; token: string } {
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
  emu.store.addKey(key);
  return { key, token };
}

/**
 * Refuses a call whose enterprise feature is off: org group limits answer 404 (as the real API does without the
 * feature), session tags 403. Used as a preValidation hook, so a body is not validated for a feature that is off.
 */
export function requireFeature(emu: Emulator, feature: keyof Features, status: 403 | 404, what: string): void {
  if (!emu.store.state.features[feature]) throw new ApiError(status, `${what} is not enabled for this enterprise`);
}

/** Gives `holder` this role at one scope, whether or not it had one there (for seeding and enterprise-role PATCHes). */
export function setAssignment(holder: { role_assignments: RoleAssignment[] }, orgId: string | null, role: Role): void {
  const mode = holder.role_assignments.some((a) => a.org_id === orgId) ? "update" : "assign";
  changeAssignment(holder, "", orgId, { mode, role });
}

export function liveUser(emu: Emulator, id: string): UserRecord {
  const user = own(emu.store.state.users, id);
  if (!user) throw new ApiError(404, `User ${id} not found`);
  return user;
}

/** Emails are matched without regard to case, as the list filter does. */
export function userByEmail(emu: Emulator, email: string): UserRecord | undefined {
  const wanted = email.toLowerCase();
  return Object.values(emu.store.state.users).find((u) => u.email.toLowerCase() === wanted);
}

/** A new user with no membership yet; the caller gives it direct roles or IdP groups. */
export function createUser(emu: Emulator, email: string, name: string | null): UserRecord {
  const user: UserRecord = {
    user_id: newId("user"),
    email,
    name,
    role_assignments: [],
    idp_groups: [],
    created_at: emu.clock.now(),
    seq: emu.store.nextSeq(),
  };
  emu.store.state.users[user.user_id] = user;
  return user;
}

export function registeredIdpGroup(emu: Emulator, name: string): IdpGroupRecord {
  const group = own(emu.store.state.idpGroups, name);
  if (!group) throw new ApiError(404, `IdP group '${name}' is not registered; register it with POST /v3/enterprise/idp-groups`);
  return group;
}

/** A role a user holds through an IdP group's mapping. */
export interface IdpRoleAssignment {
  role: Role;
  idp_group_name: string;
  org_id: string | null;
}

/** The roles a user inherits from the mappings of its IdP groups; unregistered groups map to nothing. */
export function idpAssignments(emu: Emulator, user: UserRecord): IdpRoleAssignment[] {
  return user.idp_groups.flatMap((name) =>
    (own(emu.store.state.idpGroups, name)?.role_assignments ?? []).map((a) => ({ role: a.role, idp_group_name: name, org_id: a.org_id })),
  );
}

/**
 * Everything that lives in a deleted org goes with it: memberships (of service users, users and IdP groups), its tags,
 * its place in an org group, and its content (git permissions, playbooks, notes, folders, schedules, secrets). Service
 * users provisioned inside it have no other role, so they are deleted too.
 */
export function dropOrg(emu: Emulator, orgId: string, now: number): void {
  const state = emu.store.state;
  const notThere = (a: RoleAssignment) => a.org_id !== orgId;
  for (const su of Object.values(state.serviceUsers)) {
    if (su.deleted_at !== null) continue;
    if (su.home_org_id === orgId) su.deleted_at = now;
    su.role_assignments = su.role_assignments.filter(notThere);
  }
  for (const holder of [...Object.values(state.users), ...Object.values(state.idpGroups)]) {
    holder.role_assignments = holder.role_assignments.filter(notThere);
  }
  delete state.orgTags[orgId];
  for (const group of Object.values(state.orgGroupLimits)) group.org_ids = group.org_ids.filter((id) => id !== orgId);
  dropOrgContent(state, orgId);
}
